"""E-mail through Django's configured e-mail backend (EMAIL_URL)."""

from __future__ import annotations

import contextlib
import hashlib
import smtplib
from typing import Self
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.utils.translation import gettext_lazy as _

from reporting.channels.base import Channel, DeliveryError, OutgoingMessage

IDEMPOTENCY_HEADER = "X-ImmunoWatch-Idempotency-Key"


def message_id_for(idempotency_key: str) -> str:
    """The same Message-ID for every attempt, so that mail servers and clients see one message."""
    digest = hashlib.sha256(idempotency_key.encode()).hexdigest()[:40]
    domain = urlsplit(settings.SITE_URL).hostname or "immunowatch.invalid"
    return f"<{digest}@{domain}>"


def _smtp_code_is_permanent(code: int) -> bool:
    # SMTP: 5xx is a final refusal, 4xx means "try again later".
    return 500 <= code < 600


def _delivery_error(error: Exception) -> DeliveryError:
    """Sort what the mail server or the socket raised into temporary and permanent."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _text in error.recipients.values()]
        permanent = bool(codes) and all(_smtp_code_is_permanent(code) for code in codes)
        return DeliveryError("recipient refused by the mail server", permanent=permanent)
    if isinstance(error, smtplib.SMTPResponseException):
        return DeliveryError(
            f"mail server answered {error.smtp_code}",
            permanent=_smtp_code_is_permanent(error.smtp_code),
        )
    # Connection refused or reset, timeout, TLS trouble: the server may come back.
    return DeliveryError(f"mail server unreachable ({type(error).__name__})")


class EmailChannel(Channel):
    """One connection per message; inside `with channel:` (a delivery batch) one connection for
    all of them, since opening one (TCP, TLS, login) costs far more than sending a message."""

    kind = "email"
    label = _("E-mail")

    def __init__(self) -> None:
        self._session = False
        self._connection: BaseEmailBackend | None = None

    def __enter__(self) -> Self:
        self._session = True
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._session = False
        self._disconnect()

    def send(self, *, address: str, message: OutgoingMessage) -> None:
        if not address:
            raise DeliveryError("no e-mail address", permanent=True)
        email = EmailMessage(
            subject=message.subject,
            body=message.body,
            to=[address],
            headers={
                "Message-ID": message_id_for(message.idempotency_key),
                IDEMPOTENCY_HEADER: message.idempotency_key,
            },
        )
        try:
            sent = self._connected().send_messages([email])
        except (smtplib.SMTPException, OSError) as error:
            # Never reuse a connection that failed: the next message opens a fresh one.
            self._disconnect()
            raise _delivery_error(error) from error
        finally:
            if not self._session:
                self._disconnect()
        if not sent:
            raise DeliveryError("the e-mail backend sent nothing")

    def _connected(self) -> BaseEmailBackend:
        # Opened here rather than by send_messages, which would close it again after sending.
        if self._connection is None:
            connection = get_connection(timeout=settings.IMMUNOWATCH_EMAIL_TIMEOUT_SECONDS)
            connection.open()
            self._connection = connection
        return self._connection

    def _disconnect(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                connection.close()
