"""Recording a call about a missed check-in, from the missed check-ins list or the patient's
page: two buttons ("Called, no answer", "Called, all well") and an optional short note.
Nurses only (403 for anyone else), for their care teams' patients (404 otherwise); POST +
CSRF, a message, and back to the page the nurse came from (PRG)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reporting.decorators import AuthenticatedHttpRequest, nurse_required
from reporting.models import CheckinCall
from reporting.selectors import get_patient_for_nurse
from reporting.services.checkins import CheckinCallError, checkin_call_record
from reporting.views.navigation import next_url


@nurse_required
@require_POST
def checkin_call_create(request: AuthenticatedHttpRequest, patient_id: int) -> HttpResponse:
    patient = get_patient_for_nurse(request.user, patient_id)
    try:
        call = checkin_call_record(
            nurse=request.user,
            patient=patient,
            outcome=request.POST.get("outcome", ""),
            note=request.POST.get("note", ""),
        )
    except CheckinCallError as error:
        messages.error(request, str(error))
    else:
        if call.outcome == CheckinCall.Outcome.ALL_WELL:
            done = _(
                "Call recorded for %(name)s: all well. They leave the missed check-ins list "
                "until a week passes without news again."
            )
        else:
            done = _(
                "Call recorded for %(name)s: no answer. They stay on the missed check-ins list."
            )
        messages.success(request, done % {"name": patient.full_name})
    # Back to the list or the patient page, wherever the buttons were.
    return redirect(next_url(request, reverse("nurse_patient", args=[patient.pk])))
