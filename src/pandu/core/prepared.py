"""Querysets compiled to SQL once per thread and run many times with new values.

Compiling a queryset with several subqueries and joined models costs Django more than running it
costs the database (about 15 ms against 1 ms for the booking's facts on this project's 2-core
machine). Django has no prepared-query cache of its own, so this module keeps one: the first run
in a thread builds the queryset with sentinel values, compiles it, and remembers which query
parameters are which values; later runs put the new values in their places, run the same SQL and
turn the rows into model instances exactly as Django's ``ModelIterable`` does (related objects
from ``select_related`` and annotations included).

Only for hot paths whose queryset has the same shape for every value: a value that changes the
SQL (``None``, a list of varying length, a changed lookup) needs a queryset of its own.

On PostgreSQL the statement is also prepared on the server, once per connection: the values
are bound there instead of written into the SQL text, and PostgreSQL keeps the parsed statement
and its plan. Planning the booking's facts cost the database several times what running them
did (``docs/performance.md``). The settings allow it on the connection (psycopg's
``prepare_threshold``; Django's own cursors bind values in the client and never prepare);
``PANDU_DB_PREPARED_STATEMENTS=false`` turns it off, for a connection pooler that cannot keep
prepared statements (PgBouncer before 1.21, or with ``max_prepared_statements = 0``, in
transaction pooling). The statements are logged and counted like every other
(``CaptureQueriesContext``).
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db import connections
from django.db.backends.postgresql.base import (
    TIMESTAMPTZ_OID,
    Format,
    ServerBindingCursor,
    register_tzloader,
)
from django.db.models import Field, Model, QuerySet
from django.db.models.query import get_related_populators


@dataclass(frozen=True)
class Param:
    """One value of a prepared query: a sentinel to find its place, the field that adapts it."""

    sentinel: Any
    field: Field


@dataclass
class _Compiled:
    sql: str
    params: list[Any]
    places: dict[str, list[int]]
    compiler: Any
    converters: dict


_M = TypeVar("_M", bound=Model)


class PreparedQuery(Generic[_M]):
    """``build(**values)`` returns the queryset; ``run(**values)`` its model instances."""

    def __init__(self, build: Callable[..., QuerySet[_M]], **params: Param) -> None:
        self.build = build
        self.params = params
        self._local = threading.local()

    def _compiled(self, using: str) -> _Compiled:
        cache = self._local.__dict__.setdefault("compiled", {})
        compiled = cache.get(using)
        if compiled is None:
            compiled = cache[using] = self._compile(using)
        return compiled

    def _compile(self, using: str) -> _Compiled:
        connection = connections[using]
        queryset = self.build(**{name: p.sentinel for name, p in self.params.items()})
        compiler = queryset.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        adapted = {
            name: p.field.get_db_prep_value(p.sentinel, connection, prepared=False)
            for name, p in self.params.items()
        }
        places: dict[str, list[int]] = {name: [] for name in self.params}
        for index, value in enumerate(params):
            for name, sentinel in adapted.items():
                if type(value) is type(sentinel) and value == sentinel:
                    places[name].append(index)
        missing = [name for name, where in places.items() if not where]
        if missing:
            raise ValueError(f"prepared query: no parameter holds {', '.join(missing)}")
        columns = [column[0] for column in compiler.select[0 : compiler.col_count]]
        return _Compiled(
            sql=sql,
            params=list(params),
            places=places,
            compiler=compiler,
            converters=compiler.get_converters(columns),
        )

    def run(self, *, using: str = "default", **values: Any) -> list[_M]:
        compiled = self._compiled(using)
        connection = connections[using]
        params = list(compiled.params)
        for name, where in compiled.places.items():
            value = self.params[name].field.get_db_prep_value(
                values[name], connection, prepared=False
            )
            for index in where:
                params[index] = value
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql" and connection.connection.prepare_threshold:
                cursor = _preparing(connection, cursor)
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        return list(self._instances(compiled, rows, using))

    @staticmethod
    def _instances(compiled: _Compiled, rows, using: str):
        compiler = compiled.compiler
        select, klass_info = compiler.select, compiler.klass_info
        annotation_col_map = compiler.annotation_col_map
        model_cls = klass_info["model"]
        select_fields = klass_info["select_fields"]
        start, end = select_fields[0], select_fields[-1] + 1
        init_list = [column[0].target.attname for column in select[start:end]]
        populators = get_related_populators(klass_info, select, using)
        if compiled.converters:
            rows = compiler.apply_converters(rows, compiled.converters)
        for row in rows:
            obj = model_cls.from_db(using, init_list, row[start:end])
            for populator in populators:
                populator.populate(row, obj)
            for attr, position in (annotation_col_map or {}).items():
                setattr(obj, attr, row[position])
            yield obj


class _PreparingCursor(ServerBindingCursor):
    """A psycopg cursor that binds values on the server and prepares each statement it runs."""

    ops = None  # the connection's operations while its queries are logged

    def execute(self, query, params=None, *, prepare=None, binary=None):
        result = super().execute(query, params, prepare=True, binary=binary)
        if self.ops is not None:
            # Django's query log reads the statement with its values where a client-side
            # binding cursor keeps it: a prepared one has nothing there.
            self._query = _Executed(self.ops.compose_sql(query, params))
        return result


@dataclass(frozen=True)
class _Executed:
    text: str

    @property
    def query(self) -> bytes:
        return self.text.encode()


# The psycopg connections whose prepared statements use one generic plan (see _preparing).
_generic_plans: weakref.WeakSet = weakref.WeakSet()


def _preparing(connection, wrapper):
    """Django's cursor ``wrapper`` (plain, or logging when queries are counted) around a
    preparing cursor on the same connection, in place of Django's client-side binding one."""
    raw = connection.connection
    if raw not in _generic_plans and connection.get_autocommit():
        # PostgreSQL plans a prepared statement anew for each run until it trusts a generic
        # plan, and for the facts it never did (every run was planned: several times the cost
        # of running it). Only this module prepares statements, so the setting reaches only
        # them; it is set outside any transaction, where no rollback can undo it, and not
        # counted as a statement of the request that happens to open the connection.
        raw.execute("SET plan_cache_mode = force_generic_plan")
        _generic_plans.add(raw)
    cursor = _PreparingCursor(raw)
    if connection.queries_logged:
        cursor.ops = connection.ops
    # As Django's own cursors: the time zone of loaded timestamps, if the connection's differs.
    tzloader = connection.connection.adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT)
    if connection.timezone != tzloader.timezone:
        register_tzloader(connection.timezone, cursor)
    wrapper.cursor.close()
    wrapper.cursor = cursor
    return wrapper
