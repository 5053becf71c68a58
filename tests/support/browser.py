"""Real-browser tests: Playwright's sync API driving Debian's headless Chromium.

Use it from a test module (or a conftest.py) by importing the fixture:

    # conftest.py
    from tests.support.browser import browser_page, browser_server  # noqa: F401

    # test_something.py
    from tests.support.browser import login, screenshot

    @pytest.mark.browser
    def test_something(browser_page, browser_server):
        login(browser_page, browser_server, "demo-family", "immunowatch-demo")
        browser_page.goto(f"{browser_server.url}/my/")
        ...
        screenshot(browser_page, "something")

`chromium_page()` gives a page with other options (e.g. `java_script_enabled=False`).
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from pytest_django.live_server_helper import LiveServer

CHROMIUM = "/usr/bin/chromium"  # Debian's `chromium` package; Playwright downloads nothing
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Git-ignored (see .gitignore): screenshots for a human to look at after a run.
ARTIFACTS_DIR = Path(__file__).resolve().parents[2] / "test-artifacts"
# A phone-sized window: families use the app on a phone.
PHONE_VIEWPORT = {"width": 390, "height": 844}
TIMEOUT_MS = 15_000


@contextmanager
def chromium_page(**context_options: Any) -> Iterator[Any]:
    """A fresh Chromium page, closed (with its browser) on exit.

    `context_options` go to Playwright's `new_context` (e.g. `java_script_enabled=False`);
    the window is phone-sized unless `viewport` says otherwise.

    Playwright's sync API runs an asyncio loop in this thread, so Django's guard against
    database calls from async code would trip on the test's own ORM calls;
    DJANGO_ALLOW_ASYNC_UNSAFE lifts it for the duration (nothing here is really async).
    """
    # Imported late: only browser tests need them.
    from django.db import connections
    from playwright.sync_api import sync_playwright

    if not os.access(CHROMIUM, os.X_OK):
        raise RuntimeError(f"{CHROMIUM} is missing: install Debian's `chromium` package")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
            )
            try:
                context = browser.new_context(**{"viewport": PHONE_VIEWPORT, **context_options})
                context.set_default_timeout(TIMEOUT_MS)
                yield context.new_page()
            finally:
                browser.close()
                # While Playwright's loop runs, Django keeps the test's database connections
                # apart from the usual ones (asgiref's Local: per async context); close them
                # here or they stay open, and PostgreSQL cannot drop the test database.
                connections.close_all()


@pytest.fixture
def browser_server(transactional_db: None, settings: Any) -> Iterator[LiveServer]:
    """pytest-django's live server, started for this test, speaking plain HTTP.

    Not the session-wide `live_server` fixture: its middleware is built once, before any
    test's `settings` apply, so it keeps production's redirect to HTTPS (and secure-only
    cookies), which a plain-HTTP browser cannot follow. Transactional database access: the
    server thread sees what the test writes.
    """
    settings.SECURE_SSL_REDIRECT = False
    settings.SECURE_HSTS_SECONDS = 0
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]
    # The demo users log in with a password, as under `make run`; the two-factor browser
    # test turns it back on (tests/reporting/security/test_browser.py).
    settings.IMMUNOWATCH_REQUIRE_STAFF_2FA = False
    server = LiveServer("localhost")
    try:
        yield server
    finally:
        server.stop()
        _wait_for_request_threads()


def _wait_for_request_threads() -> None:
    """Let the server's request threads finish once the browser has gone.

    Each keeps its database connection until its keep-alive socket closes; stop() does not
    wait for them (they are daemon threads), and PostgreSQL refuses to drop the test
    database while one of them is still connected.
    """
    for thread in threading.enumerate():
        if thread.name.endswith("(process_request_thread)"):
            thread.join(timeout=10)


@pytest.fixture
def browser_page(browser_server: LiveServer) -> Iterator[Any]:
    """A phone-sized Chromium page; pair it with `browser_server` for the URL."""
    with chromium_page() as page:
        yield page


def login(page: Any, server: Any, username: str, password: str) -> None:
    """Log in through the real log-in form and wait until we have left it."""
    page.goto(f"{server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.locator("form:has(input[name=password]) [type=submit]").click()
    page.wait_for_url(re.compile(r"^(?!.*/accounts/login/).*$"))


def logout(page: Any) -> None:
    """Log out as a person does: open the phone menu (if folded), wait until it is open, tap
    "Log out", and wait until the log-in page has loaded.

    Tapping while Bootstrap is still unfolding the menu, or waiting on the URL after the tap,
    made this flaky on a loaded CI machine; if the log-in page never comes, the error says
    where the browser ended up instead.
    """
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible():
        toggler.click()
        page.locator("#nav.show").wait_for()
    try:
        with page.expect_navigation(url=re.compile(r"/accounts/login/")):
            page.locator("#nav form[action$='/logout/'] [type=submit]").click()
    except Exception as error:
        shown = page.locator("body").inner_text()[:300]
        raise AssertionError(f"logging out ended on {page.url}: {shown!r}") from error


def screenshot(page: Any, name: str) -> Path:
    """Save a full-page screenshot as test-artifacts/<name>.png and return its path."""
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS_DIR / f"{re.sub(r'[^A-Za-z0-9_.-]+', '-', name)}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
