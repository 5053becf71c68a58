"""After log-in each role lands on its own home page."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from reporting.models import User
from tests.factories import PASSWORD, UserFactory
from tests.support.outbox import deliver_outbox

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _password_is_the_whole_sign_in(settings: Any) -> None:
    # Where each role lands; the code step staff pass first is tests/reporting/security/.
    settings.IMMUNOWATCH_REQUIRE_STAFF_2FA = False


def login_redirect(client: Any, user: User) -> str:
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content
    home = client.get(response["Location"])
    assert home.status_code == 302
    return home["Location"]


def test_nurse_lands_on_the_alert_queue(client: Any, nurse: User) -> None:
    assert login_redirect(client, nurse) == reverse("triage_queue")


def test_family_member_lands_on_their_patients(client: Any, family: User) -> None:
    assert login_redirect(client, family) == reverse("family_home")


def test_admin_lands_on_the_admin(client: Any) -> None:
    admin = UserFactory.create(is_staff=True, is_superuser=True)
    assert login_redirect(client, admin) == reverse("admin:index")


def test_wrong_password_is_refused_with_a_message(client: Any, nurse: User) -> None:
    response = client.post(reverse("login"), {"username": nurse.username, "password": "nope"})
    assert response.status_code == 200
    assert response.context["form"].errors


def test_login_page_renders_with_safety_footer(client: Any, settings: Any) -> None:
    settings.IMMUNOWATCH_EMERGENCY_NUMBER = "115"
    page = client.get(reverse("login")).content.decode()
    assert "does not replace calling your care team" in page
    assert 'href="tel:115"' in page


def test_login_page_in_vietnamese(client: Any) -> None:
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert 'lang="vi"' in page
    assert "Đăng nhập" in page


def test_logout_is_a_post(client: Any, nurse: User) -> None:
    client.force_login(nurse)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("nurse_home")).status_code == 302


def test_password_change_enforces_length(client: Any, nurse: User) -> None:
    client.force_login(nurse)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "short1A!", "new_password2": "short1A!"},
    )
    assert response.status_code == 200
    assert "new_password2" in response.context["form"].errors


def test_password_reset_sends_an_email_without_health_details(
    client: Any, family: User, patient: Any, mailoutbox: list[Any]
) -> None:
    response = client.post(reverse("password_reset"), {"email": family.email})
    assert response.status_code == 302
    # Through the outbox, in the person's language; the link is kept only until it is sent.
    (notification,) = deliver_outbox()
    assert notification.purpose == "password_reset" and notification.secret == ""
    assert notification.care_team == patient.care_team  # whose nurses see it if it fails
    assert len(mailoutbox) == 1
    assert patient.full_name not in mailoutbox[0].body
    assert "/accounts/reset/" in mailoutbox[0].body
