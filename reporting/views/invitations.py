"""Accepting an invitation: the person sets a password and is linked to the patient.

The e-mailed link `/invite/<token>/` only puts the token in the session and redirects to
`/invite/accept/`, as Django's password reset does: the token then leaves the address bar, so
it is not in the access log of every later request, in the browser history of the form, or in
the Referer header of anything the page loads. The form posts to the token-free address.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from reporting import services
from reporting.forms import AcceptInvitationForm, add_service_errors
from reporting.security import throttle

# Session key of the raw token between the e-mailed link and the form. It stays after use:
# it opens nothing any more, and a second click is told that the invitation was used.
INVITATION_TOKEN_SESSION_KEY = "_invitation_token"  # noqa: S105 (a name, not a secret)


def _invalid(request: HttpRequest, error: services.InvitationError) -> HttpResponse:
    """The one answer for a link that does not work (404), saying why when we know. Each
    counts against the client's hourly tries (README, "Security")."""
    throttle.invitation_try_failed(request)
    return render(request, "reporting/invite_invalid.html", {"reason": error.reason}, status=404)


@never_cache
@require_safe
def invitation_link(request: HttpRequest, token: str) -> HttpResponse:
    """The e-mailed link: keep its token in the session and continue without it."""
    if throttle.invitation_tries_exhausted(request):
        return throttle.too_many_attempts(request)
    try:
        services.invitation_find(token)
    except services.InvitationError as error:
        return _invalid(request, error)
    request.session[INVITATION_TOKEN_SESSION_KEY] = token
    return redirect("invitation_accept")


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def invitation_accept(request: HttpRequest) -> HttpResponse:
    if throttle.invitation_tries_exhausted(request):
        return throttle.too_many_attempts(request)
    token = request.session.get(INVITATION_TOKEN_SESSION_KEY, "")
    try:
        invitation = services.invitation_find(token)
    except services.InvitationError as error:
        return _invalid(request, error)

    if request.user.is_authenticated and request.method == "POST" and "link_me" in request.POST:
        try:
            services.invitation_accept(token=token, username="", password="", user=request.user)
        except services.InvitationError as error:  # the other click of a double click won
            return _invalid(request, error)
        messages.success(request, _("Done. You can now report for this person."))
        return redirect("home")

    form = AcceptInvitationForm(request.POST or None, initial={"first_name": invitation.name})
    if request.method == "POST" and "link_me" not in request.POST and form.is_valid():
        try:
            user = services.invitation_accept(
                token=token,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password1"],
                first_name=form.cleaned_data["first_name"],
                language=get_language() or "",
            )
        except services.InvitationError as error:
            return _invalid(request, error)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            login(request, user, backend="reporting.security.backends.RolesModelBackend")
            messages.success(request, _("Welcome. Your account is ready."))
            return redirect("home")
    return render(request, "reporting/invite_accept.html", {"form": form, "invitation": invitation})
