"""The report form: built from the catalogue, parsed by Django, judged by the engine."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any

import pytest
from django import forms
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from reporting.models import Alert, Relationship, Report, SymptomEntry, User
from reporting.report_forms import ReportForm, question_name
from reporting.selectors import Reporter
from reporting.triage import (
    CATALOGUE,
    Choice,
    FieldDef,
    FieldError,
    SymptomDef,
    TriageValidationError,
    validate,
)
from reporting.triage import Level as EngineLevel
from tests.factories import CaregiverLinkFactory, FamilyUserFactory, NurseFactory, PatientFactory
from tests.reporting.reports.helpers import (
    answers,
    escaped,
    field_block,
    form_data,
    inputs_by_name,
    post_report,
    report_url,
    symptom_block,
    text_of,
)

pytestmark = pytest.mark.django_db


def nothing_stored() -> bool:
    return not (Report.objects.exists() or SymptomEntry.objects.exists() or Alert.objects.exists())


def engine_problem(entry: dict[str, Any]) -> FieldError:
    """The engine's first refusal of `entry` (which must be invalid)."""
    with pytest.raises(TriageValidationError) as refused:
        validate({"symptoms": [entry]})
    return refused.value.errors[0]


def engine_message(entry: dict[str, Any]) -> str:
    """What the engine says about `entry` (which must be invalid), in English."""
    return engine_problem(entry).render(gettext)


# --- the page -----------------------------------------------------------------------------


def test_every_catalogue_question_is_on_the_page_as_its_kind(
    client: Any, family: User, patient: Any
) -> None:
    client.force_login(family)
    page = client.get(report_url(patient.pk)).content.decode()
    inputs = inputs_by_name(page)
    ticks = {tag["value"] for tag in inputs["symptoms"]}
    assert ticks == set(CATALOGUE)
    seen_kinds = set()
    for code, symptom in CATALOGUE.items():
        assert escaped(gettext(symptom.label)) in symptom_block(page, code)
        for field in symptom.fields:
            name = question_name(code, field.name)
            tags = inputs[name]
            assert escaped(gettext(field.label)) in field_block(page, name)
            seen_kinds.add(field.kind)
            if field.kind in ("int", "float"):
                # A text input with the phone's number keyboard: a number input would read
                # "38,2" by the browser's locale (a vi-VN Chromium sends 382).
                (tag,) = tags
                assert tag["type"] == "text"
                assert tag["inputmode"] == ("numeric" if field.kind == "int" else "decimal")
            elif field.kind == "bool":
                assert [tag["type"] for tag in tags] == ["checkbox"]
            elif field.kind == "choice":
                assert [tag["type"] for tag in tags] == ["radio"] * len(field.choices)
                assert [tag["value"] for tag in tags] == list(field.choice_codes)
                for choice in field.choices:
                    assert escaped(gettext(choice.label)) in field_block(page, name)
            else:
                assert [tag["tag"] for tag in tags] == ["textarea"]
    assert seen_kinds == {"int", "float", "bool", "choice", "text"}


def test_the_page_says_it_does_not_replace_calling_and_gives_the_numbers(
    client: Any, family: User, patient: Any, settings: Any
) -> None:
    settings.IMMUNOWATCH_EMERGENCY_NUMBER = "115"
    settings.IMMUNOWATCH_HOTLINE = "1900 1234"
    client.force_login(family)
    text = text_of(client.get(report_url(patient.pk)).content.decode())
    # Once, at the top, before anything is ticked (the footer does not repeat it here).
    assert text.count("This app does not replace calling your care team.") == 1
    assert text.index("This app does not replace calling") < text.index("What have you noticed?")
    assert "call 115 now" in text
    assert "24-hour oncology line: 1900 1234" in text


def test_a_new_catalogue_symptom_appears_with_no_form_change(monkeypatch: Any) -> None:
    extra = SymptomDef(
        code="hiccups",
        label="Hiccups that will not stop",
        short_label="Hiccups",
        help_text="",
        fields=(
            FieldDef("hours", "int", "For how many hours?", min_value=0, max_value=72),
            FieldDef("how", "choice", "How bad?", choices=(Choice("mild", "Mild"),)),
        ),
        rate=lambda values, regimen: (1, EngineLevel.MONITOR, "hiccups"),
    )
    monkeypatch.setitem(CATALOGUE, "hiccups", extra)
    form = ReportForm(reporter=Reporter("family", "child"), patient_name="A")
    symptoms = form.fields["symptoms"]
    assert isinstance(symptoms, forms.ChoiceField) and isinstance(symptoms.choices, list)
    assert ("hiccups", "Hiccups that will not stop") in symptoms.choices
    assert {"hiccups-hours", "hiccups-how"} <= set(form.fields)
    assert form.fields["hiccups-hours"].widget.attrs["inputmode"] == "numeric"


def test_anonymous_visitors_are_sent_to_log_in(client: Any, patient: Any) -> None:
    response = client.get(report_url(patient.pk))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


# --- good answers -------------------------------------------------------------------------


def test_each_field_kind_is_posted_as_code_dash_field_and_stored(
    client: Any, family: User, patient: Any
) -> None:
    client.force_login(family)
    data = form_data(
        "diarrhea",
        "fever",
        "abdominal_pain",
        "other",
        "liver",
        **answers("diarrhea", stools_over_baseline="2", blood_or_mucus="on"),
        **answers("fever", temperature_c="37.6"),
        **answers("abdominal_pain", severity="mild"),
        **answers("other", description="  Sore gums  ", severity="moderate"),
        **answers("liver", dark_urine="on"),
    )
    response = post_report(client, patient.pk, data)
    report = Report.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("report_result", args=[report.pk])
    stored = {entry.code: entry.answers for entry in report.symptoms.all()}
    assert stored == {
        "diarrhea": {"stools_over_baseline": 2, "blood_or_mucus": True, "black_or_tarry": False},
        "abdominal_pain": {"severity": "mild"},
        "liver": {
            "yellow_skin_or_eyes": False,
            "dark_urine": True,
            "right_upper_belly_pain": False,
            "confusion_or_drowsiness": False,
        },
        "fever": {"temperature_c": 37.6, "chills": False},
        "other": {"description": "Sore gums", "severity": "moderate"},
    }
    # Catalogue order, whatever order the boxes were ticked in.
    assert [e.code for e in report.symptoms.all()] == [
        "diarrhea",
        "abdominal_pain",
        "liver",
        "fever",
        "other",
    ]


def test_a_decimal_comma_is_read_as_a_decimal_point(
    client: Any, family: User, patient: Any
) -> None:
    client.force_login(family)
    post_report(client, patient.pk, form_data("fever", **answers("fever", temperature_c="38,4")))
    assert SymptomEntry.objects.get().answers["temperature_c"] == 38.4


def test_no_javascript_only_ticked_symptoms_are_read(
    client: Any, family: User, patient: Any
) -> None:
    """Without JavaScript every question is posted: those of unticked symptoms, even invalid
    ones, are ignored, not validated and not stored."""
    client.force_login(family)
    data = form_data(
        "nausea",
        **answers("nausea", severity="moderate"),
        **answers("fever", temperature_c="45"),
        **answers("high_blood_pressure", systolic="not a number", diastolic="300"),
        **answers("abdominal_pain", severity="terrible"),
        **answers("rash", body_area="large", blisters_or_peeling="on"),
    )
    response = post_report(client, patient.pk, data)
    assert response.status_code == 302
    report = Report.objects.get()
    assert [(e.code, e.answers) for e in report.symptoms.all()] == [
        ("nausea", {"severity": "moderate"})
    ]
    assert report.level == "monitor"


# --- bad answers: a message beside the field, nothing stored --------------------------------

# (symptom, answers given, field the engine names, the entry the engine saw, what the family
# reads beside the question: plain words, no field code, no echo of what was typed)
ENGINE_REFUSALS = [
    pytest.param(
        "fever",
        {"temperature_c": "45"},
        "temperature_c",
        {"code": "fever", "temperature_c": 45.0, "chills": False},
        "Type a number from 34.0 to 43.0.",
        id="45 degrees",
    ),
    pytest.param(
        "high_blood_pressure",
        {"systolic": "120", "diastolic": "130"},
        "diastolic",
        {"code": "high_blood_pressure", "systolic": 120, "diastolic": 130, "warning_signs": False},
        "The bottom number must be lower than the top number.",
        id="diastolic above systolic",
    ),
    pytest.param(
        "diarrhea",
        {"stools_over_baseline": "31"},
        "stools_over_baseline",
        {"code": "diarrhea", "stools_over_baseline": 31},
        "Type a whole number from 0 to 30.",
        id="int out of range",
    ),
    pytest.param(
        "diarrhea",
        {},
        "stools_over_baseline",
        {"code": "diarrhea"},
        "Please answer this question.",
        id="required int missing",
    ),
    pytest.param(
        "itching",
        {},
        "severity",
        {"code": "itching"},
        "Choose one of the answers.",
        id="required choice missing",
    ),
    pytest.param(
        "other",
        {"description": "   ", "severity": "mild"},
        "description",
        {"code": "other", "severity": "mild"},
        "Please answer this question.",
        id="blank text",
    ),
    pytest.param(
        "breathing",
        {"breathless": "none", "spo2": "49"},
        "spo2",
        {"code": "breathing", "breathless": "none", "spo2": 49},
        "Type a whole number from 50 to 100.",
        id="optional int out of range",
    ),
]


@pytest.mark.parametrize(("code", "given", "field", "engine_entry", "plain"), ENGINE_REFUSALS)
def test_the_engines_refusal_is_shown_beside_the_field_in_plain_words_and_nothing_is_stored(
    client: Any,
    family: User,
    patient: Any,
    code: str,
    given: dict[str, str],
    field: str,
    engine_entry: dict[str, Any],
    plain: str,
) -> None:
    client.force_login(family)
    response = post_report(client, patient.pk, form_data(code, **answers(code, **given)))
    page = response.content.decode()
    engine_says = engine_message(engine_entry)
    assert response.status_code == 200
    assert f"'{field}'" in engine_says  # the engine names the field (command line, logs)...
    block = field_block(page, f"{code}-{field}")
    # ...and beside the question the family reads what to do, without codes or echoes.
    assert escaped(plain) in block
    assert f"'{field}'" not in text_of(block)
    assert "(got" not in page and escaped(engine_says) not in page
    assert "is-invalid" in block
    assert nothing_stored()


def test_the_limits_are_written_as_the_reader_writes_numbers(
    client: Any, family: User, patient: Any
) -> None:
    client.force_login(family)
    data = form_data("fever", **answers("fever", temperature_c="45"))
    english = text_of(
        field_block(post_report(client, patient.pk, data).content.decode(), "fever-temperature_c")
    )
    assert "Type a number from 34.0 to 43.0." in english
    in_vietnamese = client.post(
        report_url(patient.pk),
        {"submission_key": str(uuid.uuid4()), **data},
        HTTP_ACCEPT_LANGUAGE="vi",
    )
    vietnamese = text_of(field_block(in_vietnamese.content.decode(), "fever-temperature_c"))
    assert "34,0" in vietnamese and "43,0" in vietnamese
    assert "34.0" not in vietnamese


@pytest.mark.parametrize(
    ("code", "given", "field", "plain"),
    [
        (
            "diarrhea",
            {"stools_over_baseline": "many"},
            "stools_over_baseline",
            "Type a whole number, without a comma or a point.",
        ),
        (
            "diarrhea",
            {"stools_over_baseline": "5,5"},
            "stools_over_baseline",
            "Type a whole number, without a comma or a point.",
        ),
        (
            "diarrhea",
            {"stools_over_baseline": "5.5"},
            "stools_over_baseline",
            "Type a whole number, without a comma or a point.",
        ),
        ("fever", {"temperature_c": "hot"}, "temperature_c", "Type a number, for example 38.2."),
        ("fever", {"temperature_c": "38,2,1"}, "temperature_c", "Type a number, for example 38.2."),
        (
            "fever",
            {"temperature_c": "1.038,2"},
            "temperature_c",
            "Type a number, for example 38.2.",
        ),
        ("abdominal_pain", {"severity": "terrible"}, "severity", "Choose one of the answers."),
    ],
)
def test_what_is_not_even_a_value_is_refused_beside_the_field(
    client: Any,
    family: User,
    patient: Any,
    code: str,
    given: dict[str, str],
    field: str,
    plain: str,
) -> None:
    client.force_login(family)
    response = post_report(client, patient.pk, form_data(code, **answers(code, **given)))
    assert response.status_code == 200
    assert escaped(plain) in field_block(response.content.decode(), f"{code}-{field}")
    assert nothing_stored()


@pytest.mark.parametrize(
    ("code", "plain"),
    [
        ("liver", "Tick at least one of the answers below."),
        (
            "breathing",
            "Tick a new or worse cough, choose how breathless you are, or type an "
            "oxygen level below 95.",
        ),
    ],
)
def test_a_symptom_with_nothing_ticked_in_its_group_says_so_on_the_symptom(
    client: Any, family: User, patient: Any, code: str, plain: str
) -> None:
    client.force_login(family)
    given = {"breathless": "none"} if code == "breathing" else {}
    response = post_report(client, patient.pk, form_data(code, **answers(code, **given)))
    assert response.status_code == 200
    block = symptom_block(response.content.decode(), code)
    assert escaped(plain) in block
    assert "spo2" not in text_of(block) and "&#x27;none&#x27;" not in block
    assert nothing_stored()


def test_every_problem_is_shown_at_once(client: Any, family: User, patient: Any) -> None:
    client.force_login(family)
    data = form_data(
        "fever",
        "high_blood_pressure",
        **answers("fever", temperature_c="45"),
        **answers("high_blood_pressure", systolic="120", diastolic="130"),
    )
    page = post_report(client, patient.pk, data).content.decode()
    assert "is-invalid" in field_block(page, "fever-temperature_c")
    assert "is-invalid" in field_block(page, "high_blood_pressure-diastolic")
    assert "Some answers need checking" in page
    # What was typed is still there to correct.
    assert 'value="45"' in field_block(page, "fever-temperature_c")
    assert nothing_stored()


def test_a_future_start_date_is_refused(client: Any, family: User, patient: Any) -> None:
    client.force_login(family)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    data = form_data(
        "nausea", symptoms_began=tomorrow.isoformat(), **answers("nausea", severity="mild")
    )
    page = post_report(client, patient.pk, data).content.decode()
    assert "This date is in the future." in field_block(page, "symptoms_began")
    assert nothing_stored()


def test_the_start_date_and_note_are_stored(client: Any, family: User, patient: Any) -> None:
    client.force_login(family)
    began = timezone.localdate() - dt.timedelta(days=2)
    data = form_data(
        "nausea",
        symptoms_began=began.isoformat(),
        note="  Worse at night. ",
        **answers("nausea", severity="mild"),
    )
    post_report(client, patient.pk, data)
    report = Report.objects.get()
    assert (report.symptoms_began, report.note) == (began, "Worse at night.")


# --- "I feel well today" --------------------------------------------------------------------


def test_i_feel_well_today_sends_a_check_in(client: Any, family: User, patient: Any) -> None:
    client.force_login(family)
    response = post_report(client, patient.pk, {"feel_well": "1", "note": ""})
    report = Report.objects.get()
    assert response.url == reverse("report_result", args=[report.pk])
    assert report.is_check_in
    assert (report.level, report.suspected_irae, report.reasons) == ("routine", [], [])
    assert not Alert.objects.exists()


def test_i_feel_well_with_ticked_symptoms_asks_which_was_meant(
    client: Any, family: User, patient: Any
) -> None:
    client.force_login(family)
    data = {"feel_well": "1", "symptoms": ["nausea"], **answers("nausea", severity="mild")}
    response = post_report(client, patient.pk, data)
    assert response.status_code == 200
    assert "You ticked some symptoms" in text_of(response.content.decode())
    assert nothing_stored()


def test_sending_with_nothing_ticked_asks_for_a_symptom(
    client: Any, family: User, patient: Any
) -> None:
    client.force_login(family)
    response = post_report(client, patient.pk, form_data())
    assert "Tick at least one symptom" in text_of(response.content.decode())
    assert nothing_stored()


def test_a_note_alone_is_sent_as_a_check_in_with_the_note(
    client: Any, family: User, patient: Any
) -> None:
    client.force_login(family)
    post_report(client, patient.pk, form_data(note="Can I travel next week?"))
    report = Report.objects.get()
    assert report.is_check_in and report.note == "Can I travel next week?"


# --- who reports, and for whom ----------------------------------------------------------------


def test_a_family_member_is_recorded_with_their_relationship(
    client: Any, family: User, patient: Any
) -> None:
    client.force_login(family)
    post_report(client, patient.pk, {"feel_well": "1", "filled_in_by": "me"})
    report = Report.objects.get()
    assert (report.reported_by, report.reporter_role, report.reporter_relationship) == (
        family,
        "family",
        Relationship.CHILD,
    )


def test_a_family_member_can_say_the_patient_is_filling_it_in(
    client: Any, family: User, patient: Any
) -> None:
    client.force_login(family)
    page = client.get(report_url(patient.pk)).content.decode()
    assert "Who is filling this in?" in page
    post_report(client, patient.pk, {"feel_well": "1", "filled_in_by": "patient"})
    report = Report.objects.get()
    assert (report.reported_by, report.reporter_role, report.reporter_relationship) == (
        family,
        "patient",
        Relationship.SELF,
    )


def test_a_patient_reporting_for_themself_is_not_asked_who(client: Any, patient: Any) -> None:
    me = FamilyUserFactory.create()
    CaregiverLinkFactory.create(user=me, patient=patient, relationship=Relationship.SELF)
    client.force_login(me)
    assert "filled_in_by" not in inputs_by_name(client.get(report_url(patient.pk)).content.decode())
    post_report(client, patient.pk, {"feel_well": "1"})
    assert Report.objects.get().reporter_role == "patient"


def test_a_nurse_files_a_report_on_the_phone(client: Any, nurse: User, patient: Any) -> None:
    client.force_login(nurse)
    page = client.get(report_url(patient.pk)).content.decode()
    assert "during a phone call" in page
    post_report(client, patient.pk, form_data("nausea", **answers("nausea", severity="severe")))
    report = Report.objects.get()
    assert (report.reported_by, report.reporter_role, report.reporter_relationship) == (
        nurse,
        "nurse",
        "",
    )
    assert report.level == "urgent"


def test_someone_elses_patient_is_404_and_nothing_is_stored(
    client: Any, family: User, stranger_patient: Any
) -> None:
    client.force_login(family)
    assert client.get(report_url(stranger_patient.pk)).status_code == 404
    data = form_data("fever", **answers("fever", temperature_c="39.5"))
    assert post_report(client, stranger_patient.pk, data).status_code == 404
    assert post_report(client, stranger_patient.pk, {"feel_well": "1"}).status_code == 404
    assert nothing_stored()


def test_a_nurse_of_another_team_gets_404(client: Any, stranger_patient: Any) -> None:
    outsider = NurseFactory.create(care_teams=[])
    client.force_login(outsider)
    assert post_report(client, stranger_patient.pk, {"feel_well": "1"}).status_code == 404
    assert nothing_stored()


def test_a_mangled_patient_id_is_404(client: Any, family: User) -> None:
    client.force_login(family)
    assert client.get(f"{reverse('report_new')}?patient=1;DROP").status_code == 404


def test_with_one_patient_the_form_opens_directly(client: Any, family: User, patient: Any) -> None:
    client.force_login(family)
    response = client.get(reverse("report_new"), follow=True)
    assert response.status_code == 200
    assert response.context["patient"] == patient
    # The form opened has its one-time key in its address.
    assert re.fullmatch(
        rf"/report/new/\?patient={patient.pk}&key=[0-9a-f-]{{36}}", response.redirect_chain[-1][0]
    )


def test_with_several_patients_the_patient_is_chosen_first(
    client: Any, family: User, patient: Any
) -> None:
    second = PatientFactory.create(care_team=patient.care_team, full_name="Second Patient")
    CaregiverLinkFactory.create(user=family, patient=second)
    client.force_login(family)
    page = client.get(reverse("report_new")).content.decode()
    assert "Who are you reporting for?" in page
    for choice in (patient, second):
        assert f"{reverse('report_new')}?patient={choice.pk}" in page
    assert "symptoms" not in inputs_by_name(page)


def _reporter() -> Reporter:
    return Reporter(Report.ReporterRole.FAMILY, Relationship.CHILD, may_be_patient=True)


def test_a_sent_form_builds_the_questions_of_its_ticked_symptoms_only() -> None:
    """The other cards' ~50 questions are ignored when a report is sent: not built for it."""
    data = QueryDict(mutable=True)  # as request.POST
    data.setlist("symptoms", ["diarrhea"])
    data.update({"send": "1", **answers("diarrhea", stools_over_baseline="5")})
    form = ReportForm(data, reporter=_reporter(), patient_name="Bà Lan")
    questions = {name for name in form.fields if "-" in name}
    assert questions == {question_name("diarrhea", f.name) for f in CATALOGUE["diarrhea"].fields}
    assert form.is_valid(), form.errors
    assert form.submission()["symptoms"] == [
        {
            "code": "diarrhea",
            "stools_over_baseline": 5,
            "blood_or_mucus": False,
            "black_or_tarry": False,
        }
    ]


def test_a_form_shown_again_has_every_question_and_keeps_what_was_typed(
    client: Any, family: User, patient: Any
) -> None:
    client.force_login(family)
    # Fever ticked without its temperature, and a number typed in a card that is not ticked.
    data = form_data("fever", **answers("diarrhea", stools_over_baseline="7"))
    response = post_report(client, patient.pk, data)
    assert response.status_code == 200
    assert nothing_stored()
    inputs = inputs_by_name(response.content.decode())
    for code, symptom in CATALOGUE.items():
        for field in symptom.fields:
            assert question_name(code, field.name) in inputs
    (typed,) = inputs["diarrhea-stools_over_baseline"]
    assert typed["value"] == "7"
