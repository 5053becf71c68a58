"""Treatment cycles on the nurse dashboard: the doses given, recording one, and planning the
next. Nurses only (403 for anyone else), for their care teams' patients (404 otherwise)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from reporting.care_forms import InfusionForm, NextInfusionForm
from reporting.decorators import AuthenticatedHttpRequest, nurse_required
from reporting.models import Patient
from reporting.pages.cycles import cycle_summary
from reporting.security.audit import What, access_record
from reporting.selectors import get_patient_for_nurse
from reporting.selectors.people import infusions_of
from reporting.services import care
from reporting.services.care import InfusionError


def _page(
    request: AuthenticatedHttpRequest,
    patient: Patient,
    infusion_form: InfusionForm,
    next_form: NextInfusionForm,
) -> HttpResponse:
    infusions = infusions_of(patient)
    context = {
        "patient": patient,
        "infusions": infusions,
        "cycle": cycle_summary(patient, infusions),
        "form": infusion_form,
        "next_form": next_form,
    }
    return render(request, "reporting/dashboard/cycles.html", context)


def _next_form(patient: Patient, data: object = None) -> NextInfusionForm:
    return NextInfusionForm(data, initial={"next_on": patient.next_infusion_on})  # type: ignore[arg-type]


@never_cache
@nurse_required
@require_http_methods(["GET", "HEAD", "POST"])
def treatment_cycles(request: AuthenticatedHttpRequest, patient_id: int) -> HttpResponse:
    """The doses given so far, and the form to record one (POST)."""
    patient = get_patient_for_nurse(request.user, patient_id)
    access_record(request, patient=patient, what=What.TREATMENT_CYCLES)
    infusions = infusions_of(patient)
    last = infusions[0] if infusions else None
    form = InfusionForm(
        request.POST if request.method == "POST" else None, patient=patient, last=last
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                infusion = care.infusion_record(
                    nurse=request.user, patient=patient, **form.cleaned_data
                )
            except InfusionError as error:
                form.add_service_error(error)
            else:
                messages.success(
                    request,
                    _("Cycle %(cycle)s recorded (given on %(date)s).")
                    % {"cycle": infusion.cycle_number, "date": date_format(infusion.given_on)},
                )
                return redirect("nurse_patient", patient_id=patient.pk)
        # Everything wrong at once: what the service would refuse, beside the form's own.
        for problem in care.infusion_problems(
            patient=patient,
            given_on=form.cleaned_data.get("given_on"),
            cycle_number=form.cleaned_data.get("cycle_number"),
            next_on=form.cleaned_data.get("next_on"),
        ):
            if problem.field not in form.errors:
                form.add_service_error(problem)
        return _page(request, patient, form, _next_form(patient))
    return _page(request, patient, form, _next_form(patient))


@nurse_required
@require_POST
def next_infusion_plan(request: AuthenticatedHttpRequest, patient_id: int) -> HttpResponse:
    patient = get_patient_for_nurse(request.user, patient_id)
    form = _next_form(patient, request.POST)
    if form.is_valid():
        try:
            care.next_infusion_plan(
                nurse=request.user, patient=patient, on=form.cleaned_data["next_on"]
            )
        except InfusionError as error:
            form.add_service_error(error)
        else:
            on = form.cleaned_data["next_on"]
            messages.success(
                request,
                _("Next infusion planned on %(date)s.") % {"date": date_format(on)}
                if on
                else _("No next infusion planned."),
            )
            return redirect("nurse_patient", patient_id=patient.pk)
    last = patient.infusions.order_by("-given_on", "-id").first()
    return _page(request, patient, InfusionForm(patient=patient, last=last), form)
