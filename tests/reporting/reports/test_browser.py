"""A real phone-sized Chromium: the demo family member reports two symptoms."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from playwright.sync_api import expect

from reporting.models import Patient, Report
from reporting.roles import FAMILY_GROUP, NURSE_GROUP
from tests.support.browser import chromium_page, login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_PASSWORD = "immunowatch-demo"


@pytest.fixture
def demo_data() -> Patient:
    # Transactional tests flush the groups the data migration made; seed_demo needs them.
    for name in (NURSE_GROUP, FAMILY_GROUP):
        Group.objects.get_or_create(name=name)
    call_command("seed_demo", "--force")
    return Patient.objects.get(caregiver_links__user__username="demo-family")


def test_demo_family_ticks_two_symptoms_and_sees_urgent(
    browser_page: Any, browser_server: Any, demo_data: Patient
) -> None:
    page = browser_page
    before = demo_data.reports.count()
    login(page, browser_server, "demo-family", DEMO_PASSWORD)
    page.get_by_role("link", name="Report symptoms").click()
    page.wait_for_url(re.compile(r"/report/new/\?patient=\d+&key=[0-9a-f-]+$"))

    # Progressive disclosure: the questions appear once the symptom is ticked.
    diarrhoea = page.locator("#questions-diarrhea")
    expect(diarrhoea).to_be_hidden()
    page.get_by_label("Diarrhoea (loose or watery stools)").check()
    expect(diarrhoea).to_be_visible()
    page.fill("input[name='diarrhea-stools_over_baseline']", "2")
    page.get_by_label("Belly (abdominal) pain").check()
    page.locator("#questions-abdominal_pain").get_by_label(
        "Moderate — limits some usual activities"
    ).check()
    screenshot(page, "report-form-two-symptoms")
    page.get_by_role("button", name="Send report").click()

    page.wait_for_url(re.compile(r"/reports/\d+/$"))
    advice = page.locator("#advice")
    expect(advice).to_have_attribute("data-level", "urgent")
    expect(advice).to_contain_text("Urgent: the oncology nurse will call you")
    expect(page.locator("#reported-symptoms")).to_contain_text("Belly (abdominal) pain")
    screenshot(page, "report-result-urgent")

    report = demo_data.reports.first()
    assert demo_data.reports.count() == before + 1
    assert report is not None and report.reported_by is not None
    assert (report.level, report.reported_by.username, report.reporter_role) == (
        "urgent",
        "demo-family",
        Report.ReporterRole.FAMILY,
    )
    assert [e.code for e in report.symptoms.all()] == ["diarrhea", "abdominal_pain"]


def test_without_javascript_every_question_shows_and_the_report_still_goes(
    browser_server: Any, demo_data: Patient
) -> None:
    with chromium_page(java_script_enabled=False) as page:
        login(page, browser_server, "demo-family", DEMO_PASSWORD)
        page.goto(f"{browser_server.url}/report/new/?patient={demo_data.pk}")
        expect(page.locator("#questions-diarrhea")).to_be_visible()
        expect(page.locator("#questions-other")).to_be_visible()
        page.get_by_label("Feeling sick (nausea)").check()
        page.locator("#questions-nausea").get_by_label("Mild — eating normally").check()
        # An answer to a symptom that is not ticked is not read.
        page.fill("input[name='fever-temperature_c']", "45")
        screenshot(page, "report-form-no-js")
        page.get_by_role("button", name="Send report").click()
        page.wait_for_url(re.compile(r"/reports/\d+/$"))
        expect(page.locator("#advice")).to_have_attribute("data-level", "routine")
    report = demo_data.reports.first()
    assert report is not None
    assert [e.code for e in report.symptoms.all()] == ["nausea"]


@pytest.mark.parametrize(("locale", "typed"), [("vi-VN", "38,2"), ("en-GB", "38.2")])
def test_a_temperature_typed_the_readers_way_means_38_point_2(
    browser_server: Any, demo_data: Patient, locale: str, typed: str
) -> None:
    """A number input in a vi-VN Chromium sent "382" for "38,2"; now both mean 38.2."""
    with chromium_page(locale=locale) as page:
        login(page, browser_server, "demo-family", DEMO_PASSWORD)
        page.goto(f"{browser_server.url}/report/new/?patient={demo_data.pk}")
        page.locator("input[name='symptoms'][value='fever']").check()
        field = page.locator("input[name='fever-temperature_c']")
        expect(field).to_have_attribute("inputmode", "decimal")
        field.press_sequentially(typed)
        screenshot(page, f"report-form-temperature-{locale}")
        page.get_by_role("button", name=re.compile("Send report|Gửi báo cáo")).click()
        page.wait_for_url(re.compile(r"/reports/\d+/$"))
        expect(page.locator("#advice")).to_have_attribute("data-level", "urgent")
        screenshot(page, f"report-result-urgent-{locale}")
    report = demo_data.reports.first()
    assert report is not None
    entry = report.symptoms.get()
    assert (entry.code, entry.answers["temperature_c"]) == ("fever", 38.2)


def test_after_a_refusal_the_first_problem_has_the_focus_and_the_summary_links_to_it(
    browser_page: Any, browser_server: Any, demo_data: Patient
) -> None:
    page = browser_page
    login(page, browser_server, "demo-family", DEMO_PASSWORD)
    page.goto(f"{browser_server.url}/report/new/?patient={demo_data.pk}")
    page.locator("input[name='symptoms'][value='high_blood_pressure']").check()
    page.fill("input[name='high_blood_pressure-systolic']", "120")
    page.fill("input[name='high_blood_pressure-diastolic']", "130")
    page.locator("input[name='symptoms'][value='fever']").check()
    page.fill("input[name='fever-temperature_c']", "45")
    page.get_by_role("button", name=re.compile("Send report|Gửi báo cáo")).click()
    page.wait_for_selector("#form-errors")

    # The browser focuses the first question with a problem, with no script needed.
    assert page.evaluate("document.activeElement.name") == "high_blood_pressure-diastolic"
    summary = page.locator("#form-errors")
    expect(summary).to_contain_text("The bottom number must be lower than the top number.")
    expect(summary).not_to_contain_text("diastolic'")
    screenshot(page, "report-form-errors")
    summary.get_by_role("link", name=re.compile("Temperature")).click()
    page.wait_for_url(re.compile(r"#div_id_fever-temperature_c$"))
    expect(page.locator("#div_id_fever-temperature_c")).to_be_in_viewport()
    assert demo_data.reports.filter(symptoms__code="fever").count() == 0


def test_enter_in_a_number_box_sends_the_report_not_i_feel_well(
    browser_page: Any, browser_server: Any, demo_data: Patient
) -> None:
    """The phone keyboard's "Go" submits with the form's default button: it must be "Send
    report", never the green "I feel well today" at the top."""
    page = browser_page
    login(page, browser_server, "demo-family", DEMO_PASSWORD)
    page.goto(f"{browser_server.url}/report/new/?patient={demo_data.pk}")
    page.locator("input[name='symptoms'][value='fever']").check()
    page.fill("input[name='fever-temperature_c']", "39,5")
    page.locator("input[name='fever-temperature_c']").press("Enter")
    page.wait_for_url(re.compile(r"/reports/\d+/$"))
    expect(page.locator("#advice")).to_have_attribute("data-level", "urgent")
    report = demo_data.reports.first()
    assert report is not None
    assert [(e.code, e.answers["temperature_c"]) for e in report.symptoms.all()] == [
        ("fever", 39.5)
    ]


def test_back_then_send_again_stores_nothing_and_the_questions_show_again(
    browser_page: Any, browser_server: Any, demo_data: Patient
) -> None:
    page = browser_page
    before = demo_data.reports.count()
    login(page, browser_server, "demo-family", DEMO_PASSWORD)
    page.goto(f"{browser_server.url}/report/new/?patient={demo_data.pk}")
    page.locator("input[name='symptoms'][value='fever']").check()
    page.fill("input[name='fever-temperature_c']", "38,6")
    page.get_by_role("button", name="Send report").click()
    page.wait_for_url(re.compile(r"/reports/\d+/$"))
    first = page.url

    page.go_back()
    page.wait_for_url(re.compile(r"(/report/new/\?patient=\d+&key=|/reports/\d+/\?already_sent)"))
    if "/report/new/" in page.url:  # the browser kept the form: send it once more
        if page.locator("input[name='symptoms'][value='fever']").is_checked():
            expect(page.locator("#questions-fever")).to_be_visible()
        page.get_by_role("button", name="Send report").click()
    page.wait_for_url(re.compile(r"/reports/\d+/\?already_sent=1$"))
    assert page.url.startswith(first)
    expect(page.locator("#already-sent")).to_contain_text("already sent")
    assert demo_data.reports.count() == before + 1


def _tap(page: Any, selector: str) -> None:
    """A finger on the middle of the right half of `selector`, away from the tick box."""
    target = page.locator(selector)
    target.scroll_into_view_if_needed()
    box = target.bounding_box()
    assert box is not None
    page.touchscreen.tap(box["x"] + box["width"] * 0.75, box["y"] + box["height"] / 2)


def test_a_tap_on_the_cards_words_ticks_and_unticks_it_and_the_symptom_is_sent(
    browser_server: Any, demo_data: Patient
) -> None:
    """The whole top of a card is its label (no script needed): a tap on the name or the
    description toggles the tick box; every card is at least 44 x 44 px; keys work too."""
    with chromium_page(has_touch=True) as page:
        login(page, browser_server, "demo-family", DEMO_PASSWORD)
        page.goto(f"{browser_server.url}/report/new/?patient={demo_data.pk}")
        nausea = page.locator("input[name='symptoms'][value='nausea']")
        questions = page.locator("#questions-nausea")
        for card in page.locator(".symptom-check").all():
            box = card.bounding_box()
            assert box is not None and box["height"] >= 44 and box["width"] >= 44

        _tap(page, "#help-nausea")  # the description, not the box
        expect(nausea).to_be_checked()
        expect(questions).to_be_visible()
        screenshot(page, "report-form-card-tapped")
        _tap(page, "#symptom-nausea .symptom-label")  # the name
        expect(nausea).not_to_be_checked()
        expect(questions).to_be_hidden()

        # From the keyboard: the box takes the focus, visibly, and Space toggles it.
        fatigue = page.locator("input[name='symptoms'][value='fatigue']")
        fatigue.focus()
        page.keyboard.press("Space")
        expect(fatigue).to_be_checked()
        outline = page.locator("#symptom-fatigue .symptom-check").evaluate(
            "card => getComputedStyle(card).outlineStyle"
        )
        assert outline == "solid"
        page.keyboard.press("Space")
        expect(fatigue).not_to_be_checked()

        _tap(page, "#help-nausea")
        expect(nausea).to_be_checked()
        questions.get_by_label("Mild — eating normally").check()
        page.get_by_role("button", name="Send report").click()
        page.wait_for_url(re.compile(r"/reports/\d+/$"))
        expect(page.locator("#reported-symptoms")).to_contain_text("Feeling sick (nausea)")
    report = demo_data.reports.first()
    assert report is not None
    assert [(e.code, e.answers) for e in report.symptoms.all()] == [
        ("nausea", {"severity": "mild"})
    ]
