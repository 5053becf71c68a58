"""A signed-in person's language follows them: the account's at each new sign-in, a choice
made just before signing in saved on the account, a switch while signed in saved too."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from reporting.models import User
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def log_in(client: Client, user: User) -> None:
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302


def page_language(client: Client) -> str:
    response = client.get(reverse("family_home"))
    assert response.status_code == 200
    return str(response["Content-Language"])


def test_a_new_sign_in_gets_the_accounts_language(client: Client, family: User) -> None:
    User.objects.filter(pk=family.pk).update(language="vi")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # someone else used this phone
    log_in(client, family)
    assert page_language(client) == "vi"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "vi"
    assert page_language(client) == "vi"  # and after


def test_a_choice_made_on_the_log_in_page_is_saved_on_the_account(
    client: Client, family: User
) -> None:
    assert family.language == "en"
    client.post(reverse("set_language"), {"language": "vi", "next": reverse("login")})
    log_in(client, family)
    assert page_language(client) == "vi"
    family.refresh_from_db()
    assert family.language == "vi"


def test_switching_while_signed_in_is_remembered_on_another_device(
    client: Client, family: User
) -> None:
    log_in(client, family)
    response = client.post(reverse("set_language"), {"language": "vi", "next": "/my/"})
    assert response.status_code == 302
    family.refresh_from_db()
    assert family.language == "vi"  # e-mails and SMS follow it
    other_phone = Client()
    log_in(other_phone, family)
    assert page_language(other_phone) == "vi"


def test_an_anonymous_switch_changes_no_account(client: Client, family: User) -> None:
    client.post(reverse("set_language"), {"language": "vi", "next": "/"})
    family.refresh_from_db()
    assert family.language == "en"


def test_an_unknown_language_is_ignored(client: Client, family: User) -> None:
    log_in(client, family)
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    family.refresh_from_db()
    assert family.language == "en"


def test_the_switch_is_outside_the_phone_menu_on_every_page(client: Client, family: User) -> None:
    for url in (reverse("login"), reverse("password_reset")):
        page = client.get(url).content.decode()
        assert page.index('class="language-switch') < page.index('id="nav"')
    client.force_login(family)
    page = client.get(reverse("family_home")).content.decode()
    assert page.index('class="language-switch') < page.index('id="nav"')


def test_the_current_page_is_marked_and_staff_pages_have_no_family_footer(
    nurse_client: Client, client: Client, family: User
) -> None:
    page = nurse_client.get(reverse("triage_queue")).content.decode()
    assert 'aria-current="page" href="/triage/"' in page
    assert page.count('aria-current="page"') == 1
    assert "This app does not replace calling your care team." not in page
    client.force_login(family)
    family_page = client.get(reverse("family_home")).content.decode()
    assert "This app does not replace calling your care team." in family_page
    assert 'aria-current="page" href="/my/"' in family_page
