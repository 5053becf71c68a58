"""The whole-site browser tests: live server and phone page from tests.support.browser."""

from tests.support.browser import browser_page, browser_server  # noqa: F401
