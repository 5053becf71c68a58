"""In a real browser: the demo nurse logs in, sees the demo urgent alert first, acknowledges
it, records an outcome and resolves it. Needs Debian's chromium (see tests/support/browser)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from playwright.sync_api import expect

from reporting.models import Alert, AlertEvent, Patient, Report
from reporting.roles import FAMILY_GROUP, NURSE_GROUP
from reporting.services import report_submit
from tests.support.alerts import alert_of
from tests.support.browser import chromium_page, login, screenshot

User = get_user_model()
DEMO_PASSWORD = "immunowatch-demo"
# Nurses work the queue at a desk.
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def demo_data(transactional_db: Any) -> None:
    # A transactional test before this one may have flushed the groups the migration made.
    for name in (NURSE_GROUP, FAMILY_GROUP):
        Group.objects.get_or_create(name=name)
    call_command("seed_demo", "--force", stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.fixture
def desktop_page(browser_server: Any) -> Iterator[Any]:
    with chromium_page(viewport=DESKTOP) as page:
        yield page


@pytest.mark.browser
def test_demo_nurse_works_the_urgent_alert_to_resolution(
    demo_data: None, desktop_page: Any, browser_server: Any
) -> None:
    page = desktop_page
    urgent = Alert.objects.get(status=Alert.Status.NEW, level="urgent")
    assert not Alert.objects.filter(level="emergency", status__in=["new", "acknowledged"]).exists()

    login(page, browser_server, "demo-nurse", DEMO_PASSWORD)
    page.wait_for_url(re.compile(r"/triage/$"))
    first_row = page.locator("#queue-body tr.queue-row").first
    assert first_row.get_attribute("data-alert-id") == str(urgent.pk)
    assert "Urgent" in first_row.inner_text()
    assert urgent.patient.full_name in first_row.inner_text()
    screenshot(page, "dashboard-queue")

    first_row.locator("a").first.click()
    page.wait_for_url(re.compile(rf"/triage/alerts/{urgent.pk}/$"))
    assert "Decision support" in page.locator("#guidance").inner_text()

    page.get_by_role("button", name="Acknowledge — I'm on it").click()
    page.wait_for_selector("text=Acknowledged: the alert is yours.")
    assert "Hoa Phạm" in page.locator("#alert-claimed-by").inner_text()

    page.get_by_label("Clinic visit booked").check()
    page.get_by_role("button", name="Record outcome").click()
    page.wait_for_selector("text=Outcome recorded.")

    page.get_by_role("button", name="Resolve…").click()
    # Resolving asks first.
    expect(page.locator("#confirm-outcome")).to_have_text("Clinic visit booked")
    page.get_by_role("button", name="Yes, resolve").click()
    page.wait_for_selector("text=Alert resolved.")
    assert "Resolved" in page.locator("#alert-status").inner_text()
    screenshot(page, "dashboard-alert-resolved")

    urgent.refresh_from_db()
    assert urgent.status == Alert.Status.RESOLVED
    assert urgent.outcome == Alert.Outcome.CLINIC_VISIT
    assert urgent.claimed_by is not None
    assert urgent.claimed_by.username == "demo-nurse"
    kinds = list(urgent.events.values_list("kind", flat=True))
    assert kinds == ["created", "acknowledged", "outcome", "resolved"]
    assert all(
        event.actor is not None and event.actor.username == "demo-nurse"
        for event in urgent.events.exclude(kind=AlertEvent.Kind.CREATED)
    )


@pytest.mark.browser
def test_the_queue_refreshes_itself_without_reloading_the_page(
    demo_data: None, desktop_page: Any, browser_server: Any
) -> None:
    page = desktop_page
    login(page, browser_server, "demo-nurse", DEMO_PASSWORD)
    page.wait_for_url(re.compile(r"/triage/$"))
    assert page.locator("#queue-body tr.queue-row").count() == 2
    page.evaluate("window.notReloaded = true")

    patient = Patient.objects.get(hospital_number="DEMO-0002")
    report = report_submit(
        patient=patient,
        reported_by=User.objects.get(username="demo-nurse"),
        reporter_role=Report.ReporterRole.NURSE,
        symptoms=[{"code": "chest_or_heart", "chest_pain": True}],
    )
    # The script refreshes every 20 s, and at once when the tab becomes visible again.
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    first_row = page.locator("#queue-body tr.queue-row").first
    expect(first_row).to_have_attribute("data-alert-id", str(alert_of(report).pk))
    assert "Emergency" in first_row.inner_text()
    assert page.evaluate("window.notReloaded") is True
    assert page.title().startswith("(3) ")
    assert "Updated at" in page.locator("#queue-updated").inner_text()


@pytest.mark.browser
def test_the_nurse_patient_page_draws_the_grade_chart(
    demo_data: None, desktop_page: Any, browser_server: Any
) -> None:
    page = desktop_page
    patient = Patient.objects.get(hospital_number="DEMO-0001")
    login(page, browser_server, "demo-nurse", DEMO_PASSWORD)
    page.goto(f"{browser_server.url}/triage/patients/{patient.pk}/")
    chart = page.locator("svg.grade-chart")
    expect(chart).to_be_visible()
    assert chart.locator("g[data-code='diarrhea'] circle").count() == 2
    screenshot(page, "dashboard-patient")


@pytest.mark.browser
def test_a_call_note_typed_before_recording_the_outcome_is_in_the_history(
    demo_data: None, desktop_page: Any, browser_server: Any
) -> None:
    page = desktop_page
    urgent = Alert.objects.get(status=Alert.Status.NEW, level="urgent")
    login(page, browser_server, "demo-nurse", DEMO_PASSWORD)
    page.goto(f"{browser_server.url}/triage/alerts/{urgent.pk}/")
    # The first call button calls the person who reported.
    reporter_link = urgent.patient.caregiver_links.get(user=urgent.reports.get().reported_by)
    first_call = page.locator("#call-list a").first
    expect(first_call).to_have_attribute("href", f"tel:{reporter_link.phone}")

    page.get_by_role("button", name="Acknowledge — I'm on it").click()
    page.wait_for_selector("text=Acknowledged: the alert is yours.")
    note = "Spoke to the son at 10:05. Five stools, no blood, drinking well."
    page.get_by_label("Call note").fill(note)
    page.get_by_label("Clinic visit booked").check()
    page.get_by_label("Closing note").fill("Clinic tomorrow 9:00")
    screenshot(page, "dashboard-alert-typing")
    page.get_by_role("button", name="Record outcome").click()
    page.wait_for_selector("text=Outcome recorded.")

    history = page.locator("#events")
    expect(history).to_contain_text(note)
    expect(history).to_contain_text("Clinic visit booked")
    # The closing note typed beside it is still there for "Resolve".
    expect(page.get_by_label("Closing note")).to_have_value("Clinic tomorrow 9:00")
    screenshot(page, "dashboard-alert-note-kept")
