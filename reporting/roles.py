"""Roles are Django Groups: `nurse` and `family`. Admins are staff users (content managers)."""

from __future__ import annotations

from typing import Any

NURSE_GROUP = "nurse"
FAMILY_GROUP = "family"


def _group_names(user: Any) -> frozenset[str]:
    # Cached on the user object: templates and selectors ask several times per request.
    cached = getattr(user, "_immunowatch_groups", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._immunowatch_groups = cached
    return cached


def is_nurse(user: Any) -> bool:
    return bool(user.is_authenticated) and NURSE_GROUP in _group_names(user)


def is_family(user: Any) -> bool:
    return bool(user.is_authenticated) and FAMILY_GROUP in _group_names(user)


def is_admin(user: Any) -> bool:
    return bool(user.is_authenticated) and bool(user.is_staff)
