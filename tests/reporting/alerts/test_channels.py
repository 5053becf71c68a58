"""Channels: signed webhooks, e-mail and SMS errors sorted into temporary and permanent."""

from __future__ import annotations

import json
import smtplib
from typing import Any

import pytest
from django.core.mail.backends.base import BaseEmailBackend

from reporting.channels import DeliveryError, OutgoingMessage, channel_for
from reporting.channels.sms import LocmemSmsBackend
from reporting.channels.webhook import sign, verify_signature
from tests.reporting.alerts.conftest import WEBHOOK_SECRET
from tests.reporting.alerts.webhook_server import webhook_receiver
from tests.support.redis_server import free_port

MESSAGE = OutgoingMessage(
    idempotency_key="alert-7:alert:team:webhook",
    event="alert",
    subject="[ImmunoWatch] New URGENT alert for a patient of Ward 7",
    body="New URGENT alert for a patient of Ward 7.",
    short_text="New URGENT alert for a patient of Ward 7. Open: https://x.example/triage/alerts/7/",
    link="https://x.example/triage/alerts/7/",
    care_team="Ward 7",
    level="urgent",
    alert_id=7,
)


def test_the_webhook_is_signed_over_the_exact_body_and_carries_the_key() -> None:
    with webhook_receiver() as receiver:
        channel_for("webhook").send(address=receiver.url, message=MESSAGE)
    [request] = receiver.requests
    signature = request.headers["x-immunowatch-signature"]
    assert signature.startswith("sha256=")
    assert verify_signature(request.body, signature, WEBHOOK_SECRET)
    assert not verify_signature(request.body + b" ", signature, WEBHOOK_SECRET)
    assert not verify_signature(request.body, signature, "another-secret")
    assert request.headers["x-immunowatch-idempotency-key"] == MESSAGE.idempotency_key
    assert request.headers["content-type"] == "application/json"
    payload = json.loads(request.body)
    assert payload == {
        "event": "alert",
        "idempotency_key": "alert-7:alert:team:webhook",
        "alert_id": 7,
        "level": "urgent",
        "count": None,
        "care_team": "Ward 7",
        "url": "https://x.example/triage/alerts/7/",
        "text": MESSAGE.short_text,
    }


def test_the_signature_is_hmac_sha256_hex() -> None:
    import hashlib
    import hmac

    body = b'{"a":1}'
    expected = hmac.new(b"k", body, hashlib.sha256).hexdigest()
    assert sign(body, "k") == f"sha256={expected}"


@pytest.mark.parametrize(
    ("status", "permanent"),
    [
        (500, False),
        (502, False),
        (503, False),
        (429, False),
        (408, False),
        (400, True),
        (401, True),
        (404, True),
        (410, True),
    ],
)
def test_webhook_errors_are_sorted(status: int, permanent: bool) -> None:
    with webhook_receiver(statuses=[status]) as receiver, pytest.raises(DeliveryError) as caught:
        channel_for("webhook").send(address=receiver.url, message=MESSAGE)
    assert caught.value.permanent is permanent
    assert caught.value.message == f"webhook answered HTTP {status}"


def test_an_unreachable_webhook_is_a_temporary_error() -> None:
    with pytest.raises(DeliveryError) as caught:
        channel_for("webhook").send(address=f"http://127.0.0.1:{free_port()}/", message=MESSAGE)
    assert caught.value.permanent is False


def test_a_webhook_that_does_not_answer_in_time_is_a_temporary_error(settings: Any) -> None:
    settings.IMMUNOWATCH_WEBHOOK_TIMEOUT_SECONDS = 1
    with webhook_receiver(hang_first=True) as receiver, pytest.raises(DeliveryError) as caught:
        channel_for("webhook").send(address=receiver.url, message=MESSAGE)
    assert caught.value.permanent is False


@pytest.mark.parametrize("address", ["ftp://pager.example.org/", "file:///etc/passwd"])
def test_only_http_webhooks_are_called(address: str) -> None:
    with pytest.raises(DeliveryError) as caught:
        channel_for("webhook").send(address=address, message=MESSAGE)
    assert caught.value.permanent is True


def test_no_secret_no_webhook(settings: Any) -> None:
    settings.IMMUNOWATCH_WEBHOOK_SECRET = ""
    with webhook_receiver() as receiver, pytest.raises(DeliveryError) as caught:
        channel_for("webhook").send(address=receiver.url, message=MESSAGE)
    assert caught.value.permanent is True
    assert receiver.requests == []


class _FailingBackend(BaseEmailBackend):
    error: Exception = OSError()

    def send_messages(self, email_messages: Any) -> int:
        raise type(self).error


class RefusedBackend(_FailingBackend):
    error = smtplib.SMTPRecipientsRefused({"nurse@example.org": (550, b"no such user")})


class GreylistedBackend(_FailingBackend):
    error = smtplib.SMTPRecipientsRefused({"nurse@example.org": (450, b"try later")})


class RejectedDataBackend(_FailingBackend):
    error = smtplib.SMTPDataError(554, b"rejected")


class DisconnectedBackend(_FailingBackend):
    error = smtplib.SMTPServerDisconnected("gone")


class DownBackend(_FailingBackend):
    error = ConnectionRefusedError(111, "Connection refused")


@pytest.mark.parametrize(
    ("backend", "permanent"),
    [
        (RefusedBackend, True),
        (RejectedDataBackend, True),
        (GreylistedBackend, False),
        (DisconnectedBackend, False),
        (DownBackend, False),
    ],
)
def test_email_errors_are_sorted(backend: type, permanent: bool, settings: Any) -> None:
    settings.EMAIL_BACKEND = f"{__name__}.{backend.__name__}"
    with pytest.raises(DeliveryError) as caught:
        channel_for("email").send(address="nurse@example.org", message=MESSAGE)
    assert caught.value.permanent is permanent


def test_sms_goes_through_the_configured_backend() -> None:
    channel_for("sms").send(address=" +84 90 000 0001 ", message=MESSAGE)
    [sms] = LocmemSmsBackend.outbox
    assert (sms.to, sms.text, sms.idempotency_key) == (
        "+84 90 000 0001",
        MESSAGE.short_text,
        MESSAGE.idempotency_key,
    )


def test_the_console_sms_backend_prints(settings: Any, capsys: pytest.CaptureFixture[str]) -> None:
    settings.IMMUNOWATCH_SMS_BACKEND = "reporting.channels.sms.ConsoleSmsBackend"
    channel_for("sms").send(address="+84 90 000 0001", message=MESSAGE)
    assert "SMS to +84 90 000 0001" in capsys.readouterr().out


def test_an_sms_without_a_number_is_a_permanent_error() -> None:
    with pytest.raises(DeliveryError) as caught:
        channel_for("sms").send(address="  ", message=MESSAGE)
    assert caught.value.permanent is True


def test_an_unknown_channel_kind_is_refused() -> None:
    with pytest.raises(LookupError):
        channel_for("pigeon")


class DropsFirstBackend(BaseEmailBackend):
    """Counts connections; the first send fails as if the server hung up."""

    opened = 0
    sent = 0

    def open(self) -> bool:
        type(self).opened += 1
        return True

    def send_messages(self, email_messages: Any) -> int:
        if type(self).opened == 1:
            raise smtplib.SMTPServerDisconnected("gone")
        type(self).sent += len(email_messages)
        return len(email_messages)


def test_a_session_reuses_its_connection_but_not_one_that_failed(settings: Any) -> None:
    settings.EMAIL_BACKEND = f"{__name__}.DropsFirstBackend"
    DropsFirstBackend.opened = DropsFirstBackend.sent = 0
    with channel_for("email") as channel:
        with pytest.raises(DeliveryError) as caught:
            channel.send(address="nurse@example.org", message=MESSAGE)
        assert caught.value.permanent is False
        for _ in range(3):
            channel.send(address="nurse@example.org", message=MESSAGE)
    # One connection failed and was dropped; the second served the three messages after it.
    assert (DropsFirstBackend.opened, DropsFirstBackend.sent) == (2, 3)


def test_outside_a_session_each_email_has_its_own_connection(settings: Any) -> None:
    settings.EMAIL_BACKEND = f"{__name__}.DropsFirstBackend"
    DropsFirstBackend.opened, DropsFirstBackend.sent = 1, 0  # past the failing first one
    channel = channel_for("email")
    for _ in range(2):
        channel.send(address="nurse@example.org", message=MESSAGE)
    assert (DropsFirstBackend.opened, DropsFirstBackend.sent) == (3, 2)
