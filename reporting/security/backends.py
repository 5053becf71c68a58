"""The sign-in backend: Django's ModelBackend, whose `get_user` (run on every signed-in
request) also reads the user's role groups, in one query instead of two.

Every request asks whether the user is a nurse (staff session rules, two-factor, the menu,
every scoped selector): with the plain backend that is a second query after the user's own,
on every request of every user. Here one statement reads the user's row once per group
(a LEFT JOIN: users have one or two groups), written once per process from the models'
own tables and columns, so that no ORM query is compiled per request (an ORM version of
the same join, with EXISTS subqueries, measured slower than the two plain queries).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.db import connections

from reporting.models import User
from reporting.roles import remember_groups


@cache
def _user_with_groups_sql(vendor: str) -> str:
    """SELECT <every column of the user>, <group name> ... WHERE <user id> = %s."""
    quote = connections["default"].ops.quote_name
    through = User.groups.through._meta
    user_column = quote(through.get_field("user").column)
    group_column = quote(through.get_field("group").column)
    columns = ", ".join(f"u.{quote(field.column)}" for field in User._meta.concrete_fields)
    # Only the models' own table and column names, quoted; the user id is a parameter.
    return (
        f"SELECT {columns}, g.{quote('name')} AS group_name"  # noqa: S608
        f" FROM {quote(User._meta.db_table)} u"
        f" LEFT JOIN {quote(through.db_table)} ug ON ug.{user_column} = u.{quote('id')}"
        f" LEFT JOIN {quote(Group._meta.db_table)} g ON g.{quote('id')} = ug.{group_column}"
        f" WHERE u.{quote('id')} = %s"
    )


class RolesModelBackend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        try:
            user_id = int(user_id)
        except (TypeError, ValueError):
            return None
        sql = _user_with_groups_sql(connections["default"].vendor)
        rows = list(User.objects.raw(sql, [user_id]))
        if not rows:
            return None
        user = rows[0]
        # raw() puts the extra column on each row as an attribute.
        names = {row.group_name for row in rows if row.group_name}  # type: ignore[attr-defined]
        remember_groups(user, names)
        return user if self.user_can_authenticate(user) else None
