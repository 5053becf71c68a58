"""Sign-in security tests: real log-ins through the log-in form, with known passwords."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD
from tests.test_http_rules import world  # noqa: F401 (one of everything, for test_headers)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def log_in(client: Client, username: str, password: str = PASSWORD, **extra: Any) -> Any:
    """POST the log-in form as a person would (extra: e.g. REMOTE_ADDR)."""
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session
