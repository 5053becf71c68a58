"""Plain-text e-mails come out literally: no HTML escaping of names, team names or links.

Every `.txt` template (e-mail bodies and subjects) is read by the text engine, which never
escapes; a new one is covered without anyone remembering `{% autoescape off %}`.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.template import Engine
from django.template.backends.django import Template as DjangoTemplate
from django.template.loader import get_template, render_to_string
from django.urls import resolve, reverse
from django.utils import timezone, translation

from reporting.forms import OutboxPasswordResetForm
from reporting.models import CaregiverLink, Invitation, User
from tests.factories import UserFactory
from tests.support.outbox import deliver_outbox

TEMPLATES_DIR = Path(settings.BASE_DIR) / "templates"
EVIL = 'O\'Brien & <Sons> "Ltd"'
LINK = "https://iw.example.org/report/new/?patient=5&from=email"
ENTITIES = re.compile(r"&(amp|lt|gt|quot|#x27|#39|#34);")
# Every variable the e-mail templates print; the strings among them carry EVIL.
STRING_VARIABLES = {
    "name",
    "team",
    "level",
    "emergency_number",
    "hotline",
    "site_name",
    "domain",
    "email",
}
CONTEXT: dict[str, Any] = {
    **dict.fromkeys(STRING_VARIABLES, EVIL),
    "link": LINK,
    "number": 2,
    "target_minutes": 15,
    "count": 3,
    "for_self": False,
    "expires_at": dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.UTC),
    "protocol": "https",
    "uid": "MQ",
    "token": "c4t-3f1a2b",
}


def email_templates() -> list[str]:
    """Every e-mail the app sends is rendered from these (reporting.notifications.messages,
    password resets included: OutboxPasswordResetForm)."""
    return sorted(str(path.relative_to(TEMPLATES_DIR)) for path in TEMPLATES_DIR.rglob("*.txt"))


def test_the_password_reset_is_sent_through_the_outbox() -> None:
    view = resolve(reverse("password_reset")).func
    assert view.view_class.form_class is OutboxPasswordResetForm  # type: ignore[attr-defined]


@pytest.mark.parametrize("language", ["en", "vi"])
@pytest.mark.parametrize("name", email_templates())
def test_every_text_email_template_renders_literally(name: str, language: str) -> None:
    with translation.override(language):
        text = render_to_string(name, CONTEXT)
    assert text.strip()
    assert not ENTITIES.search(text), text
    source = (TEMPLATES_DIR / name).read_text()
    printed = set(re.findall(r"{{\s*(\w+)", source))
    if printed & STRING_VARIABLES:
        assert EVIL in text
    if "link" in printed:
        assert LINK in text


def _engine_of(name: str) -> Engine:
    template = get_template(name)
    assert isinstance(template, DjangoTemplate)  # both engines are Django's
    return template.template.engine


@pytest.mark.parametrize("name", email_templates())
def test_text_templates_are_read_by_an_engine_that_never_escapes(name: str) -> None:
    assert name.endswith(".txt"), "plain-text e-mail templates are named *.txt"
    assert _engine_of(name).autoescape is False


def test_html_pages_are_still_escaped() -> None:
    assert _engine_of("base.html").autoescape is True
    assert _engine_of("reporting/invite_form.html").autoescape is True


@pytest.mark.django_db
def test_the_invitation_email_greets_the_name_as_typed(
    client: Any,
    nurse: User,
    patient: Any,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    client.force_login(nurse)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("patient_invite", args=[patient.pk]),
            {
                "name": EVIL,
                "email": "obrien@example.org",
                "relationship": "child",
                "language": "vi",
            },
        )
    assert Invitation.objects.get().name == EVIL
    deliver_outbox()
    (mail,) = mailoutbox
    assert f"Xin chào {EVIL}," in mail.body  # the patient prefers Vietnamese
    assert not ENTITIES.search(mail.body + mail.subject)


@pytest.mark.django_db
def test_the_password_reset_email_is_plain_text(client: Any, mailoutbox: list[Any]) -> None:
    UserFactory.create(username="obrien", email="obrien@example.org", first_name=EVIL)
    response = client.post(reverse("password_reset"), {"email": "obrien@example.org"})
    assert response.status_code == 302
    deliver_outbox()
    (mail,) = mailoutbox
    assert not ENTITIES.search(mail.body + mail.subject)
    assert re.search(r"https?://testserver/accounts/reset/[\w-]+/[\w-]+/", mail.body)


@pytest.mark.django_db
def test_the_reminder_email_names_the_numbers_as_configured(
    settings: Any, mailoutbox: list[Any], family: User
) -> None:
    from reporting.services.reminders import reminders_send_due

    settings.IMMUNOWATCH_HOTLINE = "1900 0000 (Oncology & Haematology)"
    family.first_name = EVIL
    family.save()
    CaregiverLink.objects.filter(user=family).update(
        created_at=timezone.now() - dt.timedelta(days=8)
    )
    assert reminders_send_due() == 1
    deliver_outbox()
    (mail,) = mailoutbox
    assert "1900 0000 (Oncology & Haematology)" in mail.body
    assert EVIL in mail.body
