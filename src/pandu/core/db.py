"""Database helpers that Django leaves to the project.

``savepoints_skipped`` lets a long, single-writer batch (the demo loader) run the real services
without the savepoint each nested ``transaction.atomic`` block opens and releases: two statements
per block, a third of everything the demo sends to the database inside a test's transaction.
``Atomic`` asks the connection for a savepoint with ``connection.savepoint()`` and handles a
``None`` answer already (it is what it gets outside a transaction); this gives that answer on one
connection for a while. (``DatabaseFeatures.uses_savepoints`` would be the switch, but SQLite's
backend ignores it inside atomic blocks.) Inside, a nested block that fails dooms the whole outer
transaction instead of rolling back to its savepoint, so a caller that catches an error and goes
on must open its block under ``savepoints_kept()``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections


def _no_savepoint() -> None:
    return None


@contextmanager
def _savepoints(skip: bool, using: str) -> Iterator[None]:
    connection = connections[using]
    own = vars(connection)
    had, before = "savepoint" in own, own.get("savepoint")
    if skip:
        connection.savepoint = _no_savepoint
    elif had:
        del connection.savepoint
    try:
        yield
    finally:
        if had:
            connection.savepoint = before
        elif "savepoint" in own:
            del connection.savepoint


def savepoints_skipped(using: str = DEFAULT_DB_ALIAS):
    """Nested atomic blocks opened inside open no savepoint (see the module's docstring)."""
    return _savepoints(True, using)


def savepoints_kept(using: str = DEFAULT_DB_ALIAS):
    """Savepoints again, for a block whose error the caller catches (inside ``savepoints_skipped``)."""
    return _savepoints(False, using)
