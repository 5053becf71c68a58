"""The report form's layout: the patient's usual symptoms first, the others under plain
headings, a one-line description on every card. Only the page order changes: the fields, the
stored answers and the grading stay the same."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.translation import gettext

from reporting.models import FollowUp, Report, User
from reporting.report_forms import ReportForm
from reporting.selectors import Reporter, usual_symptoms
from reporting.symptom_groups import (
    GROUPS,
    TYPICAL_OF_ANTI_VEGF_ANTIBODY,
    TYPICAL_OF_CHEMOTHERAPY,
    TYPICAL_OF_IMMUNOTHERAPY,
    TYPICAL_OF_MULTI_KINASE,
    USUAL_LIMIT,
    arrange,
    typical_of_regimen,
)
from reporting.triage import CATALOGUE, Choice, FieldDef, SymptomDef
from reporting.triage import Level as EngineLevel
from tests.factories import NurseFactory
from tests.reporting.dashboard.factories import submit
from tests.reporting.reports.helpers import answers, form_data, post_report, report_url, text_of

pytestmark = pytest.mark.django_db

# The demo's and the factory's regimen: atezolizumab with bevacizumab.
ATEZO_BEV_USUAL = ["high_blood_pressure", "fatigue", "urine", "itching", "nosebleed", "rash"]


def card_order(page: str) -> list[str]:
    """The symptom codes of the page's cards, top to bottom."""
    return re.findall(r'class="card mb-2 symptom-card[^"]*" id="symptom-([a-z_]+)"', page)


def group_codes(page: str, key: str) -> list[str]:
    """The codes of the cards under one heading."""
    start = page.index(f'id="group-{key}"')
    end = page.find('<section class="symptom-group"', start + 1)
    return card_order(page[start : end if end != -1 else len(page)])


def form_page(client: Any, patient: Any, **extra: Any) -> str:
    response = client.get(report_url(patient.pk), **extra)
    assert response.status_code == 200
    return str(response.content.decode())


# --- the groups ---------------------------------------------------------------------------


def test_every_symptom_has_one_card_usual_ones_first_then_plain_headings(
    client: Any, family: User, patient: Any
) -> None:
    client.force_login(family)
    page = form_page(client, patient)
    order = card_order(page)
    assert sorted(order) == sorted(CATALOGUE)  # each card once, none left out
    assert group_codes(page, "usual") == ATEZO_BEV_USUAL
    assert order[: len(ATEZO_BEV_USUAL)] == ATEZO_BEV_USUAL
    text = text_of(page)
    for heading in ("Your usual symptoms", "Stomach and bowels", "Skin", "Anything else"):
        assert heading in text
    # A usual symptom is not shown a second time under its body part.
    assert group_codes(page, "skin") == ["hand_foot_skin"]
    assert group_codes(page, "other") == ["other"] and order[-1] == "other"


def test_the_headings_are_in_vietnamese_for_a_vietnamese_reader(
    client: Any, family: User, patient: Any
) -> None:
    client.force_login(family)
    text = text_of(form_page(client, patient, HTTP_ACCEPT_LANGUAGE="vi"))
    for heading in ("Thường gặp ở bạn", "Bụng và tiêu hoá", "Hơi thở, tim và huyết áp"):
        assert heading in text
    assert "Your usual symptoms" not in text


def test_recent_reports_come_first_most_often_reported_first(
    client: Any, family: User, patient: Any
) -> None:
    nausea = [{"code": "nausea", "severity": "mild"}]
    for days in (1, 9, 20):
        submit(patient, nausea, ago=dt.timedelta(days=days), by=family)
    submit(patient, [{"code": "fever", "temperature_c": 37.0}], ago=dt.timedelta(days=2))
    # Older than eight weeks: not "usual" any more.
    submit(patient, [{"code": "liver", "dark_urine": True}], ago=dt.timedelta(weeks=9))
    assert usual_symptoms(family, patient.pk, now=timezone.now()) == [
        "nausea",
        "fever",
        *ATEZO_BEV_USUAL[: USUAL_LIMIT - 2],
    ]
    client.force_login(family)
    page = form_page(client, patient)
    assert group_codes(page, "usual")[:2] == ["nausea", "fever"]
    assert "liver" in group_codes(page, "stomach")


def test_a_follow_up_puts_the_symptoms_it_asks_about_first(
    client: Any, family: User, patient: Any
) -> None:
    for days in (1, 2):
        submit(patient, [{"code": "nausea", "severity": "mild"}], ago=dt.timedelta(days=days))
    FollowUp.objects.create(
        patient=patient, symptoms={"liver": None}, ends_at=timezone.now() + dt.timedelta(days=5)
    )
    client.force_login(family)
    response = client.get(f"{report_url(patient.pk)}&follow_up=1")
    usual = group_codes(response.content.decode(), "usual")
    assert usual[:2] == ["liver", "nausea"]


def test_only_a_patient_the_user_may_see_is_looked_at(
    family: User, patient: Any, stranger_patient: Any
) -> None:
    submit(stranger_patient, [{"code": "vomiting", "episodes_24h": 2}])
    now = timezone.now()
    assert usual_symptoms(family, stranger_patient.pk, now=now) == []
    assert usual_symptoms(NurseFactory.create(care_teams=[]), patient.pk, now=now) == []
    # Another patient's reports do not count for this one.
    assert "vomiting" not in usual_symptoms(family, patient.pk, now=now)


def test_the_form_page_runs_the_same_queries_whatever_the_history(
    client: Any, family: User, patient: Any
) -> None:
    client.force_login(family)
    url = report_url(patient.pk)
    client.get(url)  # warm up: sessions, content types
    with CaptureQueriesContext(connection) as empty:
        assert client.get(url).status_code == 200
    for days in range(1, 13):
        submit(
            patient,
            [
                {"code": "nausea", "severity": "mild"},
                {"code": "diarrhea", "stools_over_baseline": 1},
                {"code": "rash", "body_area": "small"},
            ],
            ago=dt.timedelta(days=days),
        )
    with CaptureQueriesContext(connection) as full:
        assert client.get(url).status_code == 200
    assert len(full.captured_queries) == len(empty.captured_queries)


# --- the order is presentation only -------------------------------------------------------


def test_the_order_changes_no_field_and_no_stored_answer(
    client: Any, family: User, patient: Any
) -> None:
    reporter = Reporter("family", "child")
    plain = ReportForm(reporter=reporter, patient_name="An")
    usual = ReportForm(reporter=reporter, patient_name="An", usual=["other", "fever", "rash"])
    assert list(plain.fields) == list(usual.fields)
    assert [s.code for s in usual.sections()][:3] == ["other", "fever", "rash"]
    client.force_login(family)
    data = form_data(
        "rash",
        "fever",
        **answers("rash", body_area="small"),
        **answers("fever", temperature_c="37.2"),
    )
    post_report(client, patient.pk, data)
    report = Report.objects.get()
    # Catalogue order, as the engine reads them, whatever the page showed first.
    assert [(e.code, e.answers) for e in report.symptoms.all()] == [
        (
            "rash",
            {"body_area": "small", "blisters_or_peeling": False, "mouth_eye_genital_sores": False},
        ),
        ("fever", {"temperature_c": 37.2, "chills": False}),
    ]


def test_arrange_shows_every_code_once_and_a_new_one_under_the_last_heading(
    monkeypatch: Any,
) -> None:
    extra = SymptomDef(
        code="hiccups",
        label="Hiccups",
        short_label="Hiccups",
        help_text="Hiccups that will not stop.",
        fields=(FieldDef("how", "choice", "How bad?", choices=(Choice("mild", "Mild"),)),),
        rate=lambda values, regimen: (1, EngineLevel.MONITOR, "hiccups"),
    )
    monkeypatch.setitem(CATALOGUE, "hiccups", extra)
    arranged = arrange(["rash", "unknown-code", "rash"])
    codes = [code for group in arranged for code in group.codes]
    assert sorted(codes) == sorted(CATALOGUE)
    assert arranged[0].codes == ("rash",)
    assert "hiccups" in arranged[-1].codes
    assert {code for group in GROUPS for code in group.codes} == set(CATALOGUE) - {"hiccups"}


@pytest.mark.parametrize(
    ("regimen", "first", "includes"),
    [
        (["atezolizumab", "bevacizumab"], "high_blood_pressure", {"urine", "fatigue", "itching"}),
        (["lenvatinib"], "hand_foot_skin", {"high_blood_pressure", "diarrhea"}),
        (["durvalumab", "tremelimumab"], "fatigue", {"rash", "diarrhea"}),
        (["atezolizumab", "oxaliplatin"], "fever", {"fatigue", "nausea"}),
        ([], "fatigue", {"rash", "itching"}),  # unknown: immunotherapy, as the engine assumes
        (None, "fatigue", {"rash", "itching"}),
    ],
)
def test_the_regimen_brings_its_typical_symptoms(
    regimen: list[str] | None, first: str, includes: set[str]
) -> None:
    typical = typical_of_regimen(regimen)
    assert typical[0] == first
    assert includes <= set(typical)
    assert len(typical) == len(set(typical))


def test_the_typical_symptoms_are_catalogue_codes_and_anti_vegf_ones_are_marked_so() -> None:
    for typical in (
        TYPICAL_OF_IMMUNOTHERAPY,
        TYPICAL_OF_ANTI_VEGF_ANTIBODY,
        TYPICAL_OF_MULTI_KINASE,
        TYPICAL_OF_CHEMOTHERAPY,
    ):
        assert set(typical) <= set(CATALOGUE)
    anti_vegf = {code for code, symptom in CATALOGUE.items() if symptom.anti_vegf_typical}
    assert set(TYPICAL_OF_ANTI_VEGF_ANTIBODY) <= anti_vegf
    assert "hand_foot_skin" in TYPICAL_OF_MULTI_KINASE


# --- every card says what it means ----------------------------------------------------------


def test_every_card_has_its_own_one_line_description_in_both_languages() -> None:
    english = [symptom.help_text for symptom in CATALOGUE.values()]
    assert all(english) and len(set(english)) == len(english)
    assert "Tick everything you have noticed." not in english
    with translation.override("vi"):
        vietnamese = [gettext(text) for text in english]
    assert all(vi != en for vi, en in zip(vietnamese, english, strict=True))
    assert len(set(vietnamese)) == len(vietnamese)


def test_each_tick_box_has_its_label_and_is_described_by_its_card(
    client: Any, family: User, patient: Any
) -> None:
    client.force_login(family)
    page = form_page(client, patient)
    for code, symptom in CATALOGUE.items():
        box = re.search(rf'<input[^>]*value="{code}"[^>]*>', page)
        assert box is not None
        tag = box.group(0)
        assert f'aria-describedby="help-{code}"' in tag
        box_id = re.search(r'id="([^"]+)"', tag)
        assert box_id is not None
        assert f'<label class="form-check-label symptom-label" for="{box_id.group(1)}">' in page
        assert f'id="help-{code}"' in page
        assert gettext(symptom.help_text) in text_of(page)
