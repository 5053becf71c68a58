"""When answers need fixing: a summary at the top links to each question with a problem, the
first of them gets the focus, and the words are plain, in the reader's language."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from reporting.models import Report, User
from reporting.services import report_submit
from tests.reporting.reports.helpers import (
    answers,
    field_block,
    form_data,
    inputs_by_name,
    post_report,
    report_url,
    text_of,
)

pytestmark = pytest.mark.django_db

TWO_PROBLEMS = form_data(
    "high_blood_pressure",
    "fever",
    **answers("fever", temperature_c="45"),
    **answers("high_blood_pressure", systolic="120", diastolic="130"),
)


def summary(page: str) -> str:
    return page.split('id="form-errors"')[1].split("</div>")[0]


def test_the_summary_links_to_each_question_in_page_order(
    client: Any, family: User, patient: Any
) -> None:
    client.force_login(family)
    page = post_report(client, patient.pk, TWO_PROBLEMS).content.decode()
    links = re.findall(r'<a href="#([^"]+)"', summary(page))
    # Blood pressure comes before fever in the form, so in the summary too.
    assert links == ["div_id_high_blood_pressure-diastolic", "div_id_fever-temperature_c"]
    for anchor in links:
        assert f'id="{anchor}"' in page  # each link lands on its question
    words = text_of(summary(page))
    assert "Some answers need checking:" in words
    assert "The bottom number must be lower than the top number." in words
    assert "Type a number from 34.0 to 43.0." in words
    assert "'diastolic'" not in words and "(got" not in words


def test_the_first_question_with_a_problem_gets_the_focus(
    client: Any, family: User, patient: Any
) -> None:
    client.force_login(family)
    page = post_report(client, patient.pk, TWO_PROBLEMS).content.decode()
    focused = [
        name
        for name, tags in inputs_by_name(page).items()
        if any("autofocus" in tag for tag in tags)
    ]
    assert focused == ["high_blood_pressure-diastolic"]


def test_a_problem_with_a_whole_symptom_links_to_its_card_and_focuses_it(
    client: Any, family: User, patient: Any
) -> None:
    client.force_login(family)
    page = post_report(client, patient.pk, form_data("liver")).content.decode()
    assert re.findall(r'<a href="#([^"]+)"', summary(page)) == ["symptom-liver"]
    focused = [
        name
        for name, tags in inputs_by_name(page).items()
        if any("autofocus" in tag for tag in tags)
    ]
    assert focused == ["liver-yellow_skin_or_eyes"]


def test_nothing_ticked_links_to_the_list_of_symptoms(
    client: Any, family: User, patient: Any
) -> None:
    client.force_login(family)
    page = post_report(client, patient.pk, form_data()).content.decode()
    assert re.findall(r'<a href="#([^"]+)"', summary(page)) == ["div_id_symptoms"]
    assert 'id="div_id_symptoms"' in page


def test_the_summary_is_in_vietnamese_for_a_vietnamese_reader(
    client: Any, family: User, patient: Any
) -> None:
    client.force_login(family)
    client.cookies.load({"django_language": "vi"})
    page = post_report(client, patient.pk, TWO_PROBLEMS).content.decode()
    words = text_of(summary(page))
    assert "Số dưới phải nhỏ hơn số trên." in words
    assert "34,0" in words and "43,0" in words
    assert "Some answers" not in words


def test_no_summary_on_a_fresh_form(client: Any, family: User, patient: Any) -> None:
    client.force_login(family)
    page = client.get(report_url(patient.pk)).content.decode()
    assert 'id="form-errors"' not in page and "autofocus" not in page


# --- when the symptoms began ------------------------------------------------------------------


def test_a_start_date_before_the_patients_birth_is_refused(
    client: Any, family: User, patient: Any
) -> None:
    client.force_login(family)
    before_birth = patient.date_of_birth - dt.timedelta(days=1)
    data = form_data(
        "nausea", symptoms_began=before_birth.isoformat(), **answers("nausea", severity="mild")
    )
    page = post_report(client, patient.pk, data).content.decode()
    assert "This date is before the patient was born." in field_block(page, "symptoms_began")
    assert not Report.objects.exists()


def test_the_date_picker_is_bounded_by_birth_and_today(
    client: Any, family: User, patient: Any
) -> None:
    client.force_login(family)
    page = client.get(report_url(patient.pk)).content.decode()
    (tag,) = inputs_by_name(page)["symptoms_began"]
    assert tag["min"] == patient.date_of_birth.isoformat()
    assert tag["max"] == timezone.localdate().isoformat()


@pytest.mark.parametrize("days", [1, -1])
def test_the_service_refuses_a_start_date_in_the_future_or_before_birth(
    family: User, patient: Any, days: int
) -> None:
    began = (
        timezone.localdate() + dt.timedelta(days=1)
        if days > 0
        else patient.date_of_birth - dt.timedelta(days=1)
    )
    with pytest.raises(ValidationError) as refused:
        report_submit(
            patient=patient,
            reported_by=family,
            reporter_role="family",
            symptoms=[{"code": "nausea", "severity": "mild"}],
            symptoms_began=began,
        )
    assert "symptoms_began" in refused.value.message_dict
    assert not Report.objects.exists()


def test_every_problem_shows_at_once_even_with_one_that_did_not_parse(
    client: Any, family: User, patient: Any
) -> None:
    """A "5,5" in a whole-number box must not hide 45 °C and 120/130 until it is fixed."""
    client.force_login(family)
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    data = form_data(
        "diarrhea",
        "high_blood_pressure",
        "fever",
        symptoms_began=tomorrow,
        **answers("diarrhea", stools_over_baseline="5,5"),
        **answers("fever", temperature_c="45"),
        **answers("high_blood_pressure", systolic="120", diastolic="130"),
    )
    page = post_report(client, patient.pk, data).content.decode()
    anchors = re.findall(r'<a href="#([^"]+)"', summary(page))
    assert sorted(anchors) == [
        "div_id_diarrhea-stools_over_baseline",
        "div_id_fever-temperature_c",
        "div_id_high_blood_pressure-diastolic",
        "div_id_symptoms_began",
    ]
    # In page order, which puts the patient's usual symptoms first (test_form_groups.py).
    assert anchors == sorted(anchors, key=lambda anchor: page.index(f'id="{anchor}"'))
    # The box that did not parse says so once, not also "please answer this question".
    block = text_of(field_block(page, "diarrhea-stools_over_baseline"))
    assert "Type a whole number, without a comma or a point." in block
    assert "Please answer this question." not in block
