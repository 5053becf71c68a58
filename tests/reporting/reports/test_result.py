"""The answer a family sees after sending a report, by level, and who may see it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from education.models import Article, Audience, Status
from reporting import services
from reporting.models import Report, Snooze, User
from tests.education.factories import ArticleFactory
from tests.factories import NurseFactory
from tests.reporting.reports.helpers import text_of
from tests.support.alerts import alert_of

pytestmark = pytest.mark.django_db

SAFETY = "This app does not replace calling your care team."

BY_LEVEL: dict[str, list[dict[str, Any]]] = {
    "emergency": [{"code": "chest_or_heart", "chest_pain": True}],
    "urgent": [{"code": "diarrhea", "stools_over_baseline": 5}],
    "monitor": [{"code": "rash", "body_area": "medium"}],
    "routine": [{"code": "nausea", "severity": "mild"}],
}


@pytest.fixture(autouse=True)
def _numbers(settings: Any) -> None:
    settings.IMMUNOWATCH_EMERGENCY_NUMBER = "115"
    settings.IMMUNOWATCH_HOTLINE = "1900 1234"
    settings.IMMUNOWATCH_ALERT_TARGET_MINUTES = {"emergency": 15, "urgent": 60, "monitor": 1440}


def submit(patient: Any, user: User, symptoms: list[dict[str, Any]]) -> Report:
    return services.report_submit(
        patient=patient,
        reported_by=user,
        reporter_role="family",
        reporter_relationship="child",
        symptoms=symptoms,
    )


def result_text(client: Any, report: Report) -> str:
    response = client.get(reverse("report_result", args=[report.pk]))
    assert response.status_code == 200
    return text_of(response.content.decode())


@pytest.mark.parametrize("level", list(BY_LEVEL))
def test_every_result_says_the_app_does_not_replace_calling(
    client: Any, family: User, patient: Any, level: str
) -> None:
    report = submit(patient, family, BY_LEVEL[level])
    assert report.level == level
    client.force_login(family)
    text = result_text(client, report)
    # Once, not three times (issue 15): the footer says it; the advice says what to do.
    assert text.count(SAFETY) == 1
    assert "115" in text and "1900 1234" in text


# The one thing to do, for each level: the first thing the page says after its heading.
LEAD_ACTION = {
    "emergency": "Call 115",
    "urgent": "The oncology nurse will call you within 1 hour. Keep your phone close",
    "monitor": "Do not wait for the review: send a new report at once if:",
    "routine": "Keep an eye on it. If it gets worse, or something new starts, send a new report",
}

# A monitor report first says that nothing else is needed now (one line), then what to watch.
BEFORE_THE_ACTION = {
    "monitor": "You do not need to do anything else now. The nurse will call you if needed. "
    "What would make it urgent "
}


def advice_of(page: str) -> str:
    return page.split('id="advice"')[1].split("</section>")[0]


@pytest.mark.parametrize("level", list(BY_LEVEL))
def test_the_page_leads_with_the_one_action_that_matters(
    client: Any, family: User, patient: Any, level: str
) -> None:
    report = submit(patient, family, BY_LEVEL[level])
    client.force_login(family)
    page = client.get(reverse("report_result", args=[report.pk])).content.decode()
    advice = advice_of(page)
    after_heading = text_of(advice.split("</h1>", 1)[1])
    lead = text_of(advice.split('id="lead-action"', 1)[1].split(">", 1)[1])
    assert lead.startswith(LEAD_ACTION[level])
    assert after_heading.strip().startswith(BEFORE_THE_ACTION.get(level, "") + LEAD_ACTION[level])


def test_emergency_puts_the_call_button_first(client: Any, family: User, patient: Any) -> None:
    report = submit(patient, family, BY_LEVEL["emergency"])
    client.force_login(family)
    advice = advice_of(client.get(reverse("report_result", args=[report.pk])).content.decode())
    first = advice.split("</h1>", 1)[1].lstrip()
    assert first.startswith('<a class="btn btn-danger') and 'href="tel:115"' in first.split(">")[0]


def test_monitor_says_what_would_make_it_urgent_before_the_self_care(
    client: Any, family: User, patient: Any
) -> None:
    report = submit(patient, family, BY_LEVEL["monitor"])
    client.force_login(family)
    text = result_text(client, report)
    assert text.index("What would make it urgent") < text.index("Looking after yourself")


def test_emergency_says_call_the_emergency_number_now(
    client: Any, family: User, patient: Any
) -> None:
    report = submit(patient, family, BY_LEVEL["emergency"])
    client.force_login(family)
    page = client.get(reverse("report_result", args=[report.pk])).content.decode()
    text = text_of(page)
    assert "Emergency: get help now" in text
    assert (
        "Call the emergency number 115 now, or go to the nearest emergency department now." in text
    )
    assert 'href="tel:115"' in page
    assert "Then tell the oncology team on the 24-hour line: 1900 1234." in text


def test_urgent_says_the_nurse_calls_within_the_hour_and_what_to_do_if_not(
    client: Any, family: User, patient: Any
) -> None:
    report = submit(patient, family, BY_LEVEL["urgent"])
    client.force_login(family)
    text = result_text(client, report)
    assert "The oncology nurse will call you within 1 hour." in text
    assert (
        "If nobody has called you within 1 hour, call the 24-hour oncology line: 1900 1234." in text
    )
    assert "Emergency: get help now" not in text


def test_urgent_follows_the_configured_target(
    client: Any, family: User, patient: Any, settings: Any
) -> None:
    settings.IMMUNOWATCH_ALERT_TARGET_MINUTES = {"emergency": 15, "urgent": 30, "monitor": 1440}
    report = submit(patient, family, BY_LEVEL["urgent"])
    client.force_login(family)
    assert "will call you within 30 minutes" in result_text(client, report)


def test_monitor_says_a_nurse_reviews_today_and_what_would_make_it_urgent(
    client: Any, family: User, patient: Any
) -> None:
    report = submit(patient, family, BY_LEVEL["monitor"])
    client.force_login(family)
    text = result_text(client, report)
    assert "A nurse will review your report today" in text
    assert "What would make it urgent" in text
    # As the education pages say (starter_levels): a worse symptom is reported again, and
    # the engine decides; the 24-hour line is for when a report cannot be sent.
    assert "Do not wait for the review: send a new report at once if:" in text
    assert "If you cannot send a report, call the 24-hour oncology line 1900 1234." in text
    assert "the temperature is 38 °C or more" in text


def test_monitor_silenced_by_a_snooze_does_not_promise_a_review(
    client: Any, family: User, patient: Any, nurse: User
) -> None:
    Snooze.objects.create(
        patient=patient, code="rash", created_by=nurse, until=timezone.now() + dt.timedelta(days=3)
    )
    report = submit(patient, family, BY_LEVEL["monitor"])
    client.force_login(family)
    text = result_text(client, report)
    assert "A nurse will review your report today" not in text
    assert "already knows about this symptom" in text
    assert "What would make it urgent" in text


def test_routine_gives_self_care_advice(client: Any, family: User, patient: Any) -> None:
    report = submit(patient, family, BY_LEVEL["routine"])
    client.force_login(family)
    text = result_text(client, report)
    assert "Thank you: your report is recorded" in text
    assert "Looking after yourself" in text
    assert "Keep reporting" in text


def test_a_check_in_thanks_the_family(client: Any, family: User, patient: Any) -> None:
    report = submit(patient, family, [])
    client.force_login(family)
    text = result_text(client, report)
    assert "Thank you for checking in" in text
    assert "You told us you feel well today." in text


def test_the_result_lists_the_symptoms_and_links_their_education_pages(
    client: Any, family: User, patient: Any
) -> None:
    # The starter pages (translations first: they protect their originals); this test
    # brings its own.
    Article.objects.filter(translation_of__isnull=False).delete()
    Article.objects.all().delete()
    diarrhoea_page = ArticleFactory.create(
        title="Diarrhoea on immunotherapy", slug="diarrhoea", symptom_codes=["diarrhea"]
    )
    ArticleFactory.create(
        title="Draft about diarrhoea",
        slug="draft-diarrhoea",
        symptom_codes=["diarrhea"],
        status=Status.DRAFT,
    )
    ArticleFactory.create(
        title="Staff notes on colitis",
        slug="staff-colitis",
        symptom_codes=["diarrhea"],
        audience=Audience.STAFF,
    )
    ArticleFactory.create(title="All about rashes", slug="rash", symptom_codes=["rash"])
    report = submit(
        patient,
        family,
        [
            {"code": "diarrhea", "stools_over_baseline": 2},
            {"code": "abdominal_pain", "severity": "mild"},
        ],
    )
    client.force_login(family)
    page = client.get(reverse("report_result", args=[report.pk])).content.decode()
    text = text_of(page)
    assert "Diarrhoea (loose or watery stools)" in text
    assert "Belly (abdominal) pain" in text
    assert diarrhoea_page.get_absolute_url() in page
    for hidden in ("Draft about diarrhoea", "Staff notes on colitis", "All about rashes"):
        assert hidden not in text


def test_reasons_are_for_the_care_team_only(
    client: Any, family: User, patient: Any, nurse: User
) -> None:
    report = submit(patient, family, BY_LEVEL["urgent"])
    reason = report.reasons[0]["text"]
    client.force_login(family)
    assert reason not in result_text(client, report)
    client.force_login(nurse)
    text = result_text(client, report)
    assert "For the care team" in text
    assert reason in text


def test_someone_elses_report_is_404(client: Any, family: User, stranger_patient: Any) -> None:
    other_family = stranger_patient.caregiver_links.get().user
    report = submit(stranger_patient, other_family, BY_LEVEL["urgent"])
    client.force_login(family)
    assert client.get(reverse("report_result", args=[report.pk])).status_code == 404
    client.force_login(NurseFactory.create(care_teams=[]))
    assert client.get(reverse("report_result", args=[report.pk])).status_code == 404


def test_the_result_page_is_for_logged_in_users(client: Any, family: User, patient: Any) -> None:
    report = submit(patient, family, [])
    response = client.get(reverse("report_result", args=[report.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


# --- once a nurse has the alert, the page says what she did first --------------------------


def nurse_action_first(text: str) -> str:
    """The page's text from the nurse's box on; the box must come before the advice."""
    assert "Report for" in text
    _, _, rest = text.partition("Report for")
    return rest


def test_an_acknowledged_urgent_report_says_a_nurse_has_it_not_that_she_will_call(
    client: Any, family: User, patient: Any, nurse: User
) -> None:
    report = submit(patient, family, BY_LEVEL["urgent"])
    services.alert_acknowledge(alert=alert_of(report), nurse=nurse)
    client.force_login(family)
    text = nurse_action_first(result_text(client, report))
    seen = f"Nurse {nurse.get_full_name()} has seen this report"
    assert seen in text
    assert text.index(seen) < text.index("This report was urgent")
    assert "will call you within" not in text
    assert "1900 1234" in text  # still told whom to call if things change


def test_a_resolved_report_says_what_was_decided_first(
    client: Any, family: User, patient: Any, nurse: User
) -> None:
    report = submit(patient, family, BY_LEVEL["urgent"])
    services.alert_acknowledge(alert=alert_of(report), nurse=nurse)
    services.alert_record_outcome(alert=alert_of(report), nurse=nurse, outcome="clinic_visit")
    services.alert_resolve(alert=alert_of(report), nurse=nurse)
    client.force_login(family)
    text = nurse_action_first(result_text(client, report))
    assert text.index("A nurse has dealt with this report") < text.index("What you reported")
    assert "What was decided: Clinic visit booked." in text
    assert "will call you within" not in text


def test_a_new_urgent_report_still_says_the_nurse_will_call(
    client: Any, family: User, patient: Any
) -> None:
    report = submit(patient, family, BY_LEVEL["urgent"])
    client.force_login(family)
    text = result_text(client, report)
    assert "The oncology nurse will call you within 1 hour" in text
    assert "has seen this report" not in text


def test_seen_is_not_called_the_fallback_stays_until_an_outcome_is_recorded(
    client: Any, family: User, patient: Any, nurse: User
) -> None:
    report = submit(patient, family, BY_LEVEL["urgent"])
    services.alert_acknowledge(alert=alert_of(report), nurse=nurse)
    client.force_login(family)
    fallback = "If nobody has called you within 1 hour of sending the report, call the 24-hour"
    assert fallback in result_text(client, report)
    services.alert_record_outcome(alert=alert_of(report), nurse=nurse, outcome="self_care")
    assert fallback not in result_text(client, report)


def test_the_family_sees_each_answer_as_it_was_read(
    client: Any, family: User, patient: Any
) -> None:
    report = submit(patient, family, [{"code": "fever", "temperature_c": 38.2}])
    client.force_login(family)
    client.cookies.load({"django_language": "vi"})
    text = result_text(client, report)
    assert "Nhiệt độ" in text and "38,2" in text


def test_an_other_outcome_tells_the_family_the_nurse_said_what_to_do(
    client: Any, family: User, patient: Any, nurse: User
) -> None:
    report = submit(patient, family, BY_LEVEL["urgent"])
    services.alert_acknowledge(alert=alert_of(report), nurse=nurse)
    services.alert_record_outcome(
        alert=alert_of(report), nurse=nurse, outcome="other", details="Told to go to A&E"
    )
    services.alert_resolve(alert=alert_of(report), nurse=nurse)
    client.force_login(family)
    text = result_text(client, report)
    assert "The nurse told you on the phone what to do." in text
    assert "Told to go to A&E" not in text  # the nurse's own notes stay with the team


def test_the_urgent_page_calls_with_a_solid_button(client: Any, family: User, patient: Any) -> None:
    # A solid dark-red button (white on #b02a37, 6.5:1), not red outline on pink (3.4:1).
    report = submit(patient, family, BY_LEVEL["urgent"])
    client.force_login(family)
    page = client.get(reverse("report_result", args=[report.pk])).content.decode()
    assert 'class="btn btn-danger btn-call btn-lg w-100 py-3 mb-3" href="tel:19001234"' in page
    assert "btn-outline-danger" not in page
