"""Fixtures for the education tests: readers of each kind, and choosing their language."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from reporting.models import User
from tests.factories import UserFactory


@pytest.fixture
def staff_user(db: Any) -> User:
    """An admin as the project defines one: a staff user (no model permissions needed)."""
    return UserFactory.create(username="content-admin", is_staff=True)


def client_for(user: User | None, language: str = "en") -> Client:
    """A test client logged in as ``user`` (anonymous for None) reading in ``language``."""
    client = Client()
    if user is not None:
        client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def ui_text(message: str, language: str) -> str:
    """``message`` as the UI shows it in ``language`` (the lead's catalogue may translate it)."""
    with translation.override(language):
        return translation.gettext(message)
