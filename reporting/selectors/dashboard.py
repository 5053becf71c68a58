"""Reads for the nurse dashboard: the alert queue, one alert, the rows of a patient's record,
missed check-ins. Every function is scoped to the requesting nurse's care teams; anything
outside them does not exist (404), so a nurse cannot learn that another team's alert or
patient is there. They return querysets and rows; the pages built from them are in
`reporting/pages/dashboard.py`.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.shortcuts import get_object_or_404
from django.utils import timezone

from reporting.models import (
    Alert,
    CaregiverLink,
    LabPanel,
    LabResult,
    Level,
    Notification,
    Patient,
    Report,
    Snooze,
    SymptomEntry,
    User,
)
from reporting.roles import is_nurse
from reporting.selectors.checkins import last_all_well_at, latest_call_prefetch
from reporting.selectors.compiled import CompiledQuery, Kind
from reporting.selectors.notifications import failed_notifications_for
from reporting.selectors.people import care_team_ids, care_team_scope, patients_in_care_of
from reporting.selectors.queue_cache import (
    ALERTS,
    NOTIFICATIONS,
    Wanted,
    counted,
    remembered_all,
)

OPEN_STATUSES = (Alert.Status.NEW, Alert.Status.ACKNOWLEDGED)
QUEUE_PAGE_SIZE = 50
MISSED_CHECKIN_DAYS = 7
RECENT_REPORTS = 20


# --- the queue -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class QueueFilters:
    """What the nurse chose to see. Status "open" (new + acknowledged) is the default."""

    status: str = "open"
    level: str = ""
    care_team_id: int | None = None


def alerts_for_nurse(user: User | AnonymousUser) -> QuerySet[Alert]:
    """Alerts of the nurse's care teams (nothing for anyone else)."""
    if not is_nurse(user):
        return Alert.objects.none()
    # With the ids as a list (the queue loads the teams for its filter first), PostgreSQL
    # counts the open alerts from the `alert_open_team` index alone: 20,000 open alerts in
    # ~1 ms instead of ~10 (bench/http.py).
    return Alert.objects.filter(care_team__in=care_team_scope(user))


def alert_queue(user: User | AnonymousUser, filters: QueueFilters) -> QuerySet[Alert]:
    """The queue: most dangerous first, then longest waiting (the `alert_open_queue` index).

    Resolved alerts are history, not work: they are listed most recently resolved first.
    """
    return _queue_of(
        alerts_for_nurse(user).select_related("patient", "claimed_by", "care_team"), filters
    )


def _queue_of(alerts: QuerySet[Alert], filters: QueueFilters) -> QuerySet[Alert]:
    if filters.status == "open":
        alerts = alerts.filter(status__in=OPEN_STATUSES)
    elif filters.status in Alert.Status.values:
        alerts = alerts.filter(status=filters.status)
    if filters.level in Level.values:
        alerts = alerts.filter(level=filters.level)
    if filters.care_team_id is not None:
        alerts = alerts.filter(care_team_id=filters.care_team_id)
    if filters.status == Alert.Status.RESOLVED:
        return alerts.order_by("-resolved_at", "-id")
    return alerts.order_by("-level_rank", "created_at", "id")


class QueueLines:
    """The rows of `alert_queue(user, filters)` as `values` dicts of `names`, for a paginator
    told the total (`queue_total_and_failed`): the page it slices is read by a query compiled
    once per shape (filters, number of teams, page; reporting/selectors/compiled.py), as
    the queue is refreshed every 20 s on every nurse's screen."""

    def __init__(
        self, user: User | AnonymousUser, filters: QueueFilters, names: Sequence[str], total: int
    ) -> None:
        self._teams = sorted(care_team_ids(user)) if is_nurse(user) else []
        self._filters = filters
        self._names = tuple(names)
        self._total = total

    def __len__(self) -> int:
        return self._total

    def __getitem__(self, window: slice) -> list[dict[str, Any]]:
        start, stop, _step = window.indices(self._total)
        if not self._teams or start >= stop:
            return []
        filters = self._filters
        query = _queue_lines_query(
            filters.status,
            filters.level,
            filters.care_team_id is not None,
            len(self._teams),
            self._names,
            start,
            stop,
        )
        ids: dict[str, Any] = {f"team_{number}": pk for number, pk in enumerate(self._teams)}
        if filters.care_team_id is not None:
            ids["care_team"] = filters.care_team_id
        return [dict(zip(self._names, row, strict=True)) for row in query.rows(**ids)]


@functools.lru_cache(maxsize=256)
def _queue_lines_query(
    status: str,
    level: str,
    one_team: bool,
    teams: int,
    names: tuple[str, ...],
    start: int,
    stop: int,
) -> CompiledQuery:
    def build(**ids: int) -> QuerySet[Alert, Any]:
        in_teams = Alert.objects.filter(care_team__in=[ids[f"team_{n}"] for n in range(teams)])
        filters = QueueFilters(status, level, ids.get("care_team"))
        return _queue_of(in_teams, filters).values_list(*names)[start:stop]

    kinds: dict[str, Kind] = {f"team_{number}": int for number in range(teams)}
    if one_team:
        kinds["care_team"] = int
    return CompiledQuery(build, **kinds)


def queue_total_and_failed(
    user: User | AnonymousUser, filters: QueueFilters, alerts: QuerySet[Alert]
) -> tuple[int, list[Notification]]:
    """What the queue's page shows above its rows, asked of the cache together (one round
    trip, reporting.selectors.queue_cache), not worked out on every refresh of every
    nurse's queue:

    - how many alerts `alert_queue(user, filters)` lists: counted once per alert change;
    - the undelivered notifications still worth a warning (`failed_notifications_banner`):
      read once per change of alerts or notifications and at least every BANNER_SECONDS (a
      digest's day ends).
    """
    teams = sorted(care_team_ids(user))
    parts = (filters.status, filters.level, filters.care_team_id, *teams)
    banner = Wanted(
        "failed",
        teams,
        lambda: failed_notifications_banner(user, timezone.now()),
        [ALERTS, NOTIFICATIONS],
        BANNER_SECONDS,
    )
    total, failed = remembered_all([counted(parts, alerts.count), banner])
    return total, failed


def next_open_alert(user: User, after: Alert) -> Alert | None:
    """The top of the nurse's queue once `after` is done: the most urgent open alert that is
    new or hers (not one another nurse is dealing with)."""
    return (
        alert_queue(user, QueueFilters())
        .exclude(pk=after.pk)
        .filter(Q(status=Alert.Status.NEW) | Q(claimed_by=user))
        .first()
    )


FAILED_BANNER_LIMIT = 10


FAILED_DIGEST_WINDOW = dt.timedelta(hours=24)


BANNER_SECONDS = 60


def failed_notifications_banner(user: User | AnonymousUser, now: dt.datetime) -> list[Notification]:
    """Undelivered notifications still worth a warning: about alerts that are still open, or
    digests of the last day. Older ones are history (the admin keeps them)."""
    still_relevant = Q(alert__status__in=OPEN_STATUSES) | Q(
        alert__isnull=True, created_at__gte=now - FAILED_DIGEST_WINDOW
    )
    failed = (
        failed_notifications_for(user)
        .filter(still_relevant)
        # What the banner shows, and nothing else.
        .select_related(None)
        .select_related("recipient")
        .only(
            "alert_id",
            "channel",
            "failed_at",
            "recipient__display_name",
            "recipient__first_name",
            "recipient__last_name",
            "recipient__username",
        )
    )
    return list(failed[:FAILED_BANNER_LIMIT])


# --- one alert -----------------------------------------------------------------------------


def get_alert_for_nurse(user: User | AnonymousUser, alert_id: int) -> Alert:
    """The alert with everything its page shows in one query; 404 outside the nurse's teams."""
    return get_object_or_404(
        alerts_for_nurse(user).select_related(
            "patient",
            "care_team__escalation_contact",
            "claimed_by",
        ),
        pk=alert_id,
    )


def alert_reports(alert: Alert) -> QuerySet[Report]:
    """The reports of an alert, newest first, with reporters and symptoms."""
    return (
        alert.reports.select_related("reported_by")
        .prefetch_related("symptoms")
        .order_by("-submitted_at", "-id")
    )


def alert_panels(alert: Alert) -> QuerySet[LabPanel]:
    """The lab panels of an alert, newest first, with their results in order."""
    return alert.lab_panels.prefetch_related(
        Prefetch("results", queryset=LabResult.objects.order_by("position"))
    ).order_by("-collected_at", "-id")


# --- a patient's record --------------------------------------------------------------------


def patient_for_record(user: User | AnonymousUser, patient_id: int) -> Patient:
    """A patient of the nurse's teams, for the record page; 404 otherwise."""
    return get_object_or_404(patients_in_care_of(user).select_related("care_team"), pk=patient_id)


def recent_reports(patient: Patient, limit: int = RECENT_REPORTS) -> QuerySet[Report]:
    """The patient's latest reports with their alerts, reporters and symptoms."""
    return (
        patient.reports.select_related("alert", "reported_by")
        .prefetch_related("symptoms")
        .order_by("-submitted_at", "-id")[:limit]
    )


def open_alerts_of(patient: Patient) -> QuerySet[Alert]:
    return (
        patient.alerts.filter(status__in=OPEN_STATUSES)
        .select_related("claimed_by", "patient", "care_team")
        .order_by("-level_rank", "created_at")
    )


def graded_symptoms_since(
    patient: Patient, since: dt.datetime
) -> QuerySet[SymptomEntry, tuple[str, int | None, dt.datetime]]:
    """(code, grade, submitted at) of the patient's symptoms since `since`, for the chart."""
    return SymptomEntry.objects.filter(
        report__patient=patient, report__submitted_at__gte=since
    ).values_list("code", "grade", "report__submitted_at")


def _family_links() -> Prefetch:
    return Prefetch(
        "caregiver_links",
        queryset=CaregiverLink.objects.select_related("user").order_by("created_at"),
    )


def active_snoozes(patient: Patient, now: dt.datetime) -> QuerySet[Snooze]:
    return patient.snoozes.filter(cancelled_at__isnull=True, until__gt=now).select_related(
        "created_by"
    )


def snoozes_for_nurse(user: User | AnonymousUser) -> QuerySet[Snooze]:
    """Snoozes of the patients of the nurse's care teams."""
    return Snooze.objects.filter(patient__in=patients_in_care_of(user).values("pk"))


# --- missed check-ins ----------------------------------------------------------------------


def missed_checkins(
    user: User | AnonymousUser, now: dt.datetime | None = None, days: int = MISSED_CHECKIN_DAYS
) -> QuerySet[Patient]:
    """Patients of the nurse's teams with no report in `days` days, quietest first.

    The clock starts at the last report, or at enrollment for a patient who never reported
    (someone enrolled yesterday is not "missing" yet), or at the last call where the family
    said all is well, whichever is latest ("no answer" changes nothing). Family links and the
    latest call come prefetched, for the call.
    """
    now = now or timezone.now()
    last_report = Subquery(
        Report.objects.filter(patient=OuterRef("pk"))
        .order_by("-submitted_at")
        .values("submitted_at")[:1]
    )
    return (
        patients_in_care_of(user)
        .annotate(last_report_at=last_report, last_all_well_at=last_all_well_at())
        .annotate(
            # Coalesce each: SQLite's MAX() of a NULL is NULL (PostgreSQL's GREATEST skips it).
            quiet_since=Greatest(
                Coalesce(F("last_report_at"), F("created_at")),
                Coalesce(F("last_all_well_at"), F("created_at")),
            )
        )
        .filter(quiet_since__lt=now - dt.timedelta(days=days))
        .select_related("care_team")
        .prefetch_related(_family_links(), latest_call_prefetch())
        .order_by("quiet_since", "pk")
    )
