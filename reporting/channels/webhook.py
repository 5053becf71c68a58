"""Webhook: a JSON POST, signed with HMAC-SHA256 over the exact body, for a hospital paging
system or a chat channel.

Receivers verify `X-ImmunoWatch-Signature: sha256=<hex>` (see `verify_signature`) and dedupe
on `X-ImmunoWatch-Idempotency-Key`: a retried delivery carries the same key and body.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from reporting.channels.base import Channel, DeliveryError, OutgoingMessage

SIGNATURE_HEADER = "X-ImmunoWatch-Signature"
IDEMPOTENCY_HEADER = "X-ImmunoWatch-Idempotency-Key"
# Worth retrying: timeouts, rate limits, server trouble. Any other non-2xx is final.
TEMPORARY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})


def sign(body: bytes, secret: str) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify_signature(body: bytes, header: str, secret: str) -> bool:
    """What a receiver does: recompute over the raw body, compare in constant time."""
    return hmac.compare_digest(sign(body, secret), header or "")


def payload_for(message: OutgoingMessage) -> dict[str, Any]:
    # Ids, level, team and link only: a paging system or chat room is not a health record.
    return {
        "event": message.event,
        "idempotency_key": message.idempotency_key,
        "alert_id": message.alert_id,
        "level": message.level,
        "count": message.count,
        "care_team": message.care_team,
        "url": message.link,
        "text": message.short_text,
    }


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    # A redirected POST silently becomes a GET without body: refuse, so it is seen and fixed.
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirects)


class WebhookChannel(Channel):
    kind = "webhook"
    label = _("Webhook")

    def send(self, *, address: str, message: OutgoingMessage) -> None:
        secret = settings.IMMUNOWATCH_WEBHOOK_SECRET
        if not secret:
            raise DeliveryError("IMMUNOWATCH_WEBHOOK_SECRET is not set", permanent=True)
        if urlsplit(address).scheme not in ("http", "https"):
            raise DeliveryError("the webhook URL must be http or https", permanent=True)
        body = json.dumps(payload_for(message), separators=(",", ":"), sort_keys=True).encode()
        request = urllib.request.Request(  # noqa: S310 - scheme checked above
            address,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json",
                "User-Agent": "ImmunoWatch-Webhook/1",
                SIGNATURE_HEADER: sign(body, secret),
                IDEMPOTENCY_HEADER: message.idempotency_key,
            },
        )
        self._post(request)

    def _post(self, request: urllib.request.Request) -> None:
        timeout = settings.IMMUNOWATCH_WEBHOOK_TIMEOUT_SECONDS
        try:
            with _opener.open(request, timeout=timeout) as response:
                response.read(1024)
        except urllib.error.HTTPError as error:
            raise DeliveryError(
                f"webhook answered HTTP {error.code}",
                permanent=error.code not in TEMPORARY_STATUSES,
            ) from error
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise DeliveryError(f"webhook unreachable ({type(error).__name__})") from error
