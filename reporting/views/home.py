"""Where each role lands after log-in."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from reporting import roles
from reporting.decorators import AuthenticatedHttpRequest
from reporting.models import User
from reporting.selectors import patients_visible_to


def role_home_url(user: User) -> str:
    """The URL name of the user's home page; nurses work the alert queue, admins the admin."""
    if roles.is_nurse(user):
        return "triage_queue"
    if roles.is_admin(user) and not roles.is_family(user):
        return "admin:index"
    return "family_home"


@never_cache
@require_safe
def landing(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(role_home_url(request.user))
    return redirect("login")


@never_cache
@login_required
@require_safe
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    return redirect(role_home_url(request.user))


@never_cache
@login_required
@require_safe
def family_home(request: AuthenticatedHttpRequest) -> HttpResponse:
    patients = patients_visible_to(request.user).select_related("care_team").order_by("full_name")
    return render(request, "reporting/family_home.html", {"patients": patients})
