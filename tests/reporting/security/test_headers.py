"""Headers on every page: a Content-Security-Policy that allows nothing inline, and a
Permissions-Policy that denies camera, microphone and geolocation; and pages that need
nothing inline (every script and style is a file), admin included."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory
from tests.test_http_rules import ACTION, VIEWS, open_as

pytestmark = pytest.mark.django_db

PAGES = sorted(name for name, view in VIEWS.items() if view.kind != ACTION)
ADMIN_PAGES = [
    ("admin:index", []),
    ("admin:reporting_patient_changelist", []),
    ("admin:reporting_patient_change", ["patient_id"]),
    ("admin:reporting_patient_history", ["patient_id"]),
    ("admin:reporting_accessrecord_changelist", []),
    ("admin:reporting_historicalpatient_changelist", []),
    ("admin:reporting_user_changelist", []),
    ("admin:reporting_careteam_add", []),
    ("admin:axes_accessattempt_changelist", []),
    ("admin:otp_totp_totpdevice_changelist", []),
    ("admin:education_article_add", []),
]
ANONYMOUS_PAGES = ["login", "password_reset", "password_reset_done"]


class InlineFinder(HTMLParser):
    """Collects what a CSP without 'unsafe-inline' would block."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name for name, _value in attrs}
        if "style" in names:
            self.found.append(f"<{tag} style=...>")
        self.found += [f"<{tag} {name}=...>" for name in names if name.startswith("on")]
        self.found += [
            f"<{tag} {name}=javascript:>"
            for name, value in attrs
            if (value or "").strip().lower().startswith("javascript:")
        ]
        if tag == "style":
            self.found.append("<style>")
        self._in_script = tag == "script" and "src" not in names
        if self._in_script and dict(attrs).get("type") == "application/json":
            self._in_script = False  # data, not code (json_script)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.found.append(f"<script>{data.strip()[:40]}")


def inline_parts(html: str) -> list[str]:
    finder = InlineFinder()
    finder.feed(html)
    return finder.found


def assert_headers(response: Any, name: str) -> None:
    policy = response.get("Content-Security-Policy", "")
    directives = dict(
        [*part.strip().split(" ", 1), ""][:2] for part in policy.split(";") if part.strip()
    )
    assert directives.get("default-src") == "'self'", (name, policy)
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, (name, policy)
    assert directives.get("script-src") == "'self'" and directives.get("style-src") == "'self'"
    assert directives.get("frame-ancestors") == "'none'"
    permissions = response.get("Permissions-Policy", "")
    for feature in ("camera", "microphone", "geolocation"):
        assert f"{feature}=()" in permissions, (name, permissions)


def check(response: Any, name: str) -> None:
    assert response.status_code == 200, (name, response.status_code)
    assert_headers(response, name)
    found = inline_parts(response.content.decode())
    assert not found, (name, found)


@pytest.mark.parametrize("name", PAGES)
def test_every_page_has_the_policies_and_nothing_inline(
    client: Client,
    world: dict[str, Any],
    name: str,
) -> None:
    url = open_as(client, world, name)
    response = client.get(url, follow=True)
    check(response, name)


@pytest.mark.parametrize("name", ANONYMOUS_PAGES)
def test_log_in_and_password_pages_too(client: Client, name: str) -> None:
    check(client.get(reverse(name)), name)


@pytest.mark.parametrize(("name", "params"), ADMIN_PAGES)
def test_admin_pages_too(
    client: Client,
    world: dict[str, Any],
    name: str,
    params: list[str],
) -> None:
    client.force_login(UserFactory.create(is_staff=True, is_superuser=True))
    url = reverse(name, args=[world["kwargs"][key] for key in params])
    check(client.get(url), name)


def test_error_pages_too(client: Client, nurse: Any) -> None:
    client.force_login(nurse)
    missing = client.get("/triage/alerts/999999/")
    assert missing.status_code == 404
    assert_headers(missing, "404")
    assert not inline_parts(missing.content.decode())


def test_the_server_error_page_needs_nothing_inline() -> None:
    from django.test import RequestFactory

    from reporting.views.errors import server_error

    page = server_error(RequestFactory().get("/")).content.decode()
    assert not inline_parts(page)
    assert re.search(r'<link rel="stylesheet" href="[^"]*error[^"]*\.css">', page)


def test_the_finder_finds_what_it_looks_for() -> None:
    # The test above is only as good as this: each kind of inline code is caught.
    page = (
        '<div style="color:red"></div><button onclick="x()"></button><script>go()</script>'
        '<a href="javascript:void(0)">x</a><style>p{}</style>'
        '<script src="/static/a.js"></script><script type="application/json">{}</script>'
    )
    assert len(inline_parts(page)) == 5
