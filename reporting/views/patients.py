"""Patients: the nurse's list, enrollment, the patient page, and inviting family members."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from reporting import roles, services
from reporting.decorators import AuthenticatedHttpRequest, nurse_required
from reporting.forms import InvitationForm, PatientEnrollForm, add_service_errors
from reporting.security.audit import What, access_record
from reporting.selectors import (
    care_teams_of,
    get_invitation_for_nurse,
    get_patient_for_nurse,
    get_patient_for_user,
    in_care_team,
    patients_in_care_of,
)


@never_cache
@nurse_required
@require_safe
def nurse_home(request: AuthenticatedHttpRequest) -> HttpResponse:
    patients = patients_in_care_of(request.user).select_related("care_team").order_by("full_name")
    return render(request, "reporting/patient_list.html", {"patients": patients})


@never_cache
@nurse_required
@require_http_methods(["GET", "HEAD", "POST"])
def patient_enroll(request: AuthenticatedHttpRequest) -> HttpResponse:
    teams = care_teams_of(request.user)
    form = PatientEnrollForm(request.POST or None, care_teams=teams)
    if request.method == "POST" and form.is_valid():
        try:
            patient = services.patient_enroll(nurse=request.user, **form.cleaned_data)
        except ValidationError as error:  # e.g. the same hospital number, at the same moment
            add_service_errors(form, error)
        else:
            messages.success(request, _("Patient enrolled. You can now invite their family."))
            return redirect("patient_detail", patient_id=patient.pk)
    return render(request, "reporting/patient_form.html", {"form": form})


@never_cache
@login_required
@require_safe
def patient_detail(request: AuthenticatedHttpRequest, patient_id: int) -> HttpResponse:
    patient = get_patient_for_user(request.user, patient_id)
    access_record(request, patient=patient, what=What.PATIENT_RECORD)
    links = patient.caregiver_links.select_related("user").order_by("created_at")
    context = {
        "patient": patient,
        "links": links,
        "as_nurse": roles.is_nurse(request.user)
        and in_care_team(request.user, patient.care_team_id),
    }
    return render(request, "reporting/patient_detail.html", context)


# Session key: {invitation id: raw token} of invitations just created by this nurse. The raw
# token lives only here (and in the e-mail) until the "sent" page shows it once and pops it;
# the database has only its hash.
CREATED_INVITATION_LINKS = "_created_invitation_links"


@never_cache
@nurse_required
@require_http_methods(["GET", "HEAD", "POST"])
def patient_invite(request: AuthenticatedHttpRequest, patient_id: int) -> HttpResponse:
    patient = get_patient_for_nurse(request.user, patient_id)
    form = InvitationForm(request.POST or None, initial={"language": patient.preferred_language})
    if request.method == "POST" and form.is_valid():
        try:
            invitation, token = services.invitation_create(
                created_by=request.user, patient=patient, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            # POST-redirect-GET: reloading the next page must not invite (and e-mail) again.
            links = request.session.get(CREATED_INVITATION_LINKS, {})
            links[str(invitation.pk)] = token
            request.session[CREATED_INVITATION_LINKS] = links
            return redirect("invitation_sent", patient_id=patient.pk, invitation_id=invitation.pk)
    return render(request, "reporting/invite_form.html", {"patient": patient, "form": form})


@never_cache
@nurse_required
@require_safe
def invitation_sent(
    request: AuthenticatedHttpRequest, patient_id: int, invitation_id: int
) -> HttpResponse:
    """Shows the new invitation's link once; a reload says it was shown and changes nothing."""
    invitation = get_invitation_for_nurse(request.user, patient_id, invitation_id)
    links = request.session.get(CREATED_INVITATION_LINKS, {})
    token = links.pop(str(invitation.pk), None)
    link = None
    if token is not None:
        request.session[CREATED_INVITATION_LINKS] = links
        link = request.build_absolute_uri(reverse("invitation_link", args=[token]))
    return render(
        request,
        "reporting/invite_created.html",
        {"patient": invitation.patient, "invitation": invitation, "link": link},
    )
