"""In a real 390 px Chromium whose own language is English: a date box shows its date in the
browser's format, so the page writes the chosen date in words under it, in the reader's
language (static/js/site.js)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.reporting.browser.pages import DEMO_PASSWORD, World
from tests.support.browser import chromium_page, login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        # Intl's own wording for 30 November 2026 (a Monday) in each language.
        ("vi", re.compile(r"Thứ Hai.*30 tháng 11.*2026")),
        ("en", re.compile(r"Monday,? 30 November 2026")),
    ],
)
def test_the_report_forms_date_is_written_out_in_the_readers_language(
    browser_server: Any, world: World, language: str, expected: re.Pattern[str]
) -> None:
    with chromium_page(locale="en-US") as page:  # an English-language phone
        login(page, browser_server, "demo-family", DEMO_PASSWORD)
        page.get_by_label(re.compile("^(Language|Ngôn ngữ)$")).select_option(language)
        page.wait_for_function(f"document.documentElement.lang === '{language}'")
        page.goto(f"{browser_server.url}/report/new/?patient={world.an.pk}")
        date_box = page.locator("#id_symptoms_began")
        words = page.locator("#id_symptoms_began_in_words")
        expect(words).to_have_text("")  # nothing chosen yet
        date_box.fill("2026-11-30")
        expect(words).to_have_text(expected)
        date_box.fill("")
        expect(words).to_have_text("")
        date_box.fill("2026-11-30")
        screenshot(page, f"report-form-date-in-words-{language}")
