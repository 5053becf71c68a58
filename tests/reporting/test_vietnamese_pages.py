"""The main family and nurse pages, read in Vietnamese, carry none of the English that was left
in them: the password rules, the department in the footer, the demo team's name, the demo
nurse's note, "(1 week, 4 days ago)", "New alert sent by E-mail to ...", and no date reads
"19:06 Ngày 1/12/2026" (a capital in the middle of a sentence)."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from reporting.models import AlertEvent, User
from reporting.notifications.messages import notified_note
from tests.reporting.browser.pages import World, demo_world, family_visits, nurse_visits

pytestmark = pytest.mark.django_db

ENGLISH_LEFT_OVER = [
    "Oncology department",
    "Demo liver oncology team",
    "(24 h, demo)",
    "Called the family",
    "self-care advice",
    "Your password",
    "characters",
    "sent by",
    "E-mail to",
    " week",
    " days",
    " ago",
]
# "19:06 Ngày 1/12/2026", "2 Tháng 12 00:22": capitals in the middle of a sentence.
MID_SENTENCE_CAPITAL = re.compile(r"\d (?:Ngày|Tháng) \d")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world() -> World:
    world = demo_world()
    User.objects.update(language="vi")
    # What the outbox writes in the alert's history when an e-mail goes.
    AlertEvent.objects.create(
        alert=world.open_alert,
        kind=AlertEvent.Kind.NOTIFIED,
        note=notified_note("alert", "email", world.nurse.username),
    )
    return world


def text_of(client: Client, path: str) -> str:
    response = client.get(path, follow=True)
    assert response.status_code in (200, 404), (path, response.status_code)
    assert response["Content-Language"] == "vi", path
    page = response.content.decode()
    assert '<html lang="vi">' in page, path
    body = page[page.index("<body") :]
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


def english_in(client: Client, paths: list[str]) -> list[str]:
    found = []
    for path in paths:
        text = " ".join(text_of(client, path).split())
        found += [f"{path}: {english!r}" for english in ENGLISH_LEFT_OVER if english in text]
        found += [f"{path}: {m!r}" for m in MID_SENTENCE_CAPITAL.findall(text)]
    return found


def vietnamese_client(user: User | None = None) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    if user is not None:
        client.force_login(user)
    return client


def test_the_family_pages_in_vietnamese_have_no_english_left(world: World) -> None:
    anonymous = vietnamese_client()
    # The invitation: its link puts the token in the session, then shows the form.
    invitation = reverse("invitation_link", args=[world.invitation_token])
    paths = [reverse("login"), reverse("password_reset"), world.reset_path, invitation]
    found = english_in(anonymous, paths)
    family_pages = [visit.path for visit in family_visits(world)]
    found += english_in(vietnamese_client(world.family), family_pages)
    assert not found


def test_the_nurse_pages_in_vietnamese_have_no_english_left(world: World) -> None:
    nurse_pages = [visit.path for visit in nurse_visits(world) if visit.then is None]
    found = english_in(vietnamese_client(world.nurse), nurse_pages)
    assert not found


def test_the_password_rules_and_the_history_are_there_to_be_read(world: World) -> None:
    """The checks above look for English that is gone; these pages do show the rules and
    the e-mail in Vietnamese."""
    family = vietnamese_client(world.family)
    assert "Mật khẩu của bạn phải chứa ít nhất 12 ký tự." in text_of(
        family, reverse("password_change")
    )
    nurse = vietnamese_client(world.nurse)
    alert_page = text_of(nurse, reverse("alert_detail", args=[world.open_alert.pk]))
    assert "Cảnh báo mới: đã gửi qua" in alert_page
    assert "Khoa Ung bướu" in alert_page
