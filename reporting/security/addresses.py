"""The client's address, the same for lockout, throttles and access records."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """REMOTE_ADDR, or the address the nearest trusted proxy saw (IMMUNOWATCH_PROXY_COUNT).

    Only the hops our own proxies appended are believed: the left part of X-Forwarded-For
    is whatever the client chose to send.
    """
    proxies: int = settings.IMMUNOWATCH_PROXY_COUNT
    if proxies > 0:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [hop for hop in hops if hop]
        if len(hops) >= proxies and _is_address(hops[-proxies]):
            return hops[-proxies]
    return str(request.META.get("REMOTE_ADDR") or "")


def client_address_or_none(request: HttpRequest) -> str | None:
    """For django-axes, which stores it in an IP address column: None when unknown (a log-in
    made in code has no address; PostgreSQL refuses an empty one)."""
    address = client_address(request)
    return address if _is_address(address) else None


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True
