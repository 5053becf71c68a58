"""The sign-in backend: Django's ModelBackend, whose `get_user` (run on every signed-in
request) also reads the user's role groups, in one query instead of two.

Every request asks whether the user is a nurse (staff session rules, two-factor, the menu,
every scoped selector): with the plain backend that is a second query after the user's own,
on every request of every user. Here one statement reads the user's row once per group
(a LEFT JOIN: users have one or two groups), an ORM query compiled once per process
(reporting/selectors/compiled.py), so that none is built per request.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from reporting.models import User
from reporting.roles import remember_groups
from reporting.selectors.compiled import CompiledQuery, field_names, model_row

_USER_FIELDS = field_names(User)
# One row per group of the user (the group's name None for a user without any).
_USER_WITH_GROUPS = CompiledQuery(
    lambda user_id: (
        User.objects.filter(pk=user_id).order_by().values_list(*_USER_FIELDS, "groups__name")
    ),
    user_id=int,
)


class RolesModelBackend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        try:
            user_id = int(user_id)
        except (TypeError, ValueError):
            return None
        rows = _USER_WITH_GROUPS.rows(user_id=user_id)
        if not rows:
            return None
        user: User = model_row(User, rows[0][:-1])
        remember_groups(user, {row[-1] for row in rows if row[-1]})
        return user if self.user_can_authenticate(user) else None
