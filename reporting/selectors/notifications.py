"""Notifications a nurse should know about, scoped to the nurse's care teams."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from reporting.models import Notification, User
from reporting.selectors.people import care_team_scope


def failed_notifications_for(user: User | AnonymousUser) -> QuerySet[Notification]:
    """Notifications of the user's care teams that could not be delivered, newest first.

    The dashboard shows these as a banner: a nurse (or an escalation contact) was not told.
    Nothing for anyone who is not a nurse.
    """
    return (
        Notification.objects.filter(
            status=Notification.Status.FAILED, care_team__in=care_team_scope(user)
        )
        .select_related("care_team", "recipient", "alert")
        .order_by("-failed_at", "-id")
    )
