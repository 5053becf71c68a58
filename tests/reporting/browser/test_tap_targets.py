"""On a 390 px phone every control of the families' pages is at least 44 x 44 px (WCAG 2.5.5):
the links and buttons of the bar and of the menu, buttons, the rows of the radio answers (their
label is what a thumb taps) and the phone numbers, which are solid call buttons."""

from __future__ import annotations

from typing import Any

import pytest

from tests.reporting.browser.pages import (
    DEMO_PASSWORD,
    Visit,
    World,
    anonymous_visits,
    demo_world,
    family_visits,
)
from tests.support.browser import ARTIFACTS_DIR, chromium_page, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MINIMUM = 44  # CSS pixels
CONTROLS = ", ".join(
    [
        ".navbar a",
        ".navbar button",
        ".navbar select",
        "main button",
        "main .btn",
        "main select",
        "a[href^='tel:']",
        ".form-check:has(> input[type=radio]) > label",
    ]
)


# Each visible control's box, as Playwright's bounding_box() gives it (the border box in CSS
# pixels), measured in the page in one go.
MEASURE = """selector => [...document.querySelectorAll(selector)]
  .filter(e => e.checkVisibility({visibilityProperty: true}) && !e.closest('.visually-hidden'))
  .map(e => {
    const box = e.getBoundingClientRect();
    const text = (e.innerText || e.getAttribute('aria-label') || e.name || '').trim();
    return {tag: e.tagName.toLowerCase(), text: text.split(/\\s+/).join(' ').slice(0, 40),
            width: box.width, height: box.height};
  })"""


def too_small(page: Any, where: str) -> list[str]:
    """The visible controls smaller than 44 x 44, as "<page>: <control> is <w> x <h>"."""
    return [
        f"{where}: {c['tag']} “{c['text']}” is {c['width']:.0f} x {c['height']:.0f}"
        for c in page.evaluate(MEASURE, CONTROLS)
        if c["width"] > 1 and (c["width"] < MINIMUM or c["height"] < MINIMUM)
    ]


def measure(page: Any, server: Any, visits: list[Visit], who: str) -> list[str]:
    problems = []
    for visit in visits:
        page.goto(f"{server.url}{visit.path}")
        if visit.then is not None:
            visit.then(page)
        where = f"{who} · {visit.label}"
        if page.locator("#report-form").count():
            # Tick a symptom with answers to choose from: its radio rows appear.
            page.locator("input[name='symptoms'][value='nausea']").check()
        problems += too_small(page, where)
        toggler = page.locator(".navbar-toggler")
        toggler.click()  # the phone menu, opened
        page.locator("#nav.show").wait_for()
        problems += too_small(page, f"{where} (menu open)")
        ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS_DIR / f"tap-{who}-{visit.label}.png".replace(" ", "-")))
    return problems


@pytest.mark.parametrize("language", ["en", "vi"])
def test_every_control_of_the_families_pages_is_big_enough_for_a_thumb(
    browser_server: Any, language: str
) -> None:
    world: World = demo_world()
    type(world.family).objects.filter(pk=world.family.pk).update(language=language)
    # Reduced motion: Bootstrap then opens the menu without its animation (quicker to wait for).
    locale = {"en": "en-GB", "vi": "vi-VN"}[language]
    with chromium_page(locale=locale, reduced_motion="reduce") as page:
        page.context.add_cookies(
            [{"name": "django_language", "value": language, "url": browser_server.url}]
        )
        problems = measure(page, browser_server, anonymous_visits(world), f"{language} anonymous")
        login(page, browser_server, "demo-family", DEMO_PASSWORD)
        problems += measure(page, browser_server, family_visits(world), language)
    assert not problems, "controls smaller than 44 x 44 px:\n" + "\n".join(problems)
