"""Every view of the project: which methods it answers, and whether browsers may keep a copy.

The table below classifies every URL pattern of the project's own apps (found by walking
`get_resolver()`): a new view fails `test_every_project_url_is_classified` until it is added,
and then the 405 and no-store tests hold it to its class.

- SAFE pages answer GET and HEAD only (`require_safe`);
- FORM pages GET, HEAD and POST (`require_http_methods(["GET", "HEAD", "POST"])`);
- ACTION endpoints POST only (`require_POST`).

Django's own views (log-in and password pages) and the admin's pages (with
those django-otp and django-simple-history add) are not the project's and are not listed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from reporting import services
from reporting.models import User
from tests.education.factories import ArticleFactory
from tests.reporting.dashboard.factories import raise_alert

SAFE, FORM, ACTION = "safe", "form", "action"
NURSE, FAMILY, ANONYMOUS = "nurse", "family", "anonymous"
PROJECT_MODULES = ("reporting.", "education.", "config.")
# Django's own views (log-in, password pages).
LIBRARIES = ("django.",)


@dataclass(frozen=True)
class View:
    kind: str
    role: str  # who opens it in these tests: the role it is for
    private: bool = True  # health or account data: Cache-Control: no-store


VIEWS: dict[str, View] = {
    "healthz": View(SAFE, ANONYMOUS, private=False),  # no data; never_cache all the same
    "education:article_list": View(SAFE, ANONYMOUS, private=False),
    "education:article_detail": View(SAFE, ANONYMOUS, private=False),
    "landing": View(SAFE, FAMILY),
    "home": View(SAFE, FAMILY),
    "family_home": View(SAFE, FAMILY),
    "invitation_link": View(SAFE, ANONYMOUS),
    "invitation_accept": View(FORM, ANONYMOUS),
    "nurse_home": View(SAFE, NURSE),
    "patient_enroll": View(FORM, NURSE),
    "patient_detail": View(SAFE, FAMILY),
    "patient_invite": View(FORM, NURSE),
    "invitation_sent": View(SAFE, NURSE),
    "report_new": View(FORM, FAMILY),
    "report_result": View(SAFE, FAMILY),
    "patient_history": View(SAFE, FAMILY),
    "triage_queue": View(SAFE, NURSE),
    "missed_checkins": View(SAFE, NURSE),
    "alert_detail": View(SAFE, NURSE),
    "alert_act": View(ACTION, NURSE),
    "nurse_patient": View(SAFE, NURSE),
    "snooze_create": View(ACTION, NURSE),
    "lab_panel_new": View(FORM, NURSE),
    "baseline_choose": View(ACTION, NURSE),
    "treatment_cycles": View(FORM, NURSE),
    "next_infusion_plan": View(ACTION, NURSE),
    "snooze_cancel": View(ACTION, NURSE),
    "checkin_call_create": View(ACTION, NURSE),
    "quality": View(SAFE, NURSE),
    "quality_csv": View(SAFE, NURSE),
    "password_reset": View(FORM, ANONYMOUS, private=False),
    "set_language": View(ACTION, ANONYMOUS, private=False),
    "two_factor_setup": View(FORM, NURSE),
    "two_factor_verify": View(FORM, NURSE),
    "backup_codes_renew": View(ACTION, NURSE),
}
REFUSED = {
    SAFE: ["post", "put", "delete", "patch"],
    FORM: ["put", "delete", "patch"],
    ACTION: ["get", "head", "put", "delete", "patch"],
}
HANDLED = {SAFE: ["get", "head"], FORM: ["get", "head", "post"], ACTION: ["post"]}


def _walk(patterns: list[Any], namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, inner)
        else:
            yield f"{namespace}{pattern.name}", pattern


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_every_project_url_is_classified() -> None:
    ours, django_own = set(), set()
    for name, pattern in _walk(get_resolver().url_patterns):
        module = pattern.callback.__module__
        if name.startswith("admin:"):
            continue  # the admin's pages, even those a ModelAdmin of ours overrides
        if module.startswith(PROJECT_MODULES):
            ours.add(name)
        else:
            assert module.startswith(LIBRARIES), (name, module)
            django_own.add(name)
    assert ours == set(VIEWS), "classify the new view in VIEWS (tests/test_http_rules.py)"
    assert "login" in django_own  # the walk did see Django's own


@pytest.fixture
def world(
    nurse: User, patient: Any, family: User, django_capture_on_commit_callbacks: Any
) -> dict[str, Any]:
    """One of everything a URL can name, all visible to `nurse` and `family`."""
    invitation, token = services.invitation_create(
        created_by=nurse, patient=patient, email="minh@example.org", relationship="child"
    )
    alert = raise_alert(patient, "urgent", by=family)
    snooze = services.snooze_symptom(nurse=nurse, patient=patient, code="fatigue", days=3)
    return {
        "users": {NURSE: nurse, FAMILY: family},
        "kwargs": {
            "patient_id": patient.pk,
            "invitation_id": invitation.pk,
            "report_id": alert.reports.get().pk,
            "alert_id": alert.pk,
            "snooze_id": snooze.pk,
            "token": token,
            "slug": ArticleFactory.create().slug,
        },
    }


def open_as(client: Client, world: dict[str, Any], name: str) -> str:
    """Log in as the view's role (and open the invitation first where needed); its URL."""
    view = VIEWS[name]
    if view.role != ANONYMOUS:
        client.force_login(world["users"][view.role])
    if name == "invitation_accept":
        client.get(reverse("invitation_link", args=[world["kwargs"]["token"]]))
    pattern = dict(_walk(get_resolver().url_patterns))[name].pattern
    params = pattern.converters if hasattr(pattern, "converters") else {}
    return reverse(name, kwargs={key: world["kwargs"][key] for key in params})


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "method"),
    [(name, method) for name, view in VIEWS.items() for method in REFUSED[view.kind]],
)
def test_a_method_the_view_does_not_handle_is_refused_with_405(
    client: Client, world: dict[str, Any], name: str, method: str
) -> None:
    url = open_as(client, world, name)
    response = getattr(client, method)(url)
    assert response.status_code == 405, (name, method, response.status_code)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "method"),
    [(name, method) for name, view in VIEWS.items() for method in HANDLED[view.kind]],
)
def test_the_methods_the_view_handles_are_not_refused(
    client: Client, world: dict[str, Any], name: str, method: str
) -> None:
    # The other half of the classification: the table must not call a form a page.
    url = open_as(client, world, name)
    response = getattr(client, method)(url)
    assert response.status_code not in (403, 404, 405), (name, method, response.status_code)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    [name for name, view in VIEWS.items() if view.private and view.kind != ACTION],
)
def test_private_pages_tell_browsers_and_proxies_not_to_store_them(
    client: Client, world: dict[str, Any], name: str
) -> None:
    url = open_as(client, world, name)
    response = client.get(url)
    assert response.status_code != 404
    directives = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    assert "no-store" in directives, (name, response.get("Cache-Control"))
    assert "private" in directives


@pytest.mark.django_db
def test_public_education_pages_may_be_cached(client: Client, world: dict[str, Any]) -> None:
    url = open_as(client, world, "education:article_list")
    assert "no-store" not in client.get(url).get("Cache-Control", "")
