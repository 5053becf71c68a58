"""Families (and nurses on the phone) report symptoms, see the answer, and look back."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from education.selectors import articles_for_symptoms
from reporting import services
from reporting.models import Relationship, Report
from reporting.report_forms import ReportForm
from reporting.selectors import (
    care_teams_of,
    get_patient_for_user,
    get_report_for_user,
    patients_visible_to,
    reason_texts,
    reporter_for,
    reports_of_patient,
)
from reporting.triage import CATALOGUE, TriageValidationError

HISTORY_PAGE_SIZE = 20


def _patient_id(raw: str) -> int:
    # A mangled ?patient= is the same "not found" as someone else's patient.
    if not raw.isdigit():
        raise Http404
    return int(raw)


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def report_new(request: HttpRequest) -> HttpResponse:
    raw_id = request.GET.get("patient")
    if raw_id is None:
        patients = list(patients_visible_to(request.user).order_by("full_name")[:2])
        if len(patients) != 1:
            return _choose_patient(request)
        patient = patients[0]
    else:
        patient = get_patient_for_user(request.user, _patient_id(raw_id))
    reporter = reporter_for(request.user, patient)
    if reporter is None:  # cannot happen for a visible patient; fail closed all the same
        raise Http404
    form = ReportForm(request.POST or None, reporter=reporter, patient_name=patient.full_name)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_submit(
                patient=patient, reported_by=request.user, **form.submission()
            )
        except TriageValidationError as error:
            form.add_engine_errors(error)
        else:
            return redirect("report_result", report_id=report.pk)
    context = {
        "patient": patient,
        "form": form,
        "sections": form.sections(),
        "as_nurse": reporter.role == Report.ReporterRole.NURSE,
    }
    return render(request, "reporting/report_form.html", context)


def _choose_patient(request: HttpRequest) -> HttpResponse:
    patients = patients_visible_to(request.user).select_related("care_team").order_by("full_name")
    return render(request, "reporting/report_choose_patient.html", {"patients": patients})


def _duration(minutes: int) -> str:
    """'1 hour', '2 hours' or '30 minutes': how long the family waits for the nurse's call."""
    if minutes % 60 == 0:
        hours = minutes // 60
        return ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}
    return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}


def _symptom_label(code: str) -> str:
    symptom = CATALOGUE.get(code)
    return gettext(symptom.label) if symptom else code


@never_cache
@login_required
@require_safe
def report_result(request: HttpRequest, report_id: int) -> HttpResponse:
    report = get_report_for_user(request.user, report_id)
    entries = list(report.symptoms.all())
    as_nurse = care_teams_of(request.user).filter(pk=report.patient.care_team_id).exists()
    audience = "staff" if as_nurse else "families"
    targets = settings.IMMUNOWATCH_ALERT_TARGET_MINUTES
    context: dict[str, Any] = {
        "report": report,
        "patient": report.patient,
        "symptoms": [_symptom_label(entry.code) for entry in entries],
        "articles": articles_for_symptoms(
            [entry.code for entry in entries], get_language(), audience=audience
        ),
        "has_alert": hasattr(report, "alert"),
        "urgent_wait": _duration(targets["urgent"]),
        "as_nurse": as_nurse,
        # Reasons are staff words (grades, categories): shown to the care team only.
        "reasons": reason_texts(report, gettext) if as_nurse else [],
    }
    return render(request, "reporting/report_result.html", context)


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
def patient_history(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = get_patient_for_user(request.user, patient_id)
    page = Paginator(reports_of_patient(request.user, patient.pk), HISTORY_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = [
        {
            "report": report,
            "reporter": reporter_text(report),
            "symptoms": [_symptom_label(entry.code) for entry in report.symptoms.all()],
            "alert": getattr(report, "alert", None),
        }
        for report in page
    ]
    return render(
        request, "reporting/history.html", {"patient": patient, "page": page, "rows": rows}
    )
