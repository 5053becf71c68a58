"""The whole-site browser tests: live server and phone page from tests.support.browser, quick
password hashing for their many log-ins, and the demo world they walk."""

from typing import Any

import pytest

from tests.reporting.browser.pages import World, demo_world
from tests.support.browser import browser_page, browser_server  # noqa: F401


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(browser_server: Any) -> World:  # noqa: F811 (the fixture, imported above)
    return demo_world()
