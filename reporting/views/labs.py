"""Lab results on the nurse dashboard: entering a panel, and choosing a test's baseline.

Nurses only (403 for anyone else), and only for their care teams' patients (404 otherwise),
like every /triage/ page. Families never see lab values.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from reporting.decorators import nurse_required
from reporting.lab_forms import LabPanelForm
from reporting.models import LabPanel
from reporting.selectors import get_patient_for_nurse
from reporting.selectors.labs import get_lab_result_for_nurse, reference_ranges
from reporting.services import labs as lab_services
from reporting.triage import TriageValidationError


@never_cache
@nurse_required
@require_http_methods(["GET", "HEAD", "POST"])
def lab_panel_new(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = get_patient_for_nurse(request.user, patient_id)
    form = LabPanelForm(
        request.POST if request.method == "POST" else None, ranges=reference_ranges()
    )
    if request.method == "POST" and form.is_valid():
        try:
            panel = lab_services.lab_panel_record(
                patient=patient,
                collected_at=form.cleaned_data["collected_at"],
                results=form.results(),
                source=LabPanel.Source.ENTERED,
                entered_by=request.user,  # type: ignore[arg-type]
            )
        except lab_services.LabInputError as error:
            form.add_input_error(error)
        except TriageValidationError as error:
            form.add_problems(error.errors)
        except lab_services.LabDuplicateError:
            form.add_error(
                "collected_at",
                _("Results of these tests at this time are already recorded for this patient."),
            )
        else:
            messages.success(
                request,
                _("Lab results recorded: %(level)s.") % {"level": panel.get_level_display()},
            )
            return redirect("nurse_patient", patient_id=patient.pk)
    return render(
        request, "reporting/dashboard/lab_panel_form.html", {"patient": patient, "form": form}
    )


@nurse_required
@require_POST
def baseline_choose(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = get_patient_for_nurse(request.user, patient_id)
    raw = request.POST.get("result", "")
    if not raw.isdigit():
        messages.error(request, _("Choose the result to use as the baseline."))
        return redirect("nurse_patient", patient_id=patient.pk)
    result = get_lab_result_for_nurse(request.user, int(raw))
    if result.patient_id != patient.pk:
        raise Http404
    try:
        lab_services.baseline_choose(nurse=request.user, result=result)  # type: ignore[arg-type]
    except ValueError:
        messages.error(request, _("This test takes no baseline."))
    else:
        messages.success(request, _("Baseline chosen: later results are compared with it."))
    return redirect("nurse_patient", patient_id=patient.pk)
