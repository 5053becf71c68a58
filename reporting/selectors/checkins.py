"""Reads about check-in calls: a patient's call log, and what the missed check-ins list
needs of it (the latest call per patient, the last "all well"), in a fixed number of
queries whatever the number of patients or calls."""

from __future__ import annotations

from django.db.models import DateTimeField, OuterRef, Prefetch, QuerySet, Subquery

from reporting.models import CheckinCall, Patient

CALL_LOG_LENGTH = 20


def latest_call_prefetch() -> Prefetch:
    """Prefetch each patient's latest call (with the nurse) into `patient.latest_calls`, a
    list of at most one: one query for a whole page of patients."""
    latest = (
        CheckinCall.objects.filter(patient=OuterRef("patient"))
        .order_by("-called_at", "-id")
        .values("pk")[:1]
    )
    return Prefetch(
        "checkin_calls",
        queryset=CheckinCall.objects.filter(pk=Subquery(latest)).select_related("called_by"),
        to_attr="latest_calls",
    )


def last_all_well_at() -> Subquery:
    """When the patient's family last said on the phone that all is well (None: never), for
    a patient queryset's `annotate`."""
    return Subquery(
        CheckinCall.objects.filter(patient=OuterRef("pk"), outcome=CheckinCall.Outcome.ALL_WELL)
        .order_by("-called_at")
        .values("called_at")[:1],
        output_field=DateTimeField(),
    )


def calls_of(patient: Patient, limit: int = CALL_LOG_LENGTH) -> QuerySet[CheckinCall]:
    """The patient's latest calls, latest first, with who called. The caller has already
    checked that the user may see `patient`."""
    return patient.checkin_calls.select_related("called_by").order_by("-called_at", "-id")[:limit]
