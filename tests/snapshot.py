"""The test database's starting state (migrated, demo loaded), kept once and put back after each
test that commits.

Django empties the database after a transactional or browser test (``flush``: every table
truncated, then content types and permissions made again), and ``tests/conftest.py`` then loaded
the demo again through the services: about 0.6 s on SQLite and 1 s on PostgreSQL, for each of
some 150 such tests. Putting back a copy taken once gives the next test exactly the same rows:

- SQLite: the whole file through SQLite's online backup API, into memory and back;
- PostgreSQL: a copy of every table in a schema of its own; putting it back deletes the rows
  and copies them in, with triggers off meanwhile (``session_replication_role = replica``, so
  the audit head and foreign-key checks take the copied rows as they are): some 25 ms. That
  setting needs a superuser: without one (or on another database) no copy is taken and the
  tests fall back to Django's flush and the demo's reload.

PostgreSQL's sequences are not put back, like Django's own flush (``reset_sequences=False``):
ids go on growing. SQLite's come back with the file, so an id may be given again to a new row
in a later test, in a database that no longer holds the earlier one.
"""

from __future__ import annotations

import sqlite3

from django.db import connection

SCHEMA = "pandu_test_snapshot"


class Snapshot:
    def __init__(self) -> None:
        self._sqlite: sqlite3.Connection | None = None
        self._tables: list[str] = []

    @property
    def ready(self) -> bool:
        return self._sqlite is not None or bool(self._tables)

    def take(self) -> None:
        connection.ensure_connection()
        if connection.vendor == "sqlite":
            copy = sqlite3.connect(":memory:", check_same_thread=False)
            connection.connection.backup(copy)
            self._sqlite = copy
        elif connection.vendor == "postgresql" and self._superuser():
            tables = connection.introspection.table_names(include_views=False)
            q = connection.ops.quote_name
            with connection.cursor() as cursor:
                cursor.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
                cursor.execute(f"CREATE SCHEMA {SCHEMA}")
                for table in tables:
                    cursor.execute(f"CREATE TABLE {SCHEMA}.{q(table)} AS TABLE {q(table)}")
            self._tables = tables

    def restore(self) -> None:
        connection.ensure_connection()
        if self._sqlite is not None:
            self._sqlite.backup(connection.connection)
            return
        q = connection.ops.quote_name
        statements = ["SET session_replication_role = replica"]
        # DELETE, not TRUNCATE: these tables are small, and TRUNCATE makes each a new file.
        statements += [f"DELETE FROM {q(t)}" for t in self._tables]  # noqa: S608 (our tables)
        statements += [
            f"INSERT INTO {q(t)} SELECT * FROM {SCHEMA}.{q(t)}"  # noqa: S608 (our tables)
            for t in self._tables
        ]
        statements.append("SET session_replication_role = DEFAULT")
        with connection.cursor() as cursor:
            cursor.execute(";\n".join(statements))

    @staticmethod
    def _superuser() -> bool:
        with connection.cursor() as cursor:
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            row = cursor.fetchone()
        return bool(row and row[0])


snapshot = Snapshot()
