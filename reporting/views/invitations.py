"""Accepting an invitation: the person sets a password and is linked to the patient."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from reporting import services
from reporting.forms import AcceptInvitationForm


@never_cache
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = services.invitation_find(token)
    except services.InvitationError:
        return render(request, "reporting/invite_invalid.html", status=404)

    if request.user.is_authenticated and request.method == "POST" and "link_me" in request.POST:
        services.invitation_accept(token=token, username="", password="", user=request.user)
        messages.success(request, _("Done. You can now report for this person."))
        return redirect("home")

    form = AcceptInvitationForm(
        request.POST or None, initial={"first_name": invitation.name}
    )
    if request.method == "POST" and "link_me" not in request.POST and form.is_valid():
        try:
            user = services.invitation_accept(
                token=token,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password1"],
                first_name=form.cleaned_data["first_name"],
            )
        except services.InvitationError:
            return render(request, "reporting/invite_invalid.html", status=404)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome. Your account is ready."))
        return redirect("home")
    return render(request, "reporting/invite_accept.html", {"form": form, "invitation": invitation})
