"""New rows written together: a row, and the rows that point at it, in one statement.

Opening an alert writes the alert, its history row, its "created" event and its
notifications; a report, its symptom entries. Saved one by one, each is a round trip to the
database and a pass through the model's save machinery (bench/http.py, README "Benchmarks").
On PostgreSQL they go in one statement: data-modifying WITH queries, each follower taking the
first row's id from the first's RETURNING (the foreign keys are checked at the end of the
statement, when all are there). Elsewhere (SQLite) they are inserted in turn, one statement
per model.

Neither way sends `pre_save`/`post_save`: the caller writes what their receivers would (the
history row, the queue's version) and validates the rows first. The INSERTs are Django's
own (its insert compiler, each field's database value), only the follower's link (and a
text naming the first row, `Linked.naming`) is a subquery instead of a parameter.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model
from django.db.models.expressions import RawSQL
from django.db.models.sql import InsertQuery
from django.utils import timezone
from simple_history.utils import get_change_reason_from_object


@dataclass(frozen=True, slots=True)
class Linked:
    """New rows of one model, written with the first row.

    `link`: the field (an attname: `alert_id`, a history row's `id`) that takes the first
    row's id; None: the rows only go in the same statement. `naming`: a text field whose
    NEW_ID marks where the first row's id goes (a notification's idempotency key)."""

    rows: Sequence[Model]
    link: str | None
    naming: str | None = None


NEW_ID = "{id}"


def insert_linked(first: Model, followers: Sequence[Linked]) -> None:
    """Insert `first`, then `followers`, in one transaction (the caller's). Afterwards every
    row has its primary key, its link and its name filled, and counts as saved."""
    alias = router.db_for_write(type(first))
    groups = [group for group in followers if group.rows]
    if connections[alias].vendor == "postgresql":
        _in_one_statement(connections[alias], first, groups)
    else:
        _in_turn(alias, first, groups)
    for row in [first, *(row for group in groups for row in group.rows)]:
        row._state.adding, row._state.db = False, alias


def _point_at(first: Model, group: Linked) -> None:
    """The link holds the first row's id (a foreign key its object too: setting the id
    forgot it), the name the id written in."""
    meta = group.rows[0]._meta
    relation = next(
        (f for f in meta.concrete_fields if f.attname == group.link and f.is_relation), None
    )
    for row in group.rows:
        if group.link is not None:
            setattr(row, group.link, first.pk)
        if relation is not None:
            setattr(row, relation.name, first)
        if group.naming is not None:
            named = getattr(row, group.naming)
            setattr(row, group.naming, named.replace(NEW_ID, str(first.pk)))


def _in_turn(alias: str, first: Model, groups: Sequence[Linked]) -> None:
    type(first)._base_manager.using(alias).bulk_create([first])
    for group in groups:
        _point_at(first, group)
        type(group.rows[0])._base_manager.using(alias).bulk_create(group.rows)


def _insert(connection: BaseDatabaseWrapper, rows: Sequence[Model]) -> tuple[str, Any]:
    """Django's INSERT of `rows` (one model), returning their primary keys."""
    meta = rows[0]._meta
    fields = [f for f in meta.local_concrete_fields if not f.generated and f is not meta.auto_field]
    query = InsertQuery(type(rows[0]))
    query.insert_values(fields, list(rows))
    compiler = query.get_compiler(connection=connection)
    compiler.returning_fields = [meta.pk]
    [(sql, params)] = compiler.as_sql()
    return sql, params


def _in_one_statement(
    connection: BaseDatabaseWrapper, first: Model, groups: Sequence[Linked]
) -> None:
    quote = connection.ops.quote_name
    # Only quoted names of our own tables and columns go into the text; values are params.
    first_id = f"(SELECT {quote(first._meta.pk.column)} FROM {quote('w0')})"  # noqa: S608
    sql, params = _insert(connection, [first])
    parts, all_params = [f"{quote('w0')} AS ({sql})"], list(params)
    for number, group in enumerate(groups, start=1):
        for row in group.rows:
            if group.link is not None:
                setattr(row, group.link, RawSQL(first_id, ()))  # noqa: S611
            if group.naming is not None:
                named = f"REPLACE(%s, %s, {first_id}::text)"
                setattr(row, group.naming, RawSQL(named, (getattr(row, group.naming), NEW_ID)))  # noqa: S611
        sql, params = _insert(connection, group.rows)
        parts.append(f"{quote(f'w{number}')} AS ({sql})")
        all_params += params
    ids = [first_id] + [
        f"ARRAY(SELECT {quote(group.rows[0]._meta.pk.column)} FROM {quote(f'w{number}')})"  # noqa: S608
        for number, group in enumerate(groups, start=1)
    ]
    with connection.cursor() as cursor:
        cursor.execute(f"WITH {', '.join(parts)} SELECT {', '.join(ids)}", all_params)
        found = cursor.fetchone()
    first.pk = found[0]
    for group, group_ids in zip(groups, found[1:], strict=True):
        for row, row_id in zip(group.rows, group_ids, strict=True):
            row.pk = row_id
        if group.naming is not None:
            for row in group.rows:  # the template back, for _point_at to fill in
                setattr(row, group.naming, getattr(row, group.naming).params[0])
        _point_at(first, group)


def history_row(instance: Model) -> Model:
    """The audit trail's "created" row of a new `instance` (django-simple-history's
    historical model, filled as its own bulk history does), not saved: `insert_linked`
    writes it with the instance, its `id` linked."""
    history = _history_model(type(instance))
    return history(
        history_date=getattr(instance, "_history_date", None) or timezone.now(),
        history_user=history.get_default_history_user(instance),
        history_change_reason=get_change_reason_from_object(instance) or "",
        history_type="+",
        **{field.attname: getattr(instance, field.attname) for field in history.tracked_fields},
    )


@functools.cache
def _history_model(model: type[Model]) -> Any:
    # The `history` descriptor builds a manager class at each access: looked up once.
    return model.history.model  # type: ignore[attr-defined]
