"""ORM queries compiled once per process, for the few statements every report runs.

Building and compiling a queryset costs more than running it: on the bench machine a
one-row `values_list` took ~0.7 ms of which the database's part was ~0.1 ms, and a query
with two EXISTS subqueries ~5 ms. The report form's statements have the same shape every
time, only their ids and times change, so each is written once as an ORM queryset (the
models still name every table and column), compiled on first use with marker values in
place of its parameters, and from then on run as that SQL with the real values put where
the markers were.

Only for queries whose parameters are ids or moments and whose results are plain database
values (ids, booleans, counts): the results skip the ORM's converters (a boolean comes back
as 0 or 1 from SQLite, as True or False from PostgreSQL).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import connections
from django.db.models import QuerySet

# Values no real query uses: negative ids, moments in 1901. Each parameter gets its own.
_FIRST_ID_MARKER = -730_009_000
_FIRST_MOMENT_MARKER = dt.datetime(1901, 1, 1, tzinfo=dt.UTC)

Kind = type[int] | type[dt.datetime]


class CompiledQuery:
    """`build(**markers)` gives the queryset; `rows(**values)` runs it with `values`.

    `kinds` names each parameter and its kind: `int` (an id) or `dt.datetime` (a moment).
    """

    def __init__(self, build: Callable[..., QuerySet[Any]], **kinds: Kind) -> None:
        self._build = build
        self._kinds = kinds
        self._compiled: dict[str, tuple[str, list[tuple[str | None, Any]]]] = {}

    def rows(self, *, using: str = "default", **values: Any) -> list[tuple[Any, ...]]:
        if values.keys() != self._kinds.keys():
            raise TypeError(f"expected {sorted(self._kinds)}, got {sorted(values)}")
        sql, slots = self._compiled.get(using) or self._compile(using)
        connection = connections[using]
        params = [
            value if name is None else _adapt(connection, self._kinds[name], values[name])
            for name, value in slots
        ]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return list(cursor.fetchall())

    def _compile(self, using: str) -> tuple[str, list[tuple[str | None, Any]]]:
        connection = connections[using]
        markers = {name: _marker(kind, i) for i, (name, kind) in enumerate(self._kinds.items())}
        by_adapted = {
            _adapt(connection, self._kinds[name], value): name for name, value in markers.items()
        }
        sql, params = self._build(**markers).query.get_compiler(using=using).as_sql()
        # Each parameter slot is either one of ours (filled in per call) or the query's own
        # constant (a status, a literal the ORM passes as a parameter).
        slots = [(by_adapted.get(param), param) for param in params]
        missing = set(markers) - {name for name, _value in slots if name is not None}
        if missing:  # a parameter the queryset never used: a mistake in `build`
            raise ValueError(f"the query does not use {sorted(missing)}")
        self._compiled[using] = (sql, slots)
        return sql, slots


def _marker(kind: Kind, number: int) -> Any:
    if kind is int:
        return _FIRST_ID_MARKER - number
    return _FIRST_MOMENT_MARKER + dt.timedelta(seconds=number)


def _adapt(connection: Any, kind: Kind, value: Any) -> Any:
    """The value as the ORM passes it to this database (SQLite: moments as UTC text)."""
    if kind is int:
        return int(value)
    return connection.ops.adapt_datetimefield_value(value)
