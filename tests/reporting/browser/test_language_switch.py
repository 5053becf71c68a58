"""In a real 390 px Chromium: the language switch is in the bar, not in the closed phone menu,
on the log-in page and on a family page; a family member's choice follows them to another
browser (reporting/language.py)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from reporting.models import User
from tests.reporting.browser.pages import DEMO_PASSWORD, World
from tests.support.browser import PHONE_VIEWPORT, chromium_page, login, logout, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def assert_switch_in_the_bar(page: Any) -> None:
    switch = page.get_by_label(re.compile("^(Language|Ngôn ngữ)$"))
    expect(switch).to_be_visible()
    expect(page.locator("#nav")).to_be_hidden()  # the menu is closed
    box = switch.bounding_box()
    toggler = page.locator(".navbar-toggler").bounding_box()
    assert box is not None and toggler is not None
    # Whole, inside the window, beside the menu button rather than under it.
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE_VIEWPORT["width"]
    assert box["x"] + box["width"] <= toggler["x"]
    assert box["height"] >= 44


def test_the_switch_shows_without_opening_the_menu(
    browser_page: Any, browser_server: Any, world: World
) -> None:
    page, server = browser_page, browser_server
    page.goto(f"{server.url}/accounts/login/")
    assert_switch_in_the_bar(page)
    page.get_by_label("Language").select_option("vi")  # sends itself (static/js/site.js)
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()
    assert page.evaluate("document.documentElement.lang") == "vi"
    assert_switch_in_the_bar(page)
    login(page, server, "demo-family", DEMO_PASSWORD)
    page.wait_for_url(re.compile(r"/my/$"))
    assert_switch_in_the_bar(page)
    screenshot(page, "language-switch-family-vi")


def test_a_family_members_choice_follows_them_to_a_fresh_browser(
    browser_server: Any, world: World
) -> None:
    with chromium_page() as page:
        login(page, browser_server, "demo-family", DEMO_PASSWORD)
        expect(page.get_by_role("heading", name="Who are you reporting for?")).to_be_visible()
        page.get_by_label("Language").select_option("vi")
        expect(page.get_by_role("heading", name="Bạn đang báo triệu chứng cho ai?")).to_be_visible()
        logout(page)
    family = User.objects.get(username="demo-family")
    assert family.language == "vi"
    # Another phone: no cookie, and a browser that asks for English.
    with chromium_page(locale="en-GB") as page:
        login(page, browser_server, "demo-family", DEMO_PASSWORD)
        expect(page.get_by_role("heading", name="Bạn đang báo triệu chứng cho ai?")).to_be_visible()
        assert page.evaluate("document.documentElement.lang") == "vi"
        expect(page.get_by_label("Ngôn ngữ")).to_have_value("vi")
