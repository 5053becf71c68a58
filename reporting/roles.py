"""Roles are Django Groups: `nurse` and `family`. Admins are staff users (content managers).

The checks take anyone, signed in or not; each is a TypeGuard: True means a signed-in `User`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeGuard

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from reporting.models import User

NURSE_GROUP = "nurse"
FAMILY_GROUP = "family"

# Cached on the user object: templates and selectors ask several times per request.
_GROUPS_CACHE = "_immunowatch_groups"


def _group_names(user: User) -> frozenset[str]:
    cached: frozenset[str] | None = getattr(user, _GROUPS_CACHE, None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        setattr(user, _GROUPS_CACHE, cached)
    return cached


def remember_groups(user: User, names: set[str]) -> None:
    """The user's group names, read with the user (reporting.security.backends): no second
    query for them in this request."""
    setattr(user, _GROUPS_CACHE, frozenset(names))


def is_nurse(user: User | AnonymousUser) -> TypeGuard[User]:
    return user.is_authenticated and NURSE_GROUP in _group_names(user)


def is_family(user: User | AnonymousUser) -> TypeGuard[User]:
    return user.is_authenticated and FAMILY_GROUP in _group_names(user)


def is_admin(user: User | AnonymousUser) -> TypeGuard[User]:
    return bool(user.is_authenticated) and bool(user.is_staff)


def is_staff_member(user: User | AnonymousUser) -> TypeGuard[User]:
    """Nurses and admins: they see many patients' records (two-factor sign-in, shorter
    sessions, access records)."""
    return is_nurse(user) or is_admin(user)
