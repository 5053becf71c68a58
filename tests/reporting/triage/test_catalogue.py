"""Every row of the catalogue (contract section 3), grade by grade and level by level, the
drug table (section 4), the public API, and the catalogue's texts and docs."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import pytest

import reporting.triage as triage
from reporting.triage import (
    CATALOGUE,
    DRUGS,
    IRAE_CATEGORIES,
    RULESET,
    DrugClass,
    Level,
    SymptomResult,
    assess,
)

PACKAGE = Path(triage.__file__).parent
ROOT = PACKAGE.parent.parent
ATEZO_BEV = ["atezolizumab", "bevacizumab"]
R, M, U, E = "routine", "monitor", "urgent", "emergency"


def rate(code: str, regimen: list[str] | None = None, **fields: Any) -> SymptomResult:
    report: dict[str, Any] = {"symptoms": [{"code": code, **fields}]}
    report["regimen"] = ATEZO_BEV if regimen is None else regimen
    (result,) = assess(report).symptoms
    return result


# (code, fields, grade, level, irae) on atezolizumab + bevacizumab (ICI and anti-VEGF).
ROWS: list[tuple[str, dict[str, Any], int | None, str, str | None]] = [
    ("diarrhea", {"stools_over_baseline": 0}, 0, R, None),
    ("diarrhea", {"stools_over_baseline": 1}, 1, M, "gastrointestinal"),
    ("diarrhea", {"stools_over_baseline": 3}, 1, M, "gastrointestinal"),
    ("diarrhea", {"stools_over_baseline": 4}, 2, U, "gastrointestinal"),
    ("diarrhea", {"stools_over_baseline": 6}, 2, U, "gastrointestinal"),
    ("diarrhea", {"stools_over_baseline": 7}, 3, U, "gastrointestinal"),
    ("diarrhea", {"stools_over_baseline": 30}, 3, U, "gastrointestinal"),
    ("diarrhea", {"stools_over_baseline": 0, "blood_or_mucus": True}, 2, U, "gastrointestinal"),
    ("diarrhea", {"stools_over_baseline": 5, "blood_or_mucus": True}, 2, U, "gastrointestinal"),
    ("diarrhea", {"stools_over_baseline": 9, "blood_or_mucus": True}, 3, U, "gastrointestinal"),
    ("diarrhea", {"stools_over_baseline": 0, "black_or_tarry": True}, 0, E, "gastrointestinal"),
    ("diarrhea", {"stools_over_baseline": 2, "black_or_tarry": True}, 1, E, "gastrointestinal"),
    ("abdominal_pain", {"severity": "mild"}, 1, R, None),
    ("abdominal_pain", {"severity": "moderate"}, 2, M, "gastrointestinal"),
    ("abdominal_pain", {"severity": "severe"}, 3, U, "gastrointestinal"),
    ("rash", {"body_area": "small"}, 1, R, None),
    ("rash", {"body_area": "medium"}, 2, M, "dermatologic"),
    ("rash", {"body_area": "large"}, 3, U, "dermatologic"),
    ("rash", {"body_area": "small", "blisters_or_peeling": True}, 4, E, "dermatologic"),
    ("rash", {"body_area": "medium", "mouth_eye_genital_sores": True}, 4, E, "dermatologic"),
    ("itching", {"severity": "mild"}, 1, R, None),
    ("itching", {"severity": "moderate"}, 2, M, "dermatologic"),
    ("itching", {"severity": "severe"}, 3, U, "dermatologic"),
    ("nosebleed", {"minutes": 0}, 1, M, None),  # G1 is monitor on anti-VEGF
    ("nosebleed", {"minutes": 10}, 1, M, None),
    ("nosebleed", {"minutes": 11}, 2, U, None),
    ("nosebleed", {"minutes": 5, "episodes_today": 3}, 2, U, None),
    ("nosebleed", {"minutes": 5, "still_bleeding": True}, 1, M, None),
    ("nosebleed", {"minutes": 30}, 2, U, None),
    ("nosebleed", {"minutes": 30, "still_bleeding": True}, 3, E, None),
    ("high_blood_pressure", {"systolic": 110, "diastolic": 70}, 0, R, None),
    ("high_blood_pressure", {"systolic": 125, "diastolic": 75}, 1, R, None),
    ("high_blood_pressure", {"systolic": 115, "diastolic": 85}, 1, R, None),
    ("high_blood_pressure", {"systolic": 145, "diastolic": 70}, 2, M, None),
    ("high_blood_pressure", {"systolic": 130, "diastolic": 95}, 2, M, None),
    ("high_blood_pressure", {"systolic": 165, "diastolic": 80}, 3, U, None),
    ("high_blood_pressure", {"systolic": 130, "diastolic": 105}, 3, U, None),
    ("high_blood_pressure", {"systolic": 110, "diastolic": 70, "warning_signs": True}, 0, U, None),
    ("high_blood_pressure", {"systolic": 125, "diastolic": 70, "warning_signs": True}, 1, U, None),
    ("high_blood_pressure", {"systolic": 150, "diastolic": 85, "warning_signs": True}, 4, E, None),
    ("high_blood_pressure", {"systolic": 170, "diastolic": 100, "warning_signs": True}, 4, E, None),
    ("vomiting", {"episodes_24h": 0}, 0, R, None),
    ("vomiting", {"episodes_24h": 1}, 1, R, None),
    ("vomiting", {"episodes_24h": 3}, 2, M, None),
    ("vomiting", {"episodes_24h": 6}, 3, U, None),
    ("vomiting", {"episodes_24h": 0, "cannot_keep_fluids": True}, 0, U, None),
    ("vomiting", {"episodes_24h": 7, "cannot_keep_fluids": True}, 3, U, None),
    ("vomiting", {"episodes_24h": 0, "blood": True}, 0, E, None),
    ("vomiting", {"episodes_24h": 4, "blood": True, "cannot_keep_fluids": True}, 2, E, None),
    ("nausea", {"severity": "mild"}, 1, R, None),
    ("nausea", {"severity": "moderate"}, 2, M, None),
    ("nausea", {"severity": "severe"}, 3, U, None),
    ("breathing", {"new_or_worse_cough": True, "breathless": "none"}, 1, M, "pulmonary"),
    ("breathing", {"breathless": "exertion"}, 1, M, "pulmonary"),
    ("breathing", {"new_or_worse_cough": True, "breathless": "exertion"}, 1, M, "pulmonary"),
    ("breathing", {"breathless": "daily_activities"}, 2, U, "pulmonary"),
    ("breathing", {"breathless": "rest"}, 3, E, "pulmonary"),
    (
        "breathing",
        {"new_or_worse_cough": True, "breathless": "none", "spo2": 98},
        1,
        M,
        "pulmonary",
    ),
    ("breathing", {"breathless": "none", "spo2": 94}, 2, U, "pulmonary"),
    ("breathing", {"breathless": "exertion", "spo2": 92}, 2, U, "pulmonary"),
    ("breathing", {"breathless": "none", "spo2": 91}, 3, E, "pulmonary"),
    ("breathing", {"breathless": "rest", "spo2": 93}, 3, E, "pulmonary"),
    ("breathing", {"breathless": "exertion", "spo2": 50}, 3, E, "pulmonary"),
    ("liver", {"yellow_skin_or_eyes": True}, None, U, "hepatic"),
    ("liver", {"dark_urine": True}, None, U, "hepatic"),
    ("liver", {"right_upper_belly_pain": True}, None, U, "hepatic"),
    ("liver", {"confusion_or_drowsiness": True}, None, E, "hepatic"),
    ("liver", {"dark_urine": True, "confusion_or_drowsiness": True}, None, E, "hepatic"),
    ("fever", {"temperature_c": 36.8}, 0, R, None),
    ("fever", {"temperature_c": 37.5}, 0, M, None),
    ("fever", {"temperature_c": 38.0, "chills": True}, 1, U, None),
    ("fever", {"temperature_c": 39.5}, 2, U, None),
    ("fever", {"temperature_c": 40.5}, 3, E, None),
    ("fatigue", {"severity": "mild"}, 1, R, None),
    ("fatigue", {"severity": "moderate"}, 2, M, "endocrine"),
    ("fatigue", {"severity": "severe"}, 3, U, "endocrine"),
    ("headache_or_vision", {"severe_headache": True}, None, U, "endocrine"),
    ("headache_or_vision", {"vision_change": True}, None, U, "endocrine"),
    ("headache_or_vision", {"dizzy_or_fainting": True}, None, U, "endocrine"),
    ("thirst_or_urination", {"very_thirsty": True}, None, U, "endocrine"),
    ("thirst_or_urination", {"urinating_often": True}, None, U, "endocrine"),
    ("thirst_or_urination", {"fruity_breath_or_confusion": True}, None, E, "endocrine"),
    ("nerves_or_muscles", {"numbness_or_tingling": True}, 1, M, "neurologic"),
    ("nerves_or_muscles", {"muscle_weakness": True}, 2, U, "neurologic"),
    (
        "nerves_or_muscles",
        {"numbness_or_tingling": True, "muscle_weakness": True},
        2,
        U,
        "neurologic",
    ),
    ("nerves_or_muscles", {"droopy_eyelids_or_double_vision": True}, 2, U, "neurologic"),
    ("nerves_or_muscles", {"trouble_swallowing_or_breathing": True}, 4, E, "neurologic"),
    ("chest_or_heart", {"chest_pain": True}, None, E, "cardiac"),
    ("chest_or_heart", {"palpitations": True}, None, E, "cardiac"),
    ("chest_or_heart", {"fainted": True}, None, E, "cardiac"),
    ("joint_or_muscle_pain", {"severity": "mild"}, 1, R, None),
    ("joint_or_muscle_pain", {"severity": "moderate"}, 2, M, "musculoskeletal"),
    ("joint_or_muscle_pain", {"severity": "severe"}, 3, U, "musculoskeletal"),
    ("urine", {"less_urine": True}, None, U, "renal"),
    ("urine", {"blood_in_urine": True}, None, U, "renal"),
    ("urine", {"foamy_urine": True}, None, M, "renal"),
    ("urine", {"swollen_legs": True}, None, M, "renal"),
    ("urine", {"foamy_urine": True, "less_urine": True}, None, U, "renal"),
    ("hand_foot_skin", {"severity": "mild"}, 1, R, None),
    ("hand_foot_skin", {"severity": "moderate"}, 2, M, None),
    ("hand_foot_skin", {"severity": "severe"}, 3, U, None),
    ("bleeding", {"black_or_bloody_stool": True}, None, E, None),
    ("bleeding", {"vomiting_blood": True}, None, E, None),
    ("bleeding", {"coughing_blood": True}, None, E, None),
    ("bleeding", {"easy_bruising": True}, None, M, None),
    ("bleeding", {"easy_bruising": True, "coughing_blood": True}, None, E, None),
    ("other", {"description": "Sore mouth", "severity": "mild"}, 1, M, None),
    ("other", {"description": "Sore mouth", "severity": "moderate"}, 2, M, None),
    ("other", {"description": "Sore mouth", "severity": "severe"}, 3, U, None),
]


@pytest.mark.parametrize(
    ("code", "fields", "grade", "level", "irae"),
    ROWS,
    ids=[f"{code}-{i}" for i, (code, *_rest) in enumerate(ROWS)],
)
def test_catalogue_row(
    code: str, fields: dict[str, Any], grade: int | None, level: str, irae: str | None
) -> None:
    result = rate(code, **fields)
    assert (result.code, result.grade, result.level.value, result.irae) == (
        code,
        grade,
        level,
        irae,
    )
    assert result.anti_vegf is CATALOGUE[code].anti_vegf_typical  # bevacizumab is in


def test_rows_cover_every_symptom_and_every_level_column() -> None:
    assert {row[0] for row in ROWS} == set(CATALOGUE)
    for code, symptom in CATALOGUE.items():
        grades = {row[2] for row in ROWS if row[0] == code}
        assert (None in grades) is symptom.lab_graded, code


# A serious entry of each symptom, for the flag rules below.
SERIOUS: dict[str, dict[str, Any]] = {
    "diarrhea": {"stools_over_baseline": 5},
    "abdominal_pain": {"severity": "severe"},
    "rash": {"body_area": "large"},
    "itching": {"severity": "severe"},
    "nosebleed": {"minutes": 20},
    "high_blood_pressure": {"systolic": 170, "diastolic": 90},
    "vomiting": {"episodes_24h": 7},
    "nausea": {"severity": "severe"},
    "breathing": {"breathless": "daily_activities"},
    "liver": {"dark_urine": True},
    "fever": {"temperature_c": 39.4},
    "fatigue": {"severity": "severe"},
    "headache_or_vision": {"severe_headache": True},
    "thirst_or_urination": {"very_thirsty": True},
    "nerves_or_muscles": {"muscle_weakness": True},
    "chest_or_heart": {"chest_pain": True},
    "joint_or_muscle_pain": {"severity": "severe"},
    "urine": {"less_urine": True},
    "hand_foot_skin": {"severity": "severe"},
    "bleeding": {"coughing_blood": True},
    "other": {"description": "Swollen face", "severity": "severe"},
}


def test_serious_samples_cover_the_catalogue() -> None:
    assert set(SERIOUS) == set(CATALOGUE)


@pytest.mark.parametrize("code", list(CATALOGUE))
def test_irae_flag_needs_an_immune_checkpoint_inhibitor(code: str) -> None:
    expected = CATALOGUE[code].irae
    assert rate(code, ["nivolumab"], **SERIOUS[code]).irae == expected
    assert rate(code, ["sorafenib", "oxaliplatin"], **SERIOUS[code]).irae is None


@pytest.mark.parametrize("code", list(CATALOGUE))
@pytest.mark.parametrize("regimen", [None, []], ids=["absent-or-null", "empty"])
def test_unknown_regimen_is_treated_as_an_immune_checkpoint_inhibitor(
    code: str, regimen: list[str] | None
) -> None:
    for report in (
        {"regimen": regimen, "symptoms": [{"code": code, **SERIOUS[code]}]},
        {"symptoms": [{"code": code, **SERIOUS[code]}]},
    ):
        (result,) = assess(report).symptoms
        assert result.irae == CATALOGUE[code].irae
        # ... but no anti-VEGF drug is assumed.
        assert result.anti_vegf is False


@pytest.mark.parametrize("code", list(CATALOGUE))
def test_anti_vegf_flag_needs_an_anti_vegf_drug(code: str) -> None:
    typical = CATALOGUE[code].anti_vegf_typical
    assert rate(code, ["lenvatinib"], **SERIOUS[code]).anti_vegf is typical
    assert rate(code, ["atezolizumab", "ramucirumab"], **SERIOUS[code]).anti_vegf is typical
    assert rate(code, ["nivolumab", "oxaliplatin"], **SERIOUS[code]).anti_vegf is False


def test_anti_vegf_typical_column() -> None:
    typical = {code for code, symptom in CATALOGUE.items() if symptom.anti_vegf_typical}
    assert typical == {"nosebleed", "high_blood_pressure", "urine", "hand_foot_skin", "bleeding"}


def test_anti_vegf_flag_does_not_depend_on_the_level() -> None:
    result = rate("hand_foot_skin", ["lenvatinib"], severity="mild")
    assert (result.level, result.anti_vegf) == (Level.ROUTINE, True)


def test_nosebleed_grade_1_is_monitor_only_with_an_anti_vegf_drug() -> None:
    assert rate("nosebleed", ["bevacizumab"], minutes=5).level is Level.MONITOR
    assert rate("nosebleed", ["nivolumab"], minutes=5).level is Level.ROUTINE
    assert rate("nosebleed", [], minutes=5).level is Level.ROUTINE  # unknown: no anti-VEGF
    # Grades 2 and 3 do not depend on the drug.
    assert rate("nosebleed", ["nivolumab"], minutes=11).level is Level.URGENT
    assert (
        rate("nosebleed", ["nivolumab"], minutes=30, still_bleeding=True).level is Level.EMERGENCY
    )


@pytest.mark.parametrize(
    "drug",
    ["oxaliplatin", "fluorouracil", "capecitabine", "doxorubicin", "gemcitabine", "cisplatin"],
)
def test_fever_of_38_with_chemotherapy_is_an_emergency(drug: str) -> None:
    assert rate("fever", ["atezolizumab", drug], temperature_c=38.0).level is Level.EMERGENCY
    assert rate("fever", [drug], temperature_c=39.5).level is Level.EMERGENCY
    # Below 38.0 the chemotherapy rule does not apply.
    assert rate("fever", [drug], temperature_c=37.9).level is Level.MONITOR
    assert rate("fever", [drug], temperature_c=37.0).level is Level.ROUTINE


def test_fever_without_chemotherapy_is_urgent_and_unknown_regimen_assumes_none() -> None:
    assert rate("fever", ["bevacizumab"], temperature_c=38.0).level is Level.URGENT
    assert rate("fever", [], temperature_c=38.0).level is Level.URGENT


def test_fatigue_is_endocrine_only_from_grade_2() -> None:
    assert CATALOGUE["fatigue"].irae_min_grade == 2
    assert rate("fatigue", ["nivolumab"], severity="mild").irae is None
    assert rate("fatigue", ["nivolumab"], severity="moderate").irae == "endocrine"
    assert all(
        symptom.irae_min_grade == 0 for code, symptom in CATALOGUE.items() if code != "fatigue"
    )


def test_irae_is_absent_while_the_symptom_is_routine() -> None:
    assert rate("rash", ["nivolumab"], body_area="small").irae is None
    assert rate("diarrhea", ["nivolumab"], stools_over_baseline=0).irae is None


# --- the catalogue as data -----------------------------------------------------------------

CONTRACT_ORDER = [
    "diarrhea",
    "abdominal_pain",
    "rash",
    "itching",
    "nosebleed",
    "high_blood_pressure",
    "vomiting",
    "nausea",
    "breathing",
    "liver",
    "fever",
    "fatigue",
    "headache_or_vision",
    "thirst_or_urination",
    "nerves_or_muscles",
    "chest_or_heart",
    "joint_or_muscle_pain",
    "urine",
    "hand_foot_skin",
    "bleeding",
    "other",
]


def test_catalogue_is_in_the_contract_order() -> None:
    assert list(CATALOGUE) == CONTRACT_ORDER
    assert all(code == symptom.code for code, symptom in CATALOGUE.items())


def test_irae_column_and_lab_graded_column() -> None:
    assert {code: s.irae for code, s in CATALOGUE.items() if s.irae} == {
        "diarrhea": "gastrointestinal",
        "abdominal_pain": "gastrointestinal",
        "rash": "dermatologic",
        "itching": "dermatologic",
        "breathing": "pulmonary",
        "liver": "hepatic",
        "fatigue": "endocrine",
        "headache_or_vision": "endocrine",
        "thirst_or_urination": "endocrine",
        "nerves_or_muscles": "neurologic",
        "chest_or_heart": "cardiac",
        "joint_or_muscle_pain": "musculoskeletal",
        "urine": "renal",
    }
    assert {code for code, s in CATALOGUE.items() if s.lab_graded} == {
        "liver",
        "headache_or_vision",
        "thirst_or_urination",
        "chest_or_heart",
        "urine",
        "bleeding",
    }
    assert {s.irae for s in CATALOGUE.values() if s.irae} == set(IRAE_CATEGORIES)


FIELDS = {
    "diarrhea": "stools_over_baseline:int:0-30 blood_or_mucus:bool black_or_tarry:bool",
    "abdominal_pain": "severity:choice:mild,moderate,severe",
    "rash": "body_area:choice:small,medium,large blisters_or_peeling:bool "
    "mouth_eye_genital_sores:bool",
    "itching": "severity:choice:mild,moderate,severe",
    "nosebleed": "minutes:int:0-600 still_bleeding:bool episodes_today:int:1-50",
    "high_blood_pressure": "systolic:int:60-300 diastolic:int:30-200 warning_signs:bool",
    "vomiting": "episodes_24h:int:0-50 cannot_keep_fluids:bool blood:bool",
    "nausea": "severity:choice:mild,moderate,severe",
    "breathing": "new_or_worse_cough:bool breathless:choice:none,exertion,daily_activities,rest "
    "spo2:int:50-100",
    "liver": "yellow_skin_or_eyes:bool dark_urine:bool right_upper_belly_pain:bool "
    "confusion_or_drowsiness:bool",
    "fever": "temperature_c:float:34.0-43.0 chills:bool",
    "fatigue": "severity:choice:mild,moderate,severe",
    "headache_or_vision": "severe_headache:bool vision_change:bool dizzy_or_fainting:bool",
    "thirst_or_urination": "very_thirsty:bool urinating_often:bool fruity_breath_or_confusion:bool",
    "nerves_or_muscles": "numbness_or_tingling:bool muscle_weakness:bool "
    "droopy_eyelids_or_double_vision:bool trouble_swallowing_or_breathing:bool",
    "chest_or_heart": "chest_pain:bool palpitations:bool fainted:bool",
    "joint_or_muscle_pain": "severity:choice:mild,moderate,severe",
    "urine": "less_urine:bool blood_in_urine:bool foamy_urine:bool swollen_legs:bool",
    "hand_foot_skin": "severity:choice:mild,moderate,severe",
    "bleeding": "black_or_bloody_stool:bool vomiting_blood:bool coughing_blood:bool "
    "easy_bruising:bool",
    "other": "description:text:500 severity:choice:mild,moderate,severe",
}


def _describe(code: str) -> str:
    parts = []
    for field in CATALOGUE[code].fields:
        part = f"{field.name}:{field.kind}"
        if field.kind in ("int", "float"):
            part += f":{field.min_value}-{field.max_value}"
        elif field.kind == "choice":
            part += ":" + ",".join(field.choice_codes)
        elif field.kind == "text":
            part += f":{field.max_length}"
        parts.append(part)
    return " ".join(parts)


@pytest.mark.parametrize("code", list(CATALOGUE))
def test_fields_match_the_contract(code: str) -> None:
    assert _describe(code) == FIELDS[code]


def test_optional_fields_and_defaults() -> None:
    for symptom in CATALOGUE.values():
        for field in symptom.fields:
            if field.kind == "bool":
                assert (field.optional, field.default) == (True, False)
    assert (
        CATALOGUE["nosebleed"].field("episodes_today").optional,
        CATALOGUE["nosebleed"].field("episodes_today").default,
    ) == (True, 1)
    assert CATALOGUE["breathing"].field("spo2").optional
    optional_non_bool = {
        (code, f.name)
        for code, s in CATALOGUE.items()
        for f in s.fields
        if f.optional and f.kind != "bool"
    }
    assert optional_non_bool == {("nosebleed", "episodes_today"), ("breathing", "spo2")}
    with pytest.raises(KeyError):
        CATALOGUE["rash"].field("colour")


def test_requires_one_of_groups() -> None:
    groups = {code: s.requires_one_of for code, s in CATALOGUE.items() if s.requires_one_of}
    bool_groups = {
        "liver",
        "headache_or_vision",
        "thirst_or_urination",
        "nerves_or_muscles",
        "chest_or_heart",
        "urine",
        "bleeding",
    }
    assert set(groups) == bool_groups | {"breathing"}
    for code in bool_groups:
        # Every bool of these rows is in its group.
        assert groups[code] == tuple(f.name for f in CATALOGUE[code].fields)
    breathing = CATALOGUE["breathing"]
    assert breathing.requirement is not None and breathing.requirement_message
    base = {"new_or_worse_cough": False, "breathless": "none", "spo2": None}
    assert not breathing.is_reported(base)
    assert breathing.is_reported({**base, "new_or_worse_cough": True})
    assert breathing.is_reported({**base, "breathless": "exertion"})
    assert breathing.is_reported({**base, "spo2": 94})
    assert not breathing.is_reported({**base, "spo2": 95})


def test_choices_are_ordered_from_least_to_most_severe() -> None:
    severity = CATALOGUE["nausea"].field("severity")
    assert severity.choice_codes == ("mild", "moderate", "severe")
    assert CATALOGUE["rash"].field("body_area").choice_codes == ("small", "medium", "large")


def test_rash_choice_labels_are_plain_words() -> None:
    labels = {c.code: c.label for c in CATALOGUE["rash"].field("body_area").choices}
    assert labels["small"] == "A small area — less than 10 palm-sizes of skin"
    assert CATALOGUE["diarrhea"].label == "Diarrhoea (loose or watery stools)"


# --- drugs ---------------------------------------------------------------------------------


def test_drug_table() -> None:
    by_class: dict[DrugClass, set[str]] = {}
    for code, drug_class in DRUGS.items():
        by_class.setdefault(drug_class, set()).add(code)
    assert by_class[DrugClass.ICI] == {
        "atezolizumab",
        "durvalumab",
        "tremelimumab",
        "nivolumab",
        "pembrolizumab",
        "ipilimumab",
        "tislelizumab",
        "camrelizumab",
        "sintilimab",
        "toripalimab",
    }
    assert by_class[DrugClass.ANTI_VEGF] == {
        "bevacizumab",
        "ramucirumab",
        "sorafenib",
        "lenvatinib",
        "regorafenib",
        "cabozantinib",
        "apatinib",
    }
    assert by_class[DrugClass.CHEMOTHERAPY] == {
        "oxaliplatin",
        "fluorouracil",
        "capecitabine",
        "doxorubicin",
        "gemcitabine",
        "cisplatin",
    }
    # Atezolizumab is a checkpoint inhibitor, whatever some leaflets say.
    assert DRUGS["atezolizumab"] is DrugClass.ICI
    assert all(drug_class.label for drug_class in DrugClass)


# --- levels and the public API -------------------------------------------------------------


def test_levels_are_ordered_and_carry_the_contract_codes() -> None:
    assert [level.value for level in sorted(Level)] == [R, M, U, E]
    assert Level.ROUTINE < Level.MONITOR < Level.URGENT < Level.EMERGENCY
    assert Level.EMERGENCY >= Level.URGENT and not Level.URGENT > Level.URGENT
    assert max(Level.MONITOR, Level.EMERGENCY, Level.ROUTINE) is Level.EMERGENCY
    # A by-value lookup; mypy checks the call against the members' __new__ (rank, colour...).
    assert Level("urgent") is Level.URGENT  # type: ignore[call-arg]
    assert str(Level.URGENT) == "urgent"
    assert [level.colour for level in sorted(Level)] == ["green", "amber", "red", "red"]
    with pytest.raises(TypeError):
        _ = Level.URGENT < 3


def test_public_api() -> None:
    for name in (
        "RULESET",
        "CATALOGUE",
        "DRUGS",
        "Level",
        "assess",
        "validate",
        "Assessment",
        "SymptomResult",
        "Reason",
        "TriageValidationError",
        "FieldError",
        "DrugClass",
        "SymptomDef",
        "FieldDef",
        "Choice",
        "gettext_noop",
    ):
        assert hasattr(triage, name), name
    assert RULESET == "2026.1"
    assert triage.gettext_noop("Hello") == "Hello"


def test_to_dict_has_exactly_the_contract_shape() -> None:
    result = assess(
        {"regimen": ATEZO_BEV, "symptoms": [{"code": "diarrhea", "stools_over_baseline": 5}]}
    ).to_dict()
    assert list(result) == ["level", "suspected_irae", "symptoms", "reasons", "ruleset"]
    assert result["symptoms"] == [
        {"code": "diarrhea", "grade": 2, "level": U, "irae": "gastrointestinal", "anti_vegf": False}
    ]
    assert result["ruleset"] == "2026.1" and isinstance(result["reasons"][0], str)


def test_assess_does_not_change_the_report() -> None:
    report = {
        "regimen": ATEZO_BEV,
        "symptoms": [{"code": "nosebleed", "minutes": 5}],
        "previous": {"nosebleed": 0},
    }
    before = repr(report)
    assess(report)
    assert repr(report) == before


# --- purity and translation markers --------------------------------------------------------

SOURCES = sorted(PACKAGE.glob("*.py"))


def _marked_literals() -> set[str]:
    marked: set[str] = set()
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "gettext_noop":
                (argument,) = node.args
                # A plain literal: no f-string, no concatenation at run time.
                assert isinstance(argument, ast.Constant), f"{path.name}:{node.lineno}"
                assert isinstance(argument.value, str)
                marked.add(argument.value)
    return marked


MARKED = _marked_literals()


def test_the_package_is_pure_python() -> None:
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 0:
                assert node.module is not None
                assert not node.module.startswith("django"), path.name
            if isinstance(node, ast.Import):
                assert not any(alias.name.startswith("django") for alias in node.names)
            if isinstance(node, ast.Name):
                assert node.id not in ("open", "print", "input"), f"{path.name}:{node.lineno}"
            if isinstance(node, ast.Global):
                raise AssertionError(f"{path.name}:{node.lineno} mutates a global")


def _catalogue_texts() -> list[str]:
    texts: list[str] = []
    for symptom in CATALOGUE.values():
        texts += [symptom.label, symptom.short_label, symptom.help_text]
        texts += [symptom.requirement_message] if symptom.requirement_message else []
        texts += [check.template for check in symptom.checks]
        for field in symptom.fields:
            texts += [field.label] + ([field.help_text] if field.help_text else [])
            texts += [choice.label for choice in field.choices]
    texts += list(IRAE_CATEGORIES.values())
    texts += [level.label for level in Level] + [drug_class.label for drug_class in DrugClass]
    return texts


def test_every_plain_language_text_is_marked_for_translation() -> None:
    texts = _catalogue_texts()
    assert len(texts) > 150
    unmarked = [text for text in texts if text not in MARKED]
    assert unmarked == []


def test_marked_templates_use_named_placeholders_only() -> None:
    for text in MARKED:
        stripped = re.sub(r"%\(\w+\)s", "", text)
        assert "%" not in stripped, text


# --- docs ----------------------------------------------------------------------------------


def test_clinical_docs_cover_every_symptom_field_choice_and_drug() -> None:
    docs = (ROOT / "docs" / "clinical.md").read_text(encoding="utf-8")
    assert RULESET in docs
    assert "python manage.py assess" in docs
    assert "never a diagnosis" in docs
    for code, symptom in CATALOGUE.items():
        assert f"`{code}`" in docs, code
        for field in symptom.fields:
            assert f"`{field.name}`" in docs, (code, field.name)
            for choice in field.choice_codes:
                assert f"`{choice}`" in docs, (code, choice)
    for drug in DRUGS:
        assert drug in docs, drug
