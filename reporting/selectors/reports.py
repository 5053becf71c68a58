"""Reads about reports: scoped to the requesting user like every selector.

`lock_patient_before_report`, `open_alert_and_follow_up` and `previous_grades` are for
`report_submit`, which has already been handed a patient the caller may see; everything a view
calls takes the user.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import connections
from django.db.models import Count, Exists, Max, OuterRef, QuerySet, Subquery
from django.db.transaction import TransactionManagementError
from django.http import Http404
from django.shortcuts import get_object_or_404

from reporting.models import (
    Alert,
    CaregiverLink,
    CareTeam,
    FollowUp,
    LabPanel,
    Patient,
    Relationship,
    Report,
    SymptomEntry,
    User,
)
from reporting.selectors.compiled import CompiledQuery, field_names, model_row
from reporting.selectors.dashboard import OPEN_STATUSES
from reporting.selectors.people import (
    get_patient_for_user,
    in_care_team,
    patients_visible_to,
    remember_link,
)
from reporting.symptom_groups import typical_of_regimen, usual_first
from reporting.triage import Reason

# Contract section 1: the worsening rule compares with the previous report of the last 14 days.
PREVIOUS_REPORT_WINDOW = dt.timedelta(days=14)


@dataclass(frozen=True, slots=True)
class Reporter:
    """Who is filling in a report for a patient, as the report records it.

    `may_be_patient`: a family member may be sitting with the patient, who then fills it in on
    the family member's phone; the form asks only them.
    """

    role: str
    relationship: str
    may_be_patient: bool = False


def reporter_for(user: User, patient: Patient) -> Reporter | None:
    """How `user` reports for `patient`: as the patient, a family member, or their nurse."""
    link = CaregiverLink.objects.filter(user=user, patient=patient).first()
    if link is not None:
        return _reporter_of_link(link)
    if in_care_team(user, patient.care_team_id):
        return Reporter(Report.ReporterRole.NURSE, "")
    return None


def _reporter_of_link(link: CaregiverLink) -> Reporter:
    if link.relationship == Relationship.SELF:
        return Reporter(Report.ReporterRole.PATIENT, Relationship.SELF)
    return Reporter(Report.ReporterRole.FAMILY, link.relationship, may_be_patient=True)


def patient_and_reporter(user: User, patient_id: int) -> tuple[Patient, Reporter]:
    """The patient `user` reports for, and as whom; 404 for a patient they may not see.

    A family member's (or the patient's) link gives both in one query: the report form is
    the page families open most.
    """
    link = _link_with_patient(user, patient_id)
    if link is not None:
        remember_link(user, link)
        return link.patient, _reporter_of_link(link)
    patient = get_patient_for_user(user, patient_id)
    if not in_care_team(user, patient.care_team_id):  # visible, yet not theirs: fail closed
        raise Http404
    return patient, Reporter(Report.ReporterRole.NURSE, "")


# The user's link to the patient, with the patient and their care team: what
# `select_related("patient__care_team")` loads, compiled once (reporting/selectors/compiled.py).
# At most one link per user and patient (unique_user_patient): no ORDER BY.
_LINK_COLUMNS = (
    field_names(CaregiverLink),
    field_names(Patient, "patient__"),
    field_names(CareTeam, "patient__care_team__"),
)
_LINK_WITH_PATIENT = CompiledQuery(
    lambda user_id, patient_id: (
        CaregiverLink.objects.filter(user_id=user_id, patient_id=patient_id)
        .order_by()
        .values_list(*(name for names in _LINK_COLUMNS for name in names))[:1]
    ),
    user_id=int,
    patient_id=int,
)


def _link_with_patient(user: User, patient_id: int) -> CaregiverLink | None:
    rows = _LINK_WITH_PATIENT.rows(user_id=user.pk, patient_id=patient_id)
    if not rows:
        return None
    row = rows[0]
    link_end = len(_LINK_COLUMNS[0])
    patient_end = link_end + len(_LINK_COLUMNS[1])
    link = model_row(CaregiverLink, row[:link_end])
    patient = model_row(Patient, row[link_end:patient_end])
    team_values = row[patient_end:]
    if team_values[0] is not None:  # the team's id: none when the patient has no team
        patient.care_team = model_row(CareTeam, team_values)
    link.patient = patient
    link.user = user
    return link


# The report form's first group: what the patient reported in these last weeks.
USUAL_SYMPTOMS_WINDOW = dt.timedelta(weeks=8)


def usual_symptoms(user: User | AnonymousUser, patient_id: int, *, now: dt.datetime) -> list[str]:
    """The symptom codes the report form shows first, for a patient the user may see: those
    of the patient's reports of the last 8 weeks, the most often reported first (then the
    most recent), then those typical of the patient's regimen; at most USUAL_LIMIT. Nothing
    for a patient the user may not see. Two queries, however long the history."""
    visible = patients_visible_to(user).values("pk")
    regimens = list(
        Patient.objects.filter(pk=patient_id, pk__in=visible).values_list("regimen", flat=True)
    )
    if not regimens:
        return []
    recent = (
        SymptomEntry.objects.filter(
            report__patient_id=patient_id,
            report__patient__in=visible,
            report__submitted_at__gte=now - USUAL_SYMPTOMS_WINDOW,
            report__submitted_at__lte=now,
        )
        .values("code")
        .annotate(times=Count("id"), last=Max("report__submitted_at"))
        .order_by("-times", "-last", "code")
        .values_list("code", flat=True)
    )
    return usual_first(list(recent), typical_of_regimen(regimens[0]))


def reports_visible_to(user: User | AnonymousUser) -> QuerySet[Report]:
    """Reports of the patients the user may see (nothing for anyone else)."""
    return Report.objects.filter(patient__in=patients_visible_to(user))


def get_report_for_user(user: User | AnonymousUser, report_id: int) -> Report:
    """One report the user may see, with what its page shows; 404 otherwise."""
    return get_object_or_404(
        reports_visible_to(user)
        .select_related(
            "patient", "patient__care_team", "reported_by", "alert", "alert__claimed_by"
        )
        .prefetch_related("symptoms"),
        pk=report_id,
    )


def reports_of_patient(user: User | AnonymousUser, patient_id: int) -> QuerySet[Report]:
    """A patient's reports, newest first, with who sent them and the alert, if any."""
    return (
        reports_visible_to(user)
        .filter(patient_id=patient_id)
        .select_related("reported_by", "alert")
        .prefetch_related("symptoms")
        .order_by("-submitted_at", "-id")
    )


def _previous_report(patient_id: Any, *, earliest: Any, latest: Any) -> QuerySet[Report]:
    # Only the last report counts, as the contract says: an "I feel well" check-in in between
    # means there is nothing to compare with.
    return Report.objects.filter(
        patient_id=patient_id, submitted_at__lte=latest, submitted_at__gte=earliest
    ).order_by("-submitted_at", "-id")


def _open_alert(patient_id: Any) -> QuerySet[Alert]:
    return Alert.objects.filter(patient_id=patient_id, status__in=OPEN_STATUSES)


def _active_follow_up(patient_id: Any) -> QuerySet[FollowUp]:
    return FollowUp.objects.filter(patient_id=patient_id, stopped_at__isnull=True)


# What a check-in needs to know (reporting/selectors/compiled.py: compiled once).
_OPEN_ALERT_AND_FOLLOW_UP = CompiledQuery(
    lambda patient_id: (
        Patient.objects.filter(pk=patient_id)
        .order_by()
        .annotate(
            open_alert=Exists(_open_alert(OuterRef("pk"))),
            following=Exists(_active_follow_up(OuterRef("pk"))),
        )
        .values_list("open_alert", "following")
    ),
    patient_id=int,
)


def open_alert_and_follow_up(patient_id: int) -> tuple[bool, bool]:
    """Whether the patient has an open alert, and an active follow-up: what an "I feel well"
    check-in needs to know, in one query (most patients have neither, and the check-in then
    touches neither)."""
    found = _OPEN_ALERT_AND_FOLLOW_UP.rows(patient_id=patient_id)
    return (bool(found[0][0]), bool(found[0][1])) if found else (False, False)


@dataclass(frozen=True, slots=True)
class BeforeReport:
    """What a report about to be stored joins or compares with (one id each, or None): the
    previous report of the last 14 days, the patient's open alert and active follow-up."""

    previous_report_id: int | None
    open_alert_id: int | None
    follow_up_id: int | None


# One open alert and one active follow-up per patient at most (their constraints): no ORDER BY.
_LOCK_PATIENT = CompiledQuery(
    lambda patient_id: (
        Patient.objects.select_for_update().filter(pk=patient_id).order_by().values_list("pk")
    ),
    patient_id=int,
)
_BEFORE_REPORT = CompiledQuery(
    lambda patient_id, earliest, latest: (
        Patient.objects.filter(pk=patient_id)
        .order_by()
        .annotate(
            previous=Subquery(
                _previous_report(OuterRef("pk"), earliest=earliest, latest=latest).values("pk")[:1]
            ),
            open_alert=Subquery(_open_alert(OuterRef("pk")).values("pk")[:1]),
            follow_up=Subquery(_active_follow_up(OuterRef("pk")).values("pk")[:1]),
        )
        .values_list("previous", "open_alert", "follow_up")
    ),
    patient_id=int,
    earliest=dt.datetime,
    latest=dt.datetime,
)


def lock_patient_before_report(patient_id: int, *, when: dt.datetime) -> BeforeReport:
    """Lock the patient's row (inside the caller's transaction), then read what a report
    sent at `when` joins: two statements instead of four.

    Two, not one: the lock has to be held before the alert is looked for, so that a report
    that waited for another's lock sees the alert that one opened (each statement reads the
    database as it was when the statement began).
    """
    if connections["default"].get_autocommit():
        raise TransactionManagementError("The patient is locked inside a transaction only.")
    _LOCK_PATIENT.rows(patient_id=patient_id)
    found = _BEFORE_REPORT.rows(
        patient_id=patient_id, earliest=when - PREVIOUS_REPORT_WINDOW, latest=when
    )
    return BeforeReport(*found[0]) if found else BeforeReport(None, None, None)


def previous_grades(report_id: int) -> dict[str, int | None]:
    """The report's grade by symptom code: the engine's `previous` (null for lab-graded)."""
    return dict(SymptomEntry.objects.filter(report_id=report_id).values_list("code", "grade"))


def reason_texts(report: Report | LabPanel, translate: Callable[[str], str]) -> list[str]:
    """The report's (or lab panel's) reasons in the language of `translate` (e.g. Django's
    gettext).

    Reasons are stored as {"text", "template", "params", "symptom"} (see services.reports);
    a stored reason without a template (none yet) falls back to its English text.
    """
    texts = []
    for stored in report.reasons:
        if isinstance(stored, dict) and stored.get("template"):
            reason = Reason(stored["template"], stored.get("params") or {}, stored.get("symptom"))
            texts.append(reason.render(translate))
        else:
            texts.append(stored["text"] if isinstance(stored, dict) else str(stored))
    return texts


LAB_REVIEWS_SHOWN = 10


def lab_reviews_of(user: User | AnonymousUser, patient_id: int) -> list[dt.datetime]:
    """When a nurse dealt with an alert from the patient's blood tests, newest first: what a
    family's history says about lab results (never a value)."""
    alerts = (
        Alert.objects.filter(
            patient__in=patients_visible_to(user),
            patient_id=patient_id,
            source=Alert.Source.LAB_PANEL,
            status__in=[Alert.Status.ACKNOWLEDGED, Alert.Status.RESOLVED],
        )
        .order_by("-acknowledged_at")
        .values_list("acknowledged_at", flat=True)[:LAB_REVIEWS_SHOWN]
    )
    return [when for when in alerts if when is not None]
