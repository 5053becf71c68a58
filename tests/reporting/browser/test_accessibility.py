"""axe-core (from the `axe-playwright-python` package) on every family and nurse page, in
English and Vietnamese: a serious or critical violation fails, with its rule, element and
page. Families on a 390 px phone, nurses at a desk. The pages are those of
tests/reporting/browser/pages.py; a page of tests/test_http_rules.VIEWS that no visit covers
must be listed there with the reason."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.reporting.browser.pages import (
    DEMO_PASSWORD,
    DESKTOP,
    LEFT_OUT,
    Visit,
    World,
    anonymous_visits,
    demo_world,
    family_visits,
    give_the_nurse_an_authenticator,
    nurse_visits,
)
from tests.support.browser import ARTIFACTS_DIR, chromium_page, login, logout, screenshot
from tests.test_http_rules import ACTION, VIEWS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FAILING_IMPACTS = {"serious", "critical"}
AXE = Axe()
BROWSER_LOCALE = {"en": "en-GB", "vi": "vi-VN"}


def problems_on(page: Any, where: str) -> list[str]:
    """axe's serious and critical violations on the page as it is now, one line per element:
    "<page>: <rule> (<impact>) at <selector>: <what is wrong>"."""
    results = AXE.run(page)
    lines = []
    for violation in results.response["violations"]:
        if violation["impact"] not in FAILING_IMPACTS:
            continue
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            summary = " ".join(node.get("failureSummary", violation["help"]).split())
            lines.append(
                f"{where}: {violation['id']} ({violation['impact']}) at {target}: {summary}"
            )
    return lines


def check_pages(page: Any, server: Any, visits: Iterable[Visit], who: str) -> list[str]:
    problems = []
    for visit in visits:
        response = page.goto(f"{server.url}{visit.path}")
        assert response is not None
        if visit.then is not None:
            visit.then(page)
        where = f"{who} · {visit.label} ({page.url.removeprefix(server.url)})"
        assert response.status == visit.status, (where, response.status)
        problems += problems_on(page, where)
        screenshot(page, f"a11y-{who}-{visit.label}")
    return problems


def set_language(page: Any, server: Any, language: str) -> None:
    page.context.add_cookies([{"name": "django_language", "value": language, "url": server.url}])


def fail_on(problems: list[str]) -> None:
    report = ARTIFACTS_DIR / "accessibility-problems.json"
    if problems:
        ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
        report.write_text(json.dumps(problems, indent=1, ensure_ascii=False))
    assert not problems, "axe found serious or critical problems:\n" + "\n".join(problems)


@pytest.mark.parametrize("language", ["en", "vi"])
def test_family_pages_have_no_serious_accessibility_problem(
    browser_server: Any, world: World, language: str
) -> None:
    type(world.family).objects.filter(pk=world.family.pk).update(language=language)
    who = f"family-{language}"
    with chromium_page(locale=BROWSER_LOCALE[language]) as page:
        set_language(page, browser_server, language)
        problems = check_pages(page, browser_server, anonymous_visits(world), f"{who}-anonymous")
        login(page, browser_server, "demo-family", DEMO_PASSWORD)
        assert page.evaluate("document.documentElement.lang") == language
        problems += check_pages(page, browser_server, family_visits(world), who)
        logout(page)  # from the phone menu
        problems += problems_on(page, f"{who} · logged out")
    fail_on(problems)


@pytest.mark.parametrize("language", ["en", "vi"])
def test_nurse_pages_have_no_serious_accessibility_problem(
    browser_server: Any, world: World, language: str
) -> None:
    type(world.nurse).objects.filter(pk=world.nurse.pk).update(language=language)
    nurse2 = give_the_nurse_an_authenticator(world)
    type(nurse2).objects.filter(pk=nurse2.pk).update(language=language)
    who = f"nurse-{language}"
    with chromium_page(viewport=DESKTOP, locale=BROWSER_LOCALE[language]) as page:
        login(page, browser_server, "demo-nurse", DEMO_PASSWORD)
        assert page.evaluate("document.documentElement.lang") == language
        problems = check_pages(page, browser_server, nurse_visits(world), who)
    with chromium_page(viewport=DESKTOP, locale=BROWSER_LOCALE[language]) as page:
        # A nurse with an authenticator app is asked for its code after her password.
        login(page, browser_server, nurse2.username, DEMO_PASSWORD)
        verify = Visit("two_factor_verify", "two-factor code", "/accounts/two-factor/code/")
        problems += check_pages(page, browser_server, [verify], who)
    fail_on(problems)


def test_every_page_is_visited_or_left_out_with_a_reason() -> None:
    """A new page (in tests/test_http_rules.VIEWS) fails here until a visit covers it."""
    world = demo_world()
    visited = {
        visit.view
        for visits in (anonymous_visits(world), family_visits(world), nurse_visits(world))
        for visit in visits
    } | {"two_factor_verify"}
    # POST-only endpoints answer with a redirect to a page listed here (or, like a
    # resolve's confirmation, are visited by a step of their page).
    pages = {name for name, view in VIEWS.items() if view.kind != ACTION}
    assert pages - visited - set(LEFT_OUT) == set(), "visit the new page in pages.py"
    assert set(LEFT_OUT) <= pages
