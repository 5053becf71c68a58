"""The nurse dashboard under /triage/: the alert queue, an alert and its actions, a patient's
record with snoozes, and missed check-ins.

Every view is for nurses only (403 for anyone else, log-in for the anonymous) and gets its
object through the small helpers at the top, so that an alert, patient or snooze of another
care team is a 404 everywhere. Actions are POST + CSRF and redirect back (PRG); the services
write the `AlertEvent`s.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import cached_property
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from education.selectors import articles_for_symptoms
from reporting.dashboard_forms import AlertWorkForm, QueueFilterForm, SnoozeForm
from reporting.decorators import AuthenticatedHttpRequest, nurse_required
from reporting.models import Alert, Patient, Snooze
from reporting.pages.dashboard import (
    QUEUE_LINE_VALUES,
    AlertLine,
    alert_view,
    patient_record,
    queue_rows,
)
from reporting.security.audit import What, access_record
from reporting.selectors import care_teams_list, get_patient_for_nurse
from reporting.selectors.checkins import calls_of
from reporting.selectors.dashboard import (
    QUEUE_PAGE_SIZE,
    QueueLines,
    alert_queue,
    get_alert_for_nurse,
    missed_checkins,
    queue_total_and_failed,
    snoozes_for_nurse,
)
from reporting.services import alert_actions
from reporting.services.alert_actions import AlertActionError, WorkStep

REFRESH_SECONDS = 20
MISSED_PAGE_SIZE = 50


class KnownCountPaginator(Paginator):
    """A paginator told its total (`queue_total_and_failed`) instead of counting it."""

    def __init__(self, object_list: Any, per_page: int, total: int) -> None:
        super().__init__(object_list, per_page)
        self.total = total

    @cached_property
    def count(self) -> int:
        return self.total


# --- access helpers: every view gets its objects this way ----------------------------------


def _get_alert_for_user(request: AuthenticatedHttpRequest, alert_id: int) -> Alert:
    return get_alert_for_nurse(request.user, alert_id)


def _get_patient_for_user(request: AuthenticatedHttpRequest, patient_id: int) -> Patient:
    return get_patient_for_nurse(request.user, patient_id)


def _get_snooze_for_user(request: AuthenticatedHttpRequest, snooze_id: int) -> Snooze:
    return get_object_or_404(snoozes_for_nurse(request.user), pk=snooze_id)


def _form_errors(request: HttpRequest, form: Form) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, str(error))


# --- the queue -----------------------------------------------------------------------------


@never_cache
@nurse_required
@require_safe
def triage_queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The queue; `?fragment=1` answers only the part the page's script swaps every 20 s."""
    teams = list(care_teams_list(request.user))
    form = QueueFilterForm(request.GET, care_teams=teams)
    filters = form.filters()
    alerts = alert_queue(request.user, filters)
    total, failed = queue_total_and_failed(request.user, filters, alerts)
    lines = QueueLines(request.user, filters, QUEUE_LINE_VALUES, total)
    page = KnownCountPaginator(lines, QUEUE_PAGE_SIZE, total).get_page(request.GET.get("page"))
    # Links keep the filters but never the fragment flag (that is for the script only).
    params = request.GET.copy()
    for name in ("page", "fragment"):
        params.pop(name, None)
    context: dict[str, Any] = {
        "form": form,
        "filters": filters,
        "page": page,
        "rows": queue_rows(AlertLine.of_values(row) for row in page.object_list),
        "filter_query": params.urlencode(),
        "show_team": len(teams) > 1,
        "failed_notifications": failed,
        "refresh_seconds": REFRESH_SECONDS,
    }
    if request.GET.get("fragment"):
        response = render(request, "reporting/dashboard/_queue_region.html", context)
        # The script swaps only what carries this mark (not, say, a log-in page after expiry).
        response["X-Queue-Fragment"] = "1"
        return response
    return render(request, "reporting/dashboard/queue.html", context)


# --- one alert -----------------------------------------------------------------------------


def _draft_key(alert_id: int) -> str:
    return f"alert-draft-{alert_id}"


def _alert_page(
    request: AuthenticatedHttpRequest, alert: Alert, form: AlertWorkForm, *, status: int = 200
) -> HttpResponse:
    view = alert_view(alert, request.user)
    context = {
        "view": view,
        "alert": alert,
        "articles": articles_for_symptoms(view.symptom_codes, get_language(), audience="staff"),
        "form": form,
    }
    return render(request, "reporting/dashboard/alert_detail.html", context, status=status)


@never_cache
@nurse_required
@require_safe
def alert_detail(request: AuthenticatedHttpRequest, alert_id: int) -> HttpResponse:
    alert = _get_alert_for_user(request, alert_id)
    if alert.has_new_information and alert.claimed_by_id == request.user.pk:
        # The nurse who has it has now seen what joined it.
        Alert.objects.filter(pk=alert.pk).update(has_new_information=False)
    # Text typed beside a button that did not use it (e.g. a closing note typed before
    # "Record outcome") comes back here instead of being lost.
    draft = request.session.pop(_draft_key(alert.pk), {})
    form = AlertWorkForm(initial={"outcome": alert.outcome or None, **draft})
    access_record(request, patient=alert.patient, what=What.ALERT, object_id=alert.pk)
    return _alert_page(request, alert, form)


WORK_DONE = {
    WorkStep.ACKNOWLEDGE: gettext_lazy("Acknowledged: the alert is yours."),
    WorkStep.CLAIM: gettext_lazy("You have taken over this alert."),
    WorkStep.NOTE: gettext_lazy("Call note added."),
    WorkStep.OUTCOME: gettext_lazy("Outcome recorded."),
    WorkStep.RESOLVE: gettext_lazy("Alert resolved."),
    WorkStep.ESCALATE: gettext_lazy("Escalated: the escalation contact is being told."),
}


@never_cache
@nurse_required
@require_POST
def alert_act(request: AuthenticatedHttpRequest, alert_id: int) -> HttpResponse:
    """Every button of the alert page's one form. A refusal shows the page again with all
    that was typed; "Resolve" asks for confirmation first; success redirects (PRG)."""
    alert = _get_alert_for_user(request, alert_id)
    if "back" in request.POST:
        # "Go back" from the confirmation: the page again, with what was typed.
        typed = {name: request.POST.get(name, "") for name in AlertWorkForm.TYPED}
        return _alert_page(request, alert, AlertWorkForm(initial=typed))
    form = AlertWorkForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _alert_page(request, alert, form)
    work = form.work()
    if work.step == WorkStep.RESOLVE and not form.cleaned_data["confirmed"]:
        problem = alert_actions.resolve_problem(alert=alert, work=work)
        if problem is not None:
            messages.error(request, problem)
            return _alert_page(request, alert, form)
        return _confirm_resolve(request, alert, form)
    try:
        alert_actions.alert_work(alert=alert, nurse=request.user, work=work)
    except AlertActionError as error:
        messages.error(request, str(error))
        alert.refresh_from_db()
        return _alert_page(request, alert, form)
    messages.success(request, str(WORK_DONE[WorkStep(work.step)]))
    if work.unused():
        request.session[_draft_key(alert.pk)] = work.unused()
    return redirect("alert_detail", alert_id=alert.pk)


def _confirm_resolve(request: HttpRequest, alert: Alert, form: AlertWorkForm) -> HttpResponse:
    work = form.work()
    outcome = work.outcome or alert.outcome
    context = {
        "alert": alert,
        "form": form,
        "work": work,
        "outcome_label": Alert.Outcome(outcome).label if outcome else "",
    }
    return render(request, "reporting/dashboard/alert_resolve_confirm.html", context)


# --- a patient's record and snoozes --------------------------------------------------------


@never_cache
@nurse_required
@require_safe
def nurse_patient(request: AuthenticatedHttpRequest, patient_id: int) -> HttpResponse:
    record = patient_record(request.user, patient_id)
    access_record(request, patient=record.patient, what=What.PATIENT_RECORD)
    return render(
        request,
        "reporting/dashboard/patient.html",
        {
            "record": record,
            "patient": record.patient,
            "snooze_form": SnoozeForm(),
            "calls": calls_of(record.patient),
        },
    )


@nurse_required
@require_POST
def snooze_create(request: AuthenticatedHttpRequest, patient_id: int) -> HttpResponse:
    patient = _get_patient_for_user(request, patient_id)
    form = SnoozeForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        try:
            alert_actions.snooze_symptom(nurse=request.user, patient=patient, **form.cleaned_data)
        except AlertActionError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Symptom snoozed."))
    return redirect("nurse_patient", patient_id=patient.pk)


@nurse_required
@require_POST
def snooze_cancel(request: AuthenticatedHttpRequest, snooze_id: int) -> HttpResponse:
    snooze = _get_snooze_for_user(request, snooze_id)
    try:
        alert_actions.snooze_cancel(nurse=request.user, snooze=snooze)
    except AlertActionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Snooze cancelled: the symptom alerts again."))
    return redirect("nurse_patient", patient_id=snooze.patient_id)


# --- missed check-ins ----------------------------------------------------------------------


@never_cache
@nurse_required
@require_safe
def missed_checkins_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    page = Paginator(missed_checkins(request.user), MISSED_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "reporting/dashboard/missed.html", {"page": page})
