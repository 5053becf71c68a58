"""Fixtures for the report tests: the real-browser ones come from tests.support.browser."""

from tests.support.browser import browser_page, browser_server  # noqa: F401
