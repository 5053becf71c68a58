"""Signing in safely: two-factor sign-in for staff, and the throttled password reset.

README, "Security". The log-in form itself is Django's, guarded by django-axes.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import user_has_device

from reporting.decorators import AuthenticatedHttpRequest
from reporting.forms import OutboxPasswordResetForm
from reporting.roles import is_staff_member
from reporting.security import throttle, two_factor
from reporting.views.navigation import next_url


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


def _next_url(request: HttpRequest) -> str:
    return next_url(request, "/home/")


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def two_factor_setup(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Enrol an authenticator app; a confirmed sign-in may also renew the backup codes.

    Someone holding only the password cannot enrol a second app: with an app already set up
    they are sent to give its code first.
    """
    user = request.user
    if not is_staff_member(user):
        return redirect("home")
    enrolled = user_has_device(user)
    if enrolled and not user.is_verified():  # type: ignore[attr-defined]
        return redirect("two_factor_verify")
    if enrolled:
        return render(
            request,
            "registration/two_factor_status.html",
            {"codes_left": two_factor.backup_codes_left(user)},
        )
    device = two_factor.enrolment_device(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and not _too_soon(user, form):
        codes = two_factor.enrolment_confirm(
            request=request, device=device, token=form.cleaned_data["code"]
        )
        if codes is not None:
            return _show_codes(request, codes, next_url=_next_url(request))
        form.add_error("code", _WRONG_APP_CODE)
    context = {
        "form": form,
        "qr_code": two_factor.qr_code_svg(device),
        "secret": two_factor.secret_for_typing(device),
        "next": _next_url(request),
    }
    return render(request, "registration/two_factor_setup.html", context)


_WRONG_APP_CODE = _(
    "That code did not work. The app shows a new code every 30 seconds: type the one showing now."
)
_WRONG_CODE = _(
    "That code did not work. The app shows a new code every 30 seconds: type the one "
    "showing now, or one of your backup codes."
)


def _too_soon(user: Any, form: CodeForm) -> bool:
    """After wrong codes django-otp checks none for a while (1, 2, 4 ... s): say so rather
    than calling a right code wrong."""
    wait = two_factor.seconds_to_wait(user)
    if wait:
        message = ngettext(
            "Too many wrong codes: wait %(seconds)d second, then type the code showing then.",
            "Too many wrong codes: wait %(seconds)d seconds, then type the code showing then.",
            wait,
        )
        form.add_error("code", message % {"seconds": wait})
    return bool(wait)


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def two_factor_verify(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The code at each staff sign-in: from the app, or a single-use backup code."""
    user = request.user
    if not is_staff_member(user) or user.is_verified():  # type: ignore[attr-defined]
        return HttpResponseRedirect(_next_url(request))
    if not user_has_device(user):
        return redirect("two_factor_setup")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and not _too_soon(user, form):
        if two_factor.sign_in_confirm(request=request, user=user, token=form.cleaned_data["code"]):
            return HttpResponseRedirect(_next_url(request))
        form.add_error("code", _WRONG_CODE)
    context = {"form": form, "next": _next_url(request)}
    return render(request, "registration/two_factor_verify.html", context)


@never_cache
@login_required
@require_POST
def backup_codes_renew(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not is_staff_member(request.user) or not request.user.is_verified():  # type: ignore[attr-defined]
        return redirect("two_factor_setup")
    codes = two_factor.backup_codes_renew(request.user)
    return _show_codes(request, codes, next_url="/home/")


def _show_codes(request: HttpRequest, codes: list[str], *, next_url: str) -> HttpResponse:
    context = {"codes": codes, "next": next_url}
    return render(request, "registration/two_factor_backup_codes.html", context)


class ThrottledPasswordResetView(auth_views.PasswordResetView):
    """Django's reset page, at most IMMUNOWATCH_PASSWORD_RESETS_PER_HOUR e-mails per address
    and hour. Past the limit the page answers as usual (it never says whether an account
    exists) but sends nothing; one client address asking too often gets the wait page."""

    form_class = OutboxPasswordResetForm
    http_method_names = ["get", "head", "post", "options"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if throttle.reset_client_over_limit(request):
            return throttle.too_many_attempts(request)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: Any) -> HttpResponse:
        if throttle.reset_email_over_limit(self.request, form.cleaned_data["email"]):
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)
