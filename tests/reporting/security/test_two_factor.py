"""Two-factor sign-in for nurses and admins (django-otp): enrolment at the first log-in,
a code at each one after, single-use backup codes, and families left out of it."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from reporting.models import User
from tests.factories import UserFactory
from tests.reporting.security.conftest import log_in, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _required(settings: Any) -> None:
    settings.IMMUNOWATCH_REQUIRE_STAFF_2FA = True


@pytest.fixture
def clock() -> Iterator[Any]:
    """A code is good once: a later sign-in waits for the app's next one (30 s)."""
    with time_machine.travel(dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)) as traveller:
        yield traveller


def next_code_window(clock: Any) -> None:
    clock.shift(dt.timedelta(seconds=31))


def code_now(user: User) -> str:
    device = TOTPDevice.objects.get(user=user)
    return f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"


def enrol(client: Client, user: User) -> list[str]:
    """Log in, set up the app with its current code; the backup codes shown."""
    log_in(client, user.username)
    client.get(reverse("two_factor_setup"))
    response = client.post(reverse("two_factor_setup"), {"code": code_now(user), "next": "/"})
    assert response.status_code == 200
    return re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.content.decode())


def test_a_nurse_is_sent_to_set_up_an_app_at_the_first_log_in(client: Client, nurse: Any) -> None:
    log_in(client, nurse.username)
    response = client.get(reverse("triage_queue"))
    assert response.status_code == 302
    assert response["Location"] == reverse("two_factor_setup") + "?next=%2Ftriage%2F"
    page = client.get(response["Location"]).content.decode()
    assert "<svg" in page and 'class="segno"' in page  # the QR code, drawn inline
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page)
    assert secret is not None and len(secret.group(1).replace(" ", "")) == 32


def test_the_same_secret_is_shown_until_it_is_confirmed(client: Client, nurse: Any) -> None:
    log_in(client, nurse.username)
    first = client.get(reverse("two_factor_setup")).content.decode()
    second = client.get(reverse("two_factor_setup")).content.decode()
    pick = re.compile(r'id="totp-secret">([A-Z2-7 ]+)<')
    assert pick.search(first).group(1) == pick.search(second).group(1)  # type: ignore[union-attr]
    assert TOTPDevice.objects.filter(user=nurse).count() == 1


def test_a_code_already_used_does_not_work_again(client: Client, nurse: Any, clock: Any) -> None:
    enrol(client, nurse)
    used = code_now(nurse)
    client.logout()
    log_in(client, nurse.username)
    response = client.post(reverse("two_factor_verify"), {"code": used})
    assert "That code did not work" in response.content.decode()
    next_code_window(clock)
    assert client.post(reverse("two_factor_verify"), {"code": code_now(nurse)}).status_code == 302


def test_a_wrong_code_confirms_nothing(client: Client, nurse: Any) -> None:
    log_in(client, nurse.username)
    client.get(reverse("two_factor_setup"))
    wrong = "000000" if code_now(nurse) != "000000" else "111111"
    response = client.post(reverse("two_factor_setup"), {"code": wrong})
    assert response.status_code == 200
    assert "That code did not work" in response.content.decode()
    assert not TOTPDevice.objects.get(user=nurse).confirmed
    assert client.get(reverse("triage_queue")).status_code == 302


def test_the_right_code_confirms_the_app_and_shows_ten_backup_codes_once(
    client: Client, nurse: Any
) -> None:
    codes = enrol(client, nurse)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert TOTPDevice.objects.get(user=nurse).confirmed
    assert client.get(reverse("triage_queue")).status_code == 200
    # The status page says how many are left; it never shows them again.
    status = client.get(reverse("two_factor_setup")).content.decode()
    assert "You have 10 backup codes left." in status
    assert not any(code in status for code in codes)


def test_each_later_log_in_asks_for_a_code(client: Client, nurse: Any, clock: Any) -> None:
    enrol(client, nurse)
    client.logout()
    next_code_window(clock)
    log_in(client, nurse.username)
    response = client.get(reverse("nurse_patient", args=[1]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_verify"))
    confirmed = client.post(
        reverse("two_factor_verify"), {"code": code_now(nurse), "next": "/triage/"}
    )
    assert confirmed.status_code == 302 and confirmed["Location"] == "/triage/"
    assert client.get(reverse("triage_queue")).status_code == 200


def test_a_backup_code_works_once(client: Client, nurse: Any, clock: Any) -> None:
    codes = enrol(client, nurse)
    for expected in (302, 200):
        next_code_window(clock)
        client.logout()
        log_in(client, nurse.username)
        response = client.post(reverse("two_factor_verify"), {"code": codes[0].upper()})
        assert response.status_code == expected
    assert "That code did not work" in response.content.decode()
    assert client.get(reverse("triage_queue")).status_code == 302


def test_the_password_alone_cannot_enrol_a_second_app(client: Client, nurse: Any) -> None:
    enrol(client, nurse)
    thief = Client()
    log_in(thief, nurse.username)
    response = thief.get(reverse("two_factor_setup"))
    assert response.status_code == 302 and response["Location"] == reverse("two_factor_verify")
    thief.post(reverse("two_factor_setup"), {"code": "123456"})
    assert TOTPDevice.objects.filter(user=nurse).count() == 1


def test_new_backup_codes_replace_the_old_ones(client: Client, nurse: Any) -> None:
    old = enrol(client, nurse)
    response = client.post(reverse("backup_codes_renew"))
    new = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    tokens = StaticDevice.objects.get(user=nurse).token_set.values_list("token", flat=True)
    assert set(tokens) == set(new)


def test_admins_need_it_for_the_admin_too(client: Client) -> None:
    admin = UserFactory.create(is_staff=True, is_superuser=True)
    log_in(client, admin.username)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_setup"))


def test_families_log_in_with_their_password_only(client: Client, family: Any) -> None:
    log_in(client, family.username)
    assert signed_in(client)
    assert client.get(reverse("family_home")).status_code == 200
    assert client.get(reverse("two_factor_setup")).status_code == 302  # not for them
    assert not TOTPDevice.objects.filter(user=family).exists()


def test_an_unconfirmed_sign_in_can_still_log_out_and_change_language(
    client: Client, nurse: Any
) -> None:
    log_in(client, nurse.username)
    assert client.post(reverse("set_language"), {"language": "vi", "next": "/"}).status_code == 302
    assert client.post(reverse("logout")).status_code == 302
    assert not signed_in(client)


def test_without_the_requirement_nurses_just_log_in(
    client: Client, nurse: Any, settings: Any
) -> None:
    settings.IMMUNOWATCH_REQUIRE_STAFF_2FA = False
    log_in(client, nurse.username)
    assert client.get(reverse("triage_queue")).status_code == 200


def test_an_admin_resets_a_lost_phone(client: Client, nurse: Any) -> None:
    enrol(client, nurse)
    admin_client = Client()
    admin_client.force_login(UserFactory.create(is_staff=True, is_superuser=True))
    response = admin_client.post(
        reverse("admin:reporting_user_changelist"),
        {"action": "reset_two_factor", "_selected_action": [nurse.pk]},
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=nurse).exists()
    assert not StaticDevice.objects.filter(user=nurse).exists()
    # Her session ended; at the next log-in she sets up the new phone.
    assert client.get(reverse("triage_queue"))["Location"].startswith(reverse("login"))
    log_in(client, nurse.username)
    assert client.get(reverse("triage_queue"))["Location"].startswith(reverse("two_factor_setup"))


def test_the_next_address_must_be_on_this_site(client: Client, nurse: Any, clock: Any) -> None:
    enrol(client, nurse)
    client.logout()
    next_code_window(clock)
    log_in(client, nurse.username)
    response = client.post(
        reverse("two_factor_verify"), {"code": code_now(nurse), "next": "https://evil.example/"}
    )
    assert response.status_code == 302 and response["Location"] == "/home/"


def test_a_right_code_typed_too_soon_after_wrong_ones_says_to_wait(
    client: Client, nurse: Any, clock: Any
) -> None:
    log_in(client, nurse.username)
    client.get(reverse("two_factor_setup"))
    wrong = "000000" if code_now(nurse) != "000000" else "111111"
    for wait in (0, 1, 2):  # 1, 2, then 4 seconds between checks
        clock.shift(dt.timedelta(seconds=wait + 0.1))
        refused = client.post(reverse("two_factor_setup"), {"code": wrong})
        assert "That code did not work" in refused.content.decode()
    response = client.post(reverse("two_factor_setup"), {"code": code_now(nurse)})
    assert "Too many wrong codes: wait 4 seconds" in response.content.decode()
    clock.shift(dt.timedelta(seconds=5))
    response = client.post(reverse("two_factor_setup"), {"code": code_now(nurse)})
    assert "Your backup codes" in response.content.decode()


# --- the session's device (StaffDeviceMiddleware: django-otp's middleware, compiled query) --


def _device_for(persistent_id: str) -> Any:
    from reporting.security.middleware import StaffDeviceMiddleware

    middleware = StaffDeviceMiddleware(lambda request: None)
    return middleware._device_from_persistent_id(persistent_id)


def test_the_sessions_device_is_read_as_django_otp_reads_it(nurse: Any) -> None:
    totp_device = TOTPDevice.objects.create(user=nurse, name="Phone", confirmed=True)
    backup = StaticDevice.objects.create(user=nurse, name="Backup codes")
    for device in (totp_device, backup):
        found = _device_for(device.persistent_id)
        assert type(found) is type(device)
        assert (found.pk, found.user_id, found.name, found.confirmed) == (
            device.pk,
            nurse.pk,
            device.name,
            device.confirmed,
        )
    # The id is this call's, not the first one's compiled into the statement.
    other = TOTPDevice.objects.create(user=UserFactory.create(), name="Other")
    assert _device_for(other.persistent_id).pk == other.pk
    # What django-otp answers with no device: a deleted one, a malformed or foreign id.
    gone = totp_device.persistent_id
    totp_device.delete()
    for persistent_id in (gone, "otp_totp.totpdevice/x", "nothing", "reporting.user/1"):
        assert _device_for(persistent_id) is None


def test_a_deleted_or_someone_elses_device_leaves_the_sign_in_unconfirmed(
    client: Client, nurse: Any
) -> None:
    from django_otp import DEVICE_ID_SESSION_KEY

    enrol(client, nurse)
    assert client.get(reverse("triage_queue")).status_code == 200
    # Her device, deleted after she confirmed the sign-in with it: set up a new one first.
    TOTPDevice.objects.filter(user=nurse).delete()
    response = client.get(reverse("triage_queue"))
    assert response["Location"].startswith(reverse("two_factor_setup"))
    # Someone else's device put in her session: not this sign-in's second factor.
    TOTPDevice.objects.create(user=nurse, name="New phone", confirmed=True)
    someone = TOTPDevice.objects.create(user=UserFactory.create(), name="Theirs", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = someone.persistent_id
    session.save()
    assert client.get(reverse("triage_queue"))["Location"].startswith(reverse("two_factor_verify"))
