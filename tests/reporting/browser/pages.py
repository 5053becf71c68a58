"""Every page a family member or a nurse opens, on the demo data: what the whole-site browser
tests (accessibility, tap targets) walk through.

`demo_world()` loads the demo (`seed_demo`), the starter education pages and a few more
reports, so that each kind of page exists: a result page at every level, one a nurse has dealt
with, a note with no symptom, a person linked to two patients (the "who for?" page), an open
invitation, a password-reset link. `family_visits()` and `nurse_visits()` list the pages with
the URL name (as in tests/test_http_rules.VIEWS) each one covers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_totp.models import TOTPDevice

from education.models import Article
from education.starter import load_starter_pages
from reporting import services
from reporting.models import Alert, CaregiverLink, Patient, Relationship, Report, User
from reporting.roles import FAMILY_GROUP, NURSE_GROUP

DEMO_PASSWORD = "immunowatch-demo"
# Nurses work at a desk.
DESKTOP = {"width": 1280, "height": 900}


@dataclass(frozen=True)
class Visit:
    """One page: its URL name (for the list of what is covered), a label for messages, the
    path to open, and what to do there first (e.g. send a form whose answer is the page)."""

    view: str
    label: str
    path: str
    then: Callable[[Any], None] | None = field(default=None, compare=False)
    status: int = 200  # of the response to opening `path`


@dataclass(frozen=True)
class World:
    family: User
    nurse: User
    an: Patient  # the demo patient of demo-family, with the demo's open urgent alert
    binh: Patient  # a second patient demo-family is linked to here
    results: dict[str, Report]  # by what the page shows: "routine", "urgent", ...
    open_alert: Alert
    resolved_alert: Alert
    article_slug: str
    invitation_token: str
    reset_path: str


def _report(patient: Patient, by: User, symptoms: list[dict[str, Any]], note: str = "") -> Report:
    return services.report_submit(
        patient=patient,
        reported_by=by,
        reporter_role=Report.ReporterRole.FAMILY,
        reporter_relationship=Relationship.CHILD,
        symptoms=symptoms,
        note=note,
    )


def demo_world() -> World:
    # A transactional test before this one may have flushed what the migrations made.
    for name in (NURSE_GROUP, FAMILY_GROUP):
        Group.objects.get_or_create(name=name)
    load_starter_pages(Article, timezone.localdate())
    call_command("seed_demo", "--force", stdout=open("/dev/null", "w"))  # noqa: SIM115
    family = User.objects.get(username="demo-family")
    nurse = User.objects.get(username="demo-nurse")
    an = Patient.objects.get(hospital_number="DEMO-0001")
    binh = Patient.objects.get(hospital_number="DEMO-0002")
    CaregiverLink.objects.create(user=family, patient=binh, relationship=Relationship.CHILD)
    open_alert = Alert.objects.get(patient=an, status=Alert.Status.NEW, level="urgent")
    # A report's alert the demo nurse has resolved: its page says so first.
    resolved_alert = (
        Alert.objects.filter(patient=an, status=Alert.Status.RESOLVED, reports__isnull=False)
        .order_by("pk")
        .first()
    )
    assert resolved_alert is not None
    dealt_with = resolved_alert.reports.order_by("pk").first()
    assert dealt_with is not None
    results = {
        "urgent": open_alert.reports.get(),
        "dealt-with": dealt_with,
        "routine": _report(an, family, [{"code": "fatigue", "severity": "mild"}]),
        "check-in-with-a-note": _report(binh, family, [], note="Bà ngủ nhiều hơn mọi khi."),
        "monitor": _report(binh, family, [{"code": "rash", "body_area": "small"}]),
        "emergency": _report(binh, family, [{"code": "chest_or_heart", "chest_pain": True}]),
    }
    _invitation, token = services.invitation_create(
        created_by=nurse, patient=an, email="new.family@example.org", relationship="spouse"
    )
    uid = urlsafe_base64_encode(force_bytes(family.pk))
    reset = reverse(
        "password_reset_confirm", args=[uid, default_token_generator.make_token(family)]
    )
    article = Article.objects.filter(language="en", symptom_codes__len__gt=0).first()
    article = article or Article.objects.filter(language="en").first()
    assert article is not None
    return World(
        family=family,
        nurse=nurse,
        an=an,
        binh=binh,
        results=results,
        open_alert=open_alert,
        resolved_alert=resolved_alert,
        article_slug=article.slug,
        invitation_token=token,
        reset_path=reset,
    )


def give_the_nurse_an_authenticator(world: World) -> User:
    """Another demo nurse with a confirmed authenticator app: her sign-in asks for the code."""
    nurse2 = User.objects.get(username="demo-nurse-2")
    TOTPDevice.objects.create(user=nurse2, name="app", confirmed=True)
    return nurse2


def anonymous_visits(world: World) -> list[Visit]:
    """Before signing in: log-in, password reset, an invitation."""
    return [
        Visit("login", "log-in", reverse("login")),
        Visit("password_reset", "password reset", reverse("password_reset")),
        Visit("password_reset_done", "password reset sent", reverse("password_reset_done")),
        Visit("password_reset_confirm", "new password", world.reset_path),
        Visit("password_reset_complete", "new password saved", reverse("password_reset_complete")),
        Visit(
            "invitation_accept",
            "invitation",
            reverse("invitation_link", args=[world.invitation_token]),
        ),
        Visit("invitation_link", "invitation not valid", "/invite/not-a-real-token/", status=404),
        Visit("education:article_list", "education pages", reverse("education:article_list")),
    ]


def family_visits(world: World) -> list[Visit]:
    """Signed in as demo-family (linked to An and Bình)."""
    an, results = world.an, world.results
    visits = [
        Visit("family_home", "start page", reverse("family_home")),
        Visit("report_new", "report form: who for?", reverse("report_new")),
        Visit("report_new", "report form", f"{reverse('report_new')}?patient={an.pk}"),
        Visit(
            "report_new",
            "report form: refused answers",
            f"{reverse('report_new')}?patient={an.pk}",
            then=_send_a_refused_report,
        ),
    ]
    visits += [
        Visit("report_result", f"result: {what}", reverse("report_result", args=[report.pk]))
        for what, report in results.items()
    ]
    visits += [
        Visit("patient_history", "history", reverse("patient_history", args=[an.pk])),
        Visit("patient_detail", "patient details", reverse("patient_detail", args=[an.pk])),
        Visit("education:article_list", "education pages", reverse("education:article_list")),
        Visit(
            "education:article_detail",
            "an education page",
            reverse("education:article_detail", args=[world.article_slug]),
        ),
        Visit("password_change", "change password", reverse("password_change")),
        Visit("password_change_done", "password changed", reverse("password_change_done")),
        Visit("404", "page not found", "/learn/no-such-page/", status=404),
    ]
    return visits


def _send_a_refused_report(page: Any) -> None:
    """The form again with its error summary: a temperature of 45 °C."""
    page.locator("input[name='symptoms'][value='fever']").check()
    page.fill("input[name='fever-temperature_c']", "45")
    page.locator("button.btn[name='send']").click()
    page.wait_for_selector("#form-errors")


def nurse_visits(world: World) -> list[Visit]:
    """Signed in as demo-nurse, at a desk."""
    an = world.an
    return [
        Visit("triage_queue", "alert queue", reverse("triage_queue")),
        Visit("alert_detail", "open alert", reverse("alert_detail", args=[world.open_alert.pk])),
        Visit(
            "alert_detail",
            "resolved alert",
            reverse("alert_detail", args=[world.resolved_alert.pk]),
        ),
        Visit(
            "alert_act",
            "resolve: are you sure?",
            reverse("alert_detail", args=[world.open_alert.pk]),
            then=_ask_to_resolve,
        ),
        Visit("missed_checkins", "missed check-ins", reverse("missed_checkins")),
        Visit("quality", "quality", reverse("quality")),
        Visit("nurse_home", "patient list", reverse("nurse_home")),
        Visit("patient_enroll", "enrol a patient", reverse("patient_enroll")),
        Visit("patient_detail", "patient details", reverse("patient_detail", args=[an.pk])),
        Visit("patient_invite", "invite a family member", reverse("patient_invite", args=[an.pk])),
        Visit(
            "invitation_sent",
            "invitation created",
            reverse("patient_invite", args=[an.pk]),
            then=_invite_someone,
        ),
        Visit("nurse_patient", "patient page", reverse("nurse_patient", args=[an.pk])),
        Visit("lab_panel_new", "enter blood tests", reverse("lab_panel_new", args=[an.pk])),
        Visit("treatment_cycles", "cycles", reverse("treatment_cycles", args=[an.pk])),
        Visit("report_new", "report by phone", f"{reverse('report_new')}?patient={an.pk}"),
        Visit(
            "report_result",
            "report page",
            reverse("report_result", args=[world.results["urgent"].pk]),
        ),
        Visit("patient_history", "history", reverse("patient_history", args=[an.pk])),
        Visit("two_factor_setup", "two-factor set-up", reverse("two_factor_setup")),
        Visit("education:article_list", "education pages", reverse("education:article_list")),
    ]


def _ask_to_resolve(page: Any) -> None:
    page.locator("button[value='acknowledge']").click()
    page.locator("input[name='outcome']").first.check()
    page.locator("button[value='resolve']").click()
    page.wait_for_selector("#confirm-outcome")


def _invite_someone(page: Any) -> None:
    page.fill("input[name='email']", "another.family@example.org")
    page.select_option("select[name='relationship']", "spouse")
    page.locator("main form [type=submit]").last.click()
    page.wait_for_url("**/sent/")


# Why the pages no browser test here opens are left out (the accessibility test checks that
# every page of tests/test_http_rules.VIEWS, the POST-only endpoints aside, is either visited
# or listed here).
LEFT_OUT = {
    "healthz": "JSON for the load balancer, not a page",
    "quality_csv": "a CSV download, not a page",
    "landing": "redirects to the log-in or the person's start page",
    "home": "redirects to the person's start page",
}
