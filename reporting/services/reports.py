"""Submitting a symptom report: store it, assess it, raise its alert, all in one transaction.

How a report's assessment is stored:

- `Report.level`, `suspected_irae` and `ruleset` as the engine returned them;
- `Report.reasons`: one dict per reason, `{"text": <English sentence>, "template": <marked
  English template>, "params": {...}, "symptom": <code or null>}`. The English text serves
  whoever reads the database; template and params let `selectors.reason_texts` show the reason
  in the reader's language later (the engine's `Reason.render(gettext)`);
- one `SymptomEntry` per symptom, in the order given, with its answers as the engine saw them
  (optional fields filled with their defaults, except those whose default means "not
  answered"), so that `assess` of the stored answers gives back the stored assessment;
- `previous_report`: the report whose grades the worsening rule compared with (none for a
  report without symptoms: nothing was compared);
- `submission_key`: the one-time key of the form that sent it. Sending the same form again
  (a double tap on a slow phone, a browser retry) returns the first report and stores
  nothing: the key is unique in the database, so even two requests at the same moment store
  one report, one alert and one set of notifications.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ParamSpec

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from reporting.models import Patient, Report, SymptomEntry, User
from reporting.selectors.people import may_see_patient
from reporting.selectors.reports import (
    lock_patient_before_report,
    open_alert_and_follow_up,
    previous_grades,
)
from reporting.services.alerts import alert_for_new_report
from reporting.services.care import follow_up_after_new_report, new_follow_up
from reporting.services.rows import Linked, insert_linked
from reporting.triage import CATALOGUE, Assessment, Reason, assess

logger = logging.getLogger(__name__)
P = ParamSpec("P")


@dataclass(frozen=True, slots=True)
class Submitted:
    """What a sent form led to: its report, and whether an earlier send had stored it."""

    report: Report
    repeat: bool = False


def report_submit_once(
    *,
    patient: Patient,
    reported_by: User,
    reporter_role: str,
    reporter_relationship: str = "",
    symptoms: list[dict[str, Any]],
    symptoms_began: dt.date | None = None,
    note: str = "",
    submitted_at: dt.datetime | None = None,
    submission_key: uuid.UUID | None = None,
) -> Submitted:
    """Assess and store one report for `patient`; raise TriageValidationError, storing nothing,
    when the engine refuses the answers.

    `symptoms` is the engine's list of entries: `{"code": ..., <field>: <value>, ...}`; an
    empty list is an "I feel well today" check-in. With a `submission_key` already used by
    this reporter for this patient, nothing is stored and the first report is returned, as a
    `repeat` (the form's page then says "already sent" without a lookup of its key first).
    """
    if not may_see_patient(reported_by, patient.pk):
        raise PermissionDenied("Only the patient, their family and their care team report.")
    # No lookup of the key first: a repeat is rare and the unique key catches it below,
    # after a rollback, at the cost of one query less for every report that is not one.
    try:
        report = _store(
            patient=patient,
            reported_by=reported_by,
            reporter_role=reporter_role,
            reporter_relationship=reporter_relationship,
            symptoms=symptoms,
            symptoms_began=symptoms_began,
            note=note,
            submitted_at=submitted_at or timezone.now(),
            submission_key=submission_key,
        )
    except IntegrityError:
        # The same form sent again (a double tap, a retry, the back button), or twice at
        # once: the unique key made this insert fail (or wait for the other's commit, then
        # fail). Everything here rolled back.
        if submission_key is None:
            raise
        first = report_for_submission(submission_key, patient=patient, reported_by=reported_by)
        if first is None:
            raise
        logger.info("report %s: a repeat of its form stored nothing", first.pk)
        return Submitted(first, repeat=True)
    logger.info(
        "report %s submitted for patient %s by user %s", report.pk, patient.pk, reported_by.pk
    )
    return Submitted(report)


def _the_report(submit: Callable[P, Submitted]) -> Callable[P, Report]:
    @functools.wraps(submit)
    def report_only(*args: P.args, **kwargs: P.kwargs) -> Report:
        return submit(*args, **kwargs).report

    return report_only


# `report_submit_once`, for callers that need only the report (seeding, imports, tests).
report_submit = _the_report(report_submit_once)


def report_for_submission(
    submission_key: uuid.UUID, *, patient: Patient, reported_by: User
) -> Report | None:
    """The report a form with this key already stored, if any.

    A key belongs to one reporter and patient: someone else's key is refused, never answered
    with their report.
    """
    first = Report.objects.filter(submission_key=submission_key).first()
    if first is None:
        return None
    if first.patient_id != patient.pk or first.reported_by_id != reported_by.pk:
        raise PermissionDenied("This form key belongs to another report.")
    return first


def _store(
    *,
    patient: Patient,
    reported_by: User,
    reporter_role: str,
    reporter_relationship: str,
    symptoms: list[dict[str, Any]],
    symptoms_began: dt.date | None,
    note: str,
    submitted_at: dt.datetime,
    submission_key: uuid.UUID | None,
) -> Report:
    """Assess, then write the report, its symptoms and its alert in one transaction."""
    fields = {
        "patient": patient,
        "reported_by": reported_by,
        "reporter_role": reporter_role,
        "reporter_relationship": reporter_relationship,
        "symptoms_began": symptoms_began,
        "note": note.strip(),
        "submitted_at": submitted_at,
        "submission_key": submission_key,
    }
    if not symptoms and not fields["note"]:
        check_in = _check_in_alone(fields)
        if check_in is not None:
            return check_in
    with transaction.atomic():
        before = lock_patient_before_report(patient.pk, when=submitted_at)
        # The worsening rule compares the symptoms sent now: with none (a note, a check-in)
        # there is nothing to compare, and no previous report to name.
        previous = before.previous_report_id if symptoms else None
        engine_input: dict[str, Any] = {
            # Empty regimen: unknown to the engine (it then assumes an ICI may be involved).
            "regimen": list(patient.regimen) or None,
            "symptoms": [dict(entry) for entry in symptoms],
        }
        if previous is not None:
            engine_input["previous"] = previous_grades(previous)
        # Raises before anything is written.
        assessment = assess(engine_input)
        report = _report_row(fields, assessment, previous)
        levels = [(result.code, result.level.value) for result in assessment.symptoms]
        # The alert first, so that the report's row is written once, naming it.
        alert = alert_for_new_report(
            report=report, levels=levels, open_alert_id=before.open_alert_id
        )
        entries = symptom_entry_rows(report, symptoms, assessment)
        # With no follow-up active (most reports), the one this report starts is a new row:
        # it goes with the report and its symptoms, in one statement (services.rows).
        started = None if before.follow_up_id else new_follow_up(report, entries)
        insert_linked(
            report,
            [Linked(entries, "report_id"), Linked([started] if started else [], None)],
        )
        if alert is not None:
            logger.info("alert %s has report %s", alert.pk, report.pk)
        if before.follow_up_id:
            follow_up_after_new_report(
                report=report, entries=entries, follow_up_id=before.follow_up_id
            )
    return report


def _check_in_alone(fields: dict[str, Any]) -> Report | None:
    """ "I feel well today", stored when the patient has neither an open alert to join nor a
    follow-up to end (most have neither; one query says): it opens no alert and starts no
    follow-up, so the report alone is written, one INSERT, atomic by itself. None: there is
    something to join, and the check-in is stored as any other report.

    Unlocked, as a report that opens nothing needs no lock: an alert or follow-up started at
    this very moment is as if it came just after this check-in."""
    if any(open_alert_and_follow_up(fields["patient"].pk)):
        return None
    assessment = assess({"regimen": list(fields["patient"].regimen) or None, "symptoms": []})
    report = _report_row(fields, assessment, None)
    report.save()
    return report


def _report_row(
    fields: dict[str, Any], assessment: Assessment, previous_report_id: int | None
) -> Report:
    """The report's row, validated, not saved yet."""
    report = Report(
        **fields,
        regimen=list(fields["patient"].regimen),
        level=assessment.level.value,
        suspected_irae=list(assessment.suspected_irae),
        reasons=[stored_reason(reason) for reason in assessment.reasons],
        ruleset=assessment.ruleset,
        previous_report_id=previous_report_id,
    )
    # The database, not a prior SELECT, decides whether the key is new (see above); the
    # patient, reporter and previous report are rows we hold, not input to look up again.
    report.full_clean(exclude=["patient", "reported_by", "previous_report"], validate_unique=False)
    return report


def stored_reason(reason: Reason) -> dict[str, Any]:
    """A reason as JSON: its English sentence, and what is needed to translate it later."""
    return {
        "text": reason.render(),
        "template": reason.template,
        "params": dict(reason.params),
        "symptom": reason.symptom,
    }


def answers_as_assessed(entry: Mapping[str, Any]) -> dict[str, Any]:
    """The entry's answers with the defaults the engine filled in (bools false, counts 1).

    Optional fields whose default is None (e.g. no oximeter reading) stay absent: null is never
    a valid answer, and absent is what the engine saw.
    """
    symptom = CATALOGUE[entry["code"]]
    answers = {}
    for field in symptom.fields:
        if field.name in entry:
            answers[field.name] = entry[field.name]
        elif field.optional and field.default is not None:
            answers[field.name] = field.default
    return answers


def store_symptom_entries(
    report: Report, symptoms: list[dict[str, Any]], assessment: Assessment
) -> list[SymptomEntry]:
    """One SymptomEntry per entry of a stored report, as the engine assessed it (inside the
    caller's transaction), validated one by one and written in one statement."""
    rows = symptom_entry_rows(report, symptoms, assessment)
    return SymptomEntry.objects.bulk_create(rows) if rows else []


def symptom_entry_rows(
    report: Report, symptoms: list[dict[str, Any]], assessment: Assessment
) -> list[SymptomEntry]:
    """The report's SymptomEntry rows, one per entry as the engine assessed it, validated one
    by one, not saved."""
    rows = []
    # The engine returns one result per entry, in the order given.
    for position, (entry, result) in enumerate(zip(symptoms, assessment.symptoms, strict=True)):
        row = SymptomEntry(
            report=report,
            position=position,
            code=result.code,
            answers=answers_as_assessed(entry),
            grade=result.grade,
            level=result.level.value,
            irae=result.irae or "",
            anti_vegf=result.anti_vegf,
        )
        row.full_clean(exclude=["report"])  # the report is a row we hold
        rows.append(row)
    return rows
