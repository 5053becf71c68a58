"""Every numeric boundary of the catalogue, the rules across symptoms (contract section 6)
and their order, and the reasons."""

from __future__ import annotations

from typing import Any

import pytest

from reporting.triage import CATALOGUE, Assessment, Level, Reason, SymptomResult, assess
from reporting.triage.engine import (
    COLITIS_TEMPLATE,
    TWO_AMBERS_TEMPLATE,
    WORSENING_TEMPLATE,
    _worsening,
)

ICI = ["nivolumab"]
R, M, U, E = Level.ROUTINE, Level.MONITOR, Level.URGENT, Level.EMERGENCY
RULE_TEMPLATES = {COLITIS_TEMPLATE, WORSENING_TEMPLATE, TWO_AMBERS_TEMPLATE}


def one(code: str, regimen: list[str] | None = None, **fields: Any) -> SymptomResult:
    report = {
        "regimen": ICI if regimen is None else regimen,
        "symptoms": [{"code": code, **fields}],
    }
    (result,) = assess(report).symptoms
    return result


def report(*entries: dict[str, Any], previous: dict[str, Any] | None = None) -> Assessment:
    body: dict[str, Any] = {"regimen": ICI, "symptoms": list(entries)}
    if previous is not None:
        body["previous"] = previous
    return assess(body)


def rule_reasons(assessment: Assessment) -> list[str]:
    return [reason.template for reason in assessment.reasons if reason.template in RULE_TEMPLATES]


# --- boundaries ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stools", "grade", "level"),
    [(0, 0, R), (1, 1, M), (3, 1, M), (4, 2, U), (6, 2, U), (7, 3, U)],
)
def test_stool_boundaries(stools: int, grade: int, level: Level) -> None:
    result = one("diarrhea", stools_over_baseline=stools)
    assert (result.grade, result.level) == (grade, level)


@pytest.mark.parametrize(
    ("celsius", "grade", "level"),
    [
        (37.4, 0, R),
        (37.5, 0, M),
        (37.9, 0, M),
        (38.0, 1, U),
        (39.0, 1, U),
        (39.1, 2, U),
        (40.0, 2, U),
        (40.1, 3, E),
        (34.0, 0, R),
        (43.0, 3, E),
        (38, 1, U),  # a JSON integer is a valid float
    ],
)
def test_temperature_boundaries(celsius: float, grade: int, level: Level) -> None:
    result = one("fever", temperature_c=celsius)
    assert (result.grade, result.level) == (grade, level)


@pytest.mark.parametrize(
    ("celsius", "level"), [(37.4, R), (37.5, M), (37.9, M), (38.0, E), (40.1, E)]
)
def test_temperature_boundaries_with_chemotherapy(celsius: float, level: Level) -> None:
    assert one("fever", ["capecitabine"], temperature_c=celsius).level is level


@pytest.mark.parametrize(
    ("systolic", "diastolic", "grade", "level"),
    [
        (119, 70, 0, R),
        (120, 70, 1, R),
        (139, 70, 1, R),
        (140, 70, 2, M),
        (159, 70, 2, M),
        (160, 70, 3, U),
        (110, 79, 0, R),
        (110, 80, 1, R),
        (110, 89, 1, R),
        (110, 90, 2, M),
        (110, 99, 2, M),
        (110, 100, 3, U),
        (139, 89, 1, R),
        (159, 99, 2, M),
    ],
)
def test_blood_pressure_boundaries(systolic: int, diastolic: int, grade: int, level: Level) -> None:
    result = one("high_blood_pressure", systolic=systolic, diastolic=diastolic)
    assert (result.grade, result.level) == (grade, level)


@pytest.mark.parametrize(
    ("systolic", "diastolic", "grade", "level"),
    [(119, 79, 0, U), (139, 89, 1, U), (140, 70, 4, E), (110, 90, 4, E), (200, 120, 4, E)],
)
def test_blood_pressure_warning_signs(
    systolic: int, diastolic: int, grade: int, level: Level
) -> None:
    result = one("high_blood_pressure", systolic=systolic, diastolic=diastolic, warning_signs=True)
    assert (result.grade, result.level) == (grade, level)


@pytest.mark.parametrize(
    ("fields", "grade", "level"),
    [
        ({"minutes": 10}, 1, R),
        ({"minutes": 11}, 2, U),
        ({"minutes": 29, "still_bleeding": True}, 2, U),
        ({"minutes": 30, "still_bleeding": True}, 3, E),
        ({"minutes": 600, "still_bleeding": False}, 2, U),
        ({"minutes": 5, "episodes_today": 2}, 1, R),
        ({"minutes": 5, "episodes_today": 3}, 2, U),
        ({"minutes": 5}, 1, R),  # episodes_today defaults to 1
    ],
)
def test_nosebleed_boundaries(fields: dict[str, Any], grade: int, level: Level) -> None:
    result = one("nosebleed", **fields)
    assert (result.grade, result.level) == (grade, level)


@pytest.mark.parametrize(
    ("episodes", "grade", "level"),
    [(0, 0, R), (1, 1, R), (2, 1, R), (3, 2, M), (5, 2, M), (6, 3, U), (50, 3, U)],
)
def test_vomiting_boundaries(episodes: int, grade: int, level: Level) -> None:
    result = one("vomiting", episodes_24h=episodes)
    assert (result.grade, result.level) == (grade, level)


@pytest.mark.parametrize(
    ("spo2", "grade", "level"),
    [(100, 1, M), (95, 1, M), (94, 2, U), (92, 2, U), (91, 3, E), (50, 3, E)],
)
def test_oxygen_boundaries(spo2: int, grade: int, level: Level) -> None:
    result = one("breathing", new_or_worse_cough=True, breathless="none", spo2=spo2)
    assert (result.grade, result.level) == (grade, level)


def test_oxygen_only_raises_the_breathlessness_grade() -> None:
    assert one("breathing", breathless="rest", spo2=94).grade == 3
    assert one("breathing", breathless="daily_activities", spo2=93).grade == 2
    assert one("breathing", breathless="daily_activities", spo2=91).grade == 3


# --- rule 1: colitis pattern ---------------------------------------------------------------


def diarrhea(stools: int, **extra: Any) -> dict[str, Any]:
    return {"code": "diarrhea", "stools_over_baseline": stools, **extra}


def pain(severity: str) -> dict[str, Any]:
    return {"code": "abdominal_pain", "severity": severity}


@pytest.mark.parametrize("severity", ["moderate", "severe"])
def test_colitis_pattern_raises_both_to_urgent(severity: str) -> None:
    result = report(diarrhea(1), pain(severity))
    assert [s.level for s in result.symptoms] == [U, U]
    assert result.level is U
    assert rule_reasons(result) == [COLITIS_TEMPLATE]


def test_colitis_pattern_needs_moderate_pain_and_diarrhoea_grade_1() -> None:
    mild = report(diarrhea(2), pain("mild"))
    assert [s.level for s in mild.symptoms] == [M, R]
    no_stools = report(diarrhea(0), pain("moderate"))
    assert [s.level for s in no_stools.symptoms] == [R, M]
    assert rule_reasons(mild) == rule_reasons(no_stools) == []


def test_colitis_pattern_counts_blood_as_diarrhoea_grade() -> None:
    result = report(diarrhea(0, blood_or_mucus=True), pain("moderate"))
    assert [s.level for s in result.symptoms] == [U, U]


def test_colitis_pattern_never_lowers_and_gives_no_reason_when_nothing_changes() -> None:
    result = report(diarrhea(1, black_or_tarry=True), pain("moderate"))
    assert [s.level for s in result.symptoms] == [E, U]
    already = report(diarrhea(5), pain("severe"))
    assert [s.level for s in already.symptoms] == [U, U]
    assert rule_reasons(already) == []


def test_colitis_pattern_in_any_order_of_entries() -> None:
    result = report(pain("moderate"), {"code": "rash", "body_area": "small"}, diarrhea(2))
    assert [s.level for s in result.symptoms] == [U, R, U]


# --- rule 2: worsening ---------------------------------------------------------------------


def itching(severity: str) -> dict[str, Any]:
    return {"code": "itching", "severity": severity}


def test_worsening_by_two_grades_rises_one_level() -> None:
    result = report(itching("moderate"), previous={"itching": 0})
    assert result.symptoms[0].level is U
    assert rule_reasons(result) == [WORSENING_TEMPLATE]
    (reason,) = [r for r in result.reasons if r.template == WORSENING_TEMPLATE]
    assert reason.symptom == "itching" and reason.params["previous"] == 0


@pytest.mark.parametrize(("previous", "level"), [(0, U), (1, M), (2, M), (3, M), (4, M), (None, M)])
def test_worsening_needs_two_grades_and_ignores_null(previous: int | None, level: Level) -> None:
    assert report(itching("moderate"), previous={"itching": previous}).symptoms[0].level is level


def test_worsening_rises_one_level_only_and_urgent_stays() -> None:
    assert report(itching("severe"), previous={"itching": 0}).symptoms[0].level is U
    assert report(itching("severe"), previous={"itching": 1}).symptoms[0].level is U
    emergency = report(
        {"code": "rash", "body_area": "small", "blisters_or_peeling": True}, previous={"rash": 0}
    )
    assert emergency.symptoms[0].level is E
    assert rule_reasons(emergency) == []


def test_worsening_skips_lab_graded_symptoms() -> None:
    foamy = {"code": "urine", "foamy_urine": True}
    for previous in (0, None):
        result = report(foamy, previous={"urine": previous})
        assert (result.symptoms[0].grade, result.symptoms[0].level) == (None, M)
        assert rule_reasons(result) == []


def test_worsening_only_for_codes_in_previous() -> None:
    result = report(itching("moderate"), previous={"rash": 0, "nausea": 3})
    assert result.symptoms[0].level is M
    assert report(itching("moderate")).symptoms[0].level is M


def test_worsening_from_routine_rises_to_monitor() -> None:
    # No 2026.1 row has a routine level at grade 2 or more, so drive the rule directly.
    grades: list[int | None] = [2]
    ranks = [R.rank]
    reasons: list[Reason] = []
    entries = [(CATALOGUE["itching"], {"severity": "moderate"})]
    _worsening(entries, {"itching": 0}, grades, ranks, reasons)
    assert ranks == [M.rank] and len(reasons) == 1


def test_worsening_from_grade_0() -> None:
    result = report(diarrhea(4), previous={"diarrhea": 0})
    assert result.symptoms[0].level is U  # already urgent: stays
    vomit = report({"code": "vomiting", "episodes_24h": 3}, previous={"vomiting": 0})
    assert vomit.symptoms[0].level is U


# --- rule 3: two ambers make a red ---------------------------------------------------------


def test_two_ambers_make_the_report_urgent_but_keep_symptom_levels() -> None:
    result = report(itching("moderate"), {"code": "nausea", "severity": "moderate"})
    assert result.level is U
    assert [s.level for s in result.symptoms] == [M, M]
    assert rule_reasons(result) == [TWO_AMBERS_TEMPLATE]


def test_three_ambers() -> None:
    result = report(itching("moderate"), {"code": "nausea", "severity": "moderate"}, diarrhea(1))
    assert result.level is U
    (reason,) = [r for r in result.reasons if r.template == TWO_AMBERS_TEMPLATE]
    assert reason.params["count"] == 3


def test_two_ambers_does_not_fire_when_one_symptom_is_higher() -> None:
    large_rash = {"code": "rash", "body_area": "large"}
    urgent = report(itching("moderate"), {"code": "nausea", "severity": "moderate"}, large_rash)
    assert urgent.level is U
    assert rule_reasons(urgent) == []
    emergency = report(
        itching("moderate"),
        {"code": "nausea", "severity": "moderate"},
        {"code": "chest_or_heart", "chest_pain": True},
    )
    assert emergency.level is E
    assert rule_reasons(emergency) == []


def test_one_amber_stays_amber() -> None:
    result = report(itching("moderate"), {"code": "nausea", "severity": "mild"})
    assert result.level is M
    assert rule_reasons(result) == []


# --- order of the rules --------------------------------------------------------------------


def test_colitis_comes_before_worsening() -> None:
    # Colitis lifts the pain to urgent first, so worsening has nothing left to change.
    result = report(diarrhea(1), pain("moderate"), previous={"abdominal_pain": 0})
    assert [s.level for s in result.symptoms] == [U, U]
    assert rule_reasons(result) == [COLITIS_TEMPLATE]


def test_worsening_comes_before_two_ambers() -> None:
    # Worsening lifts itching to urgent, so there are no longer two ambers and none higher.
    result = report(
        itching("moderate"), {"code": "nausea", "severity": "moderate"}, previous={"itching": 0}
    )
    assert [s.level for s in result.symptoms] == [U, M]
    assert result.level is U
    assert rule_reasons(result) == [WORSENING_TEMPLATE]


def test_colitis_comes_before_two_ambers() -> None:
    # Diarrhoea grade 1 and moderate pain are two ambers; colitis makes them red first.
    result = report(diarrhea(2), pain("moderate"))
    assert rule_reasons(result) == [COLITIS_TEMPLATE]


def test_all_three_rules_in_order() -> None:
    result = report(
        diarrhea(1),
        pain("moderate"),
        itching("moderate"),
        {"code": "nausea", "severity": "moderate"},
        previous={"nausea": 0},
    )
    # Colitis: diarrhoea and pain urgent. Worsening: nausea urgent. Itching stays monitor.
    assert [s.level for s in result.symptoms] == [U, U, M, U]
    assert rule_reasons(result) == [COLITIS_TEMPLATE, WORSENING_TEMPLATE]


# --- reasons -------------------------------------------------------------------------------


def test_well_check_in_has_no_reasons() -> None:
    result = report()
    assert (result.level, result.symptoms, result.reasons, result.suspected_irae) == (R, (), (), ())


def test_one_reason_per_symptom_above_routine_then_one_per_rule() -> None:
    result = report(
        diarrhea(1),
        pain("moderate"),
        {"code": "rash", "body_area": "small"},
        itching("moderate"),
        previous={"itching": 0},
    )
    symptom_reasons = [r.symptom for r in result.reasons if r.template not in RULE_TEMPLATES]
    assert symptom_reasons == ["diarrhea", "abdominal_pain", "itching"]  # rash is routine
    assert rule_reasons(result) == [COLITIS_TEMPLATE, WORSENING_TEMPLATE]
    assert len(result.reasons) == 5


def test_reasons_name_the_symptom_grade_and_level_in_english() -> None:
    result = report(diarrhea(5))
    (reason,) = result.reasons
    text = str(reason)
    assert text.startswith("Diarrhoea grade 2 (4-6 stools")
    assert "urgent" in text and "immune-related" in text
    assert result.to_dict()["reasons"] == [text]
    liver = str(report({"code": "liver", "dark_urine": True}).reasons[0])
    assert "blood tests" in liver and "liver" in liver.lower()


def test_reasons_render_through_a_translator() -> None:
    vietnamese = {
        "Diarrhoea": "Tiêu chảy",
        "urgent (red)": "khẩn cấp (đỏ)",
        "4-6 stools a day over usual": "4-6 lần đi ngoài nhiều hơn bình thường",
        "gut (possible colitis)": "ruột (có thể viêm đại tràng)",
        "%(symptom)s grade %(grade)s (%(detail)s): %(level)s; possibly immune-related: "
        "%(irae)s.": "%(symptom)s độ %(grade)s (%(detail)s): %(level)s; có thể liên quan miễn "
        "dịch: %(irae)s.",
    }
    seen: list[str] = []

    def translate(message: str) -> str:
        seen.append(message)
        return vietnamese.get(message, message)

    (reason,) = report(diarrhea(5)).reasons
    assert reason.render(translate) == (
        "Tiêu chảy độ 2 (4-6 lần đi ngoài nhiều hơn bình thường): khẩn cấp (đỏ); "
        "có thể liên quan miễn dịch: ruột (có thể viêm đại tràng)."
    )
    assert reason.template in seen and "Diarrhoea" in seen
    assert str(reason).startswith("Diarrhoea grade 2")


def test_rule_reasons_render() -> None:
    result = report(itching("moderate"), {"code": "nausea", "severity": "moderate"})
    assert "2 symptoms" in str(result.reasons[-1])
    colitis = report(diarrhea(1), pain("moderate"))
    assert "olitis" in str(colitis.reasons[-1])
    worse = report(itching("moderate"), previous={"itching": 0})
    assert "Itching" in str(worse.reasons[-1]) and "grade 0 to 2" in str(worse.reasons[-1])


def test_anti_vegf_and_irae_are_both_in_the_reason() -> None:
    result = assess(
        {
            "regimen": ["atezolizumab", "bevacizumab"],
            "symptoms": [{"code": "urine", "less_urine": True}],
        }
    )
    text = str(result.reasons[0])
    assert "immune-related" in text and "anti-VEGF" in text
