"""E-mail through Django's configured e-mail backend (EMAIL_URL)."""

from __future__ import annotations

import hashlib
import smtplib
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

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


class EmailChannel(Channel):
    kind = "email"

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
        connection = get_connection(timeout=settings.IMMUNOWATCH_EMAIL_TIMEOUT_SECONDS)
        try:
            sent = connection.send_messages([email])
        except smtplib.SMTPRecipientsRefused as error:
            codes = [code for code, _text in error.recipients.values()]
            permanent = bool(codes) and all(_smtp_code_is_permanent(code) for code in codes)
            raise DeliveryError(
                "recipient refused by the mail server", permanent=permanent
            ) from error
        except smtplib.SMTPResponseException as error:
            raise DeliveryError(
                f"mail server answered {error.smtp_code}",
                permanent=_smtp_code_is_permanent(error.smtp_code),
            ) from error
        except (smtplib.SMTPException, OSError) as error:
            # Connection refused or reset, timeout, TLS trouble: the server may come back.
            raise DeliveryError(f"mail server unreachable ({type(error).__name__})") from error
        if not sent:
            raise DeliveryError("the e-mail backend sent nothing")
