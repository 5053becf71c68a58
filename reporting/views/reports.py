"""Families (and nurses on the phone) report symptoms, see the answer, and look back."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from education.selectors import articles_for_symptoms
from reporting.answers import symptom_in_words
from reporting.decorators import AuthenticatedHttpRequest
from reporting.models import Alert, Relationship, Report
from reporting.report_forms import ReportForm
from reporting.security.audit import What, access_record
from reporting.selectors import (
    get_patient_for_user,
    get_report_for_user,
    in_care_team,
    patient_and_reporter,
    patients_visible_to,
    reason_texts,
    reporter_for,
    reports_of_patient,
    usual_symptoms,
)
from reporting.selectors.reports import lab_reviews_of
from reporting.services.care import followed_codes
from reporting.services.reports import report_for_submission, report_submit_once
from reporting.symptom_groups import usual_first
from reporting.triage import TriageValidationError

HISTORY_PAGE_SIZE = 20


def _patient_id(raw: str) -> int:
    # A mangled ?patient= is the same "not found" as someone else's patient.
    if not raw.isdigit():
        raise Http404
    return int(raw)


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def report_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    raw_id = request.GET.get("patient")
    if raw_id is None:
        patients = list(patients_visible_to(request.user).order_by("full_name")[:2])
        if len(patients) != 1:
            return _choose_patient(request)
        patient = patients[0]
        reporter = reporter_for(request.user, patient)
        if reporter is None:  # cannot happen for a visible patient; fail closed all the same
            raise Http404
    else:
        # One query for a family member: their link names both the patient and the role.
        patient, reporter = patient_and_reporter(request.user, _patient_id(raw_id))
    key = _submission_key(request)
    if key is None and request.method != "POST":
        # Each opened form gets its key in its address: the back button then comes back to
        # the same key, and sending again finds the report already stored.
        follow_up = "&follow_up=1" if request.GET.get("follow_up") == "1" else ""
        return redirect(_form_url(patient.pk, uuid.uuid4()) + follow_up)
    if key is not None and request.method != "POST":
        # Back to a form that was sent (the back button): its report. A sent form is not
        # looked up first: report_submit_once finds a repeat through the key's constraint.
        first = report_for_submission(key, patient=patient, reported_by=request.user)
        if first is not None:
            return _already_sent(first)
    # A follow-up's question opens the form with the symptoms told about last time.
    followed = followed_codes(patient) if request.GET.get("follow_up") == "1" else []
    form = ReportForm(
        request.POST if request.method == "POST" else None,
        initial={"symptoms": followed},
        reporter=reporter,
        patient_name=patient.full_name,
        patient_born=patient.date_of_birth,
    )
    sent_key = key if request.method == "POST" else None
    if request.method == "POST":
        if key is None:
            # A page from before keys (or a hand-made request): keep the answers, store
            # nothing, and ask for one more press under a key of its own.
            key = uuid.uuid4()
            form.is_valid()  # show what needs fixing too
            form.add_error(
                None, gettext("Please check your answers and press “Send report” again.")
            )
        elif form.is_valid():
            try:
                submitted = report_submit_once(
                    patient=patient,
                    reported_by=request.user,
                    submission_key=key,
                    **form.submission(),
                )
            except TriageValidationError as error:
                form.add_engine_errors(error)
            else:
                if submitted.repeat:  # sent already: a double tap, a retry
                    return _already_sent(submitted.report)
                return redirect("report_result", report_id=submitted.report.pk)
    if sent_key is not None:
        # Answers that need fixing, under a key whose report is stored already (sent, then
        # changed after the back button): that report, as before any answer is checked.
        first = report_for_submission(sent_key, patient=patient, reported_by=request.user)
        if first is not None:
            return _already_sent(first)
    # Shown again (or for the first time): the ticked ones of a follow-up first, then what
    # this patient usually has. Two queries a sent report does not need.
    form.arrange_cards(
        usual_first(followed, usual_symptoms(request.user, patient.pk, now=timezone.now()))
    )
    if request.method == "POST":
        form.focus_first_problem()
    assert key is not None  # a GET without one was redirected; a POST without one got one
    context = {
        "patient": patient,
        "form": form,
        "symptom_groups": form.groups(),
        "error_links": form.error_links(),
        "as_nurse": reporter.role == Report.ReporterRole.NURSE,
        "action": _form_url(patient.pk, key) + ("&follow_up=1" if followed else ""),
        "followed": followed,
        "told_yesterday": bool(followed) and _last_report_was_yesterday(patient),
        "submission_key": key,
    }
    return render(request, "reporting/report_form.html", context)


def _already_sent(report: Report) -> HttpResponse:
    return redirect(f"{reverse('report_result', args=[report.pk])}?{ALREADY_SENT}=1")


def _last_report_was_yesterday(patient: Any) -> bool:
    last = patient.reports.order_by("-submitted_at").values_list("submitted_at", flat=True).first()
    return last is not None and timezone.localdate(last) == timezone.localdate() - dt.timedelta(
        days=1
    )


def _form_url(patient_id: int, key: uuid.UUID) -> str:
    return f"{reverse('report_new')}?patient={patient_id}&key={key}"


# The result page says "this report was already sent" when a repeat was sent there.
ALREADY_SENT = "already_sent"


def _submission_key(request: HttpRequest) -> uuid.UUID | None:
    """The form's one-time key: the posted one, else the one in the address."""
    raw = request.POST.get("submission_key") or request.GET.get("key") or ""
    try:
        return uuid.UUID(raw)
    except ValueError:
        return None


def _choose_patient(request: AuthenticatedHttpRequest) -> HttpResponse:
    patients = patients_visible_to(request.user).select_related("care_team").order_by("full_name")
    return render(request, "reporting/report_choose_patient.html", {"patients": patients})


def _duration(minutes: int) -> str:
    """'1 hour', '2 hours' or '30 minutes': how long the family waits for the nurse's call."""
    if minutes % 60 == 0:
        hours = minutes // 60
        return ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}
    return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}


@never_cache
@login_required
@require_safe
def report_result(request: AuthenticatedHttpRequest, report_id: int) -> HttpResponse:
    report = get_report_for_user(request.user, report_id)
    access_record(request, patient=report.patient, what=What.REPORT, object_id=report.pk)
    entries = list(report.symptoms.all())
    as_nurse = in_care_team(request.user, report.patient.care_team_id)
    audience = "staff" if as_nurse else "families"
    targets = settings.IMMUNOWATCH_ALERT_TARGET_MINUTES
    alert: Alert | None = getattr(report, "alert", None)
    context: dict[str, Any] = {
        "report": report,
        "patient": report.patient,
        "symptoms": [symptom_in_words(entry.code, entry.answers) for entry in entries],
        "articles": articles_for_symptoms(
            [entry.code for entry in entries], get_language(), audience=audience
        ),
        "has_alert": alert is not None,
        "alert": alert,
        # A nurse has it: say what was done first, not "the nurse will call you".
        "dealt_with": alert is not None and alert.status != Alert.Status.NEW,
        "note_alert": alert is not None and alert.source == Alert.Source.FAMILY_NOTE,
        "nurse_name": _nurse_name(alert),
        "urgent_wait": _duration(targets["urgent"]),
        "already_sent": request.GET.get(ALREADY_SENT) == "1",
        "as_nurse": as_nurse,
        # Reasons are staff words (grades, categories): shown to the care team only.
        "reasons": reason_texts(report, gettext) if as_nurse else [],
    }
    return render(request, "reporting/report_result.html", context)


def _nurse_name(alert: Alert | None) -> str:
    nurse = alert.claimed_by if alert is not None else None
    return (nurse.get_full_name() or "") if nurse is not None else ""


def reporter_text(report: Report) -> str:
    """Who sent a report, in words for the history page."""
    user = report.reported_by
    name = (user.get_full_name() or user.username) if user is not None else ""
    if report.reporter_role == Report.ReporterRole.PATIENT:
        return gettext("The patient")
    if report.reporter_role == Report.ReporterRole.NURSE:
        who = gettext("A nurse, on the phone")
    elif report.reporter_relationship in Relationship.values:
        relationship = Relationship(report.reporter_relationship).label
        who = gettext("A family member (%(relationship)s)") % {"relationship": relationship}
    else:
        who = gettext("A family member")
    return f"{who} — {name}" if name else who


@never_cache
@login_required
@require_safe
def patient_history(request: AuthenticatedHttpRequest, patient_id: int) -> HttpResponse:
    patient = get_patient_for_user(request.user, patient_id)
    access_record(request, patient=patient, what=What.HISTORY)
    page = Paginator(reports_of_patient(request.user, patient.pk), HISTORY_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = [
        {
            "report": report,
            "reporter": reporter_text(report),
            "symptoms": [
                symptom_in_words(entry.code, entry.answers) for entry in report.symptoms.all()
            ],
            "alert": getattr(report, "alert", None),
        }
        for report in page
    ]
    context = {
        "patient": patient,
        "page": page,
        "rows": rows,
        # Families never see lab values: only that a nurse reviewed the blood tests.
        "lab_reviews": lab_reviews_of(request.user, patient.pk),
    }
    return render(request, "reporting/history.html", context)
