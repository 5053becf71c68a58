"""ORM queries compiled once per process, for the few statements every report runs.

Building and compiling a queryset costs more than running it: on the bench machine a
one-row `values_list` took ~0.7 ms of which the database's part was ~0.1 ms, and a query
with two EXISTS subqueries ~5 ms. The report form's statements have the same shape every
time, only their ids and times change, so each is written once as an ORM queryset (the
models still name every table and column), compiled on first use with marker values in
place of its parameters, and from then on run as that SQL with the real values put where
the markers were.

For `values_list` queries whose parameters are ids or moments: the rows are the ORM's own
(its converters found at the compile are applied to each: JSON decoded, SQLite's moments and
booleans made Python's). `model_row` makes model objects of a slice of such a row.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import Model, QuerySet

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
        self._compiled: dict[str, _Compiled] = {}

    def rows(self, *, using: str = "default", **values: Any) -> list[tuple[Any, ...]]:
        if values.keys() != self._kinds.keys():
            raise TypeError(f"expected {sorted(self._kinds)}, got {sorted(values)}")
        compiled = self._compiled.get(using) or self._compile(using)
        connection = connections[using]
        params = [
            value if name is None else _adapt(connection, self._kinds[name], values[name])
            for name, value in compiled.slots
        ]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        if not compiled.converters:
            return list(rows)
        return [_converted(row, compiled.converters, connection) for row in rows]

    def _compile(self, using: str) -> _Compiled:
        connection = connections[using]
        markers = {name: _marker(kind, i) for i, (name, kind) in enumerate(self._kinds.items())}
        by_adapted = {
            _adapt(connection, self._kinds[name], value): name for name, value in markers.items()
        }
        compiler = self._build(**markers).query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        # Each parameter slot is either one of ours (filled in per call) or the query's own
        # constant (a status, a literal the ORM passes as a parameter).
        slots = [(by_adapted.get(param), param) for param in params]
        missing = set(markers) - {name for name, _value in slots if name is not None}
        if missing:  # a parameter the queryset never used: a mistake in `build`
            raise ValueError(f"the query does not use {sorted(missing)}")
        sql, slots = _inline_constants(connection, sql, slots)
        # As the ORM's own iteration finds them (SQLCompiler.results_iter).
        selected = [column[0] for column in compiler.select[: compiler.col_count]]
        converters = list(compiler.get_converters(selected).items())
        self._compiled[using] = _Compiled(sql, slots, converters)
        return self._compiled[using]


@dataclass(frozen=True, slots=True)
class _Compiled:
    sql: str
    slots: list[tuple[str | None, Any]]  # (our parameter's name, or None: the query's constant)
    converters: list[tuple[int, tuple[list[Any], Any]]]  # (column, (converters, expression))


_PLACEHOLDER = re.compile(r"%%|%s")


def _inline_constants(
    connection: Any, sql: str, slots: list[tuple[str | None, Any]]
) -> tuple[str, list[tuple[str | None, Any]]]:
    """The query's own text and number constants written into its SQL, ours left as
    parameters.

    PostgreSQL plans a prepared statement once for all parameters (its generic plan) only
    when that plan is as good as one made for the values: with a status as a parameter, it
    cannot use an index kept for open alerts only (WHERE status IN ('new', 'acknowledged')),
    and it plans the statement again at every run instead (~1.5 ms for the queue's rows,
    more than running them). As literals, the generic plan uses that index.
    """
    editor = connection.SchemaEditorClass(connection)  # for quote_value only: no DDL here
    connection.ensure_connection()  # PostgreSQL's quoting asks the connection
    remaining = iter(slots)
    kept: list[tuple[str | None, Any]] = []

    def replace(match: re.Match[str]) -> str:
        if match.group() == "%%":
            return "%%"
        name, value = next(remaining)
        plain = value.value if isinstance(value, enum.Enum) else value  # a status, a level
        if name is None and type(plain) in (str, int):
            # A literal's own percent signs, escaped as the rest of the statement's.
            return str(editor.quote_value(plain)).replace("%", "%%")
        kept.append((name, value))
        return "%s"

    inlined = _PLACEHOLDER.sub(replace, sql)
    return inlined, kept


def _converted(
    row: tuple[Any, ...], converters: list[tuple[int, tuple[list[Any], Any]]], connection: Any
) -> tuple[Any, ...]:
    values = list(row)
    for position, (functions, expression) in converters:
        for convert in functions:
            values[position] = convert(values[position], expression, connection)
    return tuple(values)


def field_names(model: type[Model], prefix: str = "") -> list[str]:
    """The names a `values_list` selects for each concrete field of `model`, in the model's
    order (`prefix`: the path to it, e.g. "patient__"), for `model_row`."""
    return [prefix + field.name for field in model._meta.concrete_fields]


def model_row(model: type[Model], values: tuple[Any, ...], *, using: str = "default") -> Any:
    """A model object, as the ORM loads one, from its concrete fields' values in order."""
    attnames = [field.attname for field in model._meta.concrete_fields]
    return model.from_db(using, attnames, values)


def _marker(kind: Kind, number: int) -> Any:
    if kind is int:
        return _FIRST_ID_MARKER - number
    return _FIRST_MOMENT_MARKER + dt.timedelta(seconds=number)


def _adapt(connection: Any, kind: Kind, value: Any) -> Any:
    """The value as the ORM passes it to this database (SQLite: moments as UTC text)."""
    if kind is int:
        return int(value)
    return connection.ops.adapt_datetimefield_value(value)
