"""SMS: a small backend interface (IMMUNOWATCH_SMS_BACKEND) behind one channel.

A real provider is one `SmsBackend` subclass whose `send` calls the provider's API and raises
DeliveryError (permanent for an invalid number, temporary for a timeout or a 5xx).
"""

from __future__ import annotations

import sys
import threading
from abc import ABC, abstractmethod
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from reporting.channels.base import Channel, DeliveryError, OutgoingMessage


class SmsBackend(ABC):
    @abstractmethod
    def send(self, *, to: str, text: str, idempotency_key: str) -> None:
        """Send `text` to the phone number `to`, or raise DeliveryError."""


class ConsoleSmsBackend(SmsBackend):
    """Development: prints the SMS to standard output, like Django's console e-mail backend."""

    def send(self, *, to: str, text: str, idempotency_key: str) -> None:
        sys.stdout.write(f"SMS to {to} [{idempotency_key}]: {text}\n")
        sys.stdout.flush()


@dataclass(frozen=True, slots=True)
class SentSms:
    to: str
    text: str
    idempotency_key: str


class LocmemSmsBackend(SmsBackend):
    """Tests: keeps sent messages in `LocmemSmsBackend.outbox` (this process only)."""

    # Shared by all instances on purpose, like django.core.mail.outbox.
    outbox: list[SentSms] = []
    _lock = threading.Lock()

    def send(self, *, to: str, text: str, idempotency_key: str) -> None:
        with self._lock:
            self.outbox.append(SentSms(to, text, idempotency_key))


def get_sms_backend() -> SmsBackend:
    backend_class = import_string(settings.IMMUNOWATCH_SMS_BACKEND)
    return backend_class()


class SmsChannel(Channel):
    kind = "sms"
    label = _("SMS")

    def send(self, *, address: str, message: OutgoingMessage) -> None:
        if not address.strip():
            raise DeliveryError("no phone number", permanent=True)
        get_sms_backend().send(
            to=address.strip(), text=message.short_text, idempotency_key=message.idempotency_key
        )
