"""Invalid input (contract sections 1, 3 and 7): every class is refused with a
TriageValidationError whose FieldErrors name the symptom and field (or the drug)."""

from __future__ import annotations

from typing import Any

import pytest

from reporting.triage import FieldError, TriageValidationError, assess, validate

ICI = ["atezolizumab"]


def errors_of(report: Any) -> tuple[FieldError, ...]:
    with pytest.raises(TriageValidationError) as caught:
        validate(report)
    # assess refuses exactly the same way.
    with pytest.raises(TriageValidationError) as again:
        assess(report)
    assert again.value.errors == caught.value.errors
    assert caught.value.errors
    return caught.value.errors


def only_error(report: Any) -> FieldError:
    (error,) = errors_of(report)
    return error


def symptom_error(entry: dict[Any, Any]) -> FieldError:
    return only_error({"regimen": ICI, "symptoms": [entry]})


def where(error: FieldError) -> tuple[str | None, str | None, int | None]:
    return error.symptom, error.field, error.index


# --- the report as a whole -----------------------------------------------------------------


@pytest.mark.parametrize("report", [None, [], "report", 3, 2.5, True, ("symptoms",)])
def test_report_must_be_an_object(report: Any) -> None:
    error = only_error(report)
    assert (error.symptom, error.field, error.index) == (None, None, None)
    assert "JSON object" in error.message


def test_unknown_top_level_key() -> None:
    error = only_error({"symptoms": [], "patient": 7})
    assert error.field == "patient" and "patient" in error.message


def test_non_string_top_level_key_does_not_crash() -> None:
    assert only_error({"symptoms": [], 5: 1}).field == "5"


def test_symptoms_are_required() -> None:
    error = only_error({"regimen": ICI})
    assert error.field == "symptoms"


@pytest.mark.parametrize("symptoms", [None, {}, "rash", 1, {"code": "rash"}])
def test_symptoms_must_be_a_list(symptoms: Any) -> None:
    error = only_error({"symptoms": symptoms})
    assert error.field == "symptoms"


@pytest.mark.parametrize("entry", [None, "rash", 3, ["rash"], True])
def test_entry_must_be_an_object(entry: Any) -> None:
    ok = {"code": "nausea", "severity": "mild"}
    error = only_error({"symptoms": [ok, entry]})
    assert (error.symptom, error.field, error.index) == (None, None, 1)
    assert "symptoms[1]" in error.message


def test_entry_must_have_a_code() -> None:
    error = symptom_error({"severity": "mild"})
    assert where(error) == (None, "code", 0)


@pytest.mark.parametrize("code", [None, 5, ["rash"], {"a": 1}, "Rash", "sneezing", ""])
def test_unknown_symptom_code(code: Any) -> None:
    error = symptom_error({"code": code})
    assert (error.field, error.index) == ("code", 0)
    assert error.symptom == (code if isinstance(code, str) else None)


def test_same_code_twice() -> None:
    error = only_error(
        {
            "symptoms": [
                {"code": "nausea", "severity": "mild"},
                {"code": "rash", "body_area": "small"},
                {"code": "nausea", "severity": "severe"},
            ]
        }
    )
    assert where(error) == ("nausea", "code", 2)
    assert "twice" in error.message and "Nausea" in error.message


def test_empty_symptom_list_is_valid() -> None:
    validate({"symptoms": []})  # valid: nothing raised
    assert assess({"symptoms": []}).level.value == "routine"


# --- fields --------------------------------------------------------------------------------


def test_the_example_message_of_the_brief() -> None:
    error = symptom_error({"code": "diarrhea", "stools_over_baseline": -1})
    assert error.message == (
        "Diarrhoea: 'stools_over_baseline' must be a whole number from 0 to 30 (got -1)."
    )
    assert where(error) == ("diarrhea", "stools_over_baseline", 0)
    assert str(error) == error.message


def test_unknown_field() -> None:
    error = symptom_error({"code": "rash", "body_area": "small", "colour": "red"})
    assert where(error) == ("rash", "colour", 0)
    assert "Rash" in error.message and "colour" in error.message


def test_unknown_non_string_field_does_not_crash() -> None:
    error = symptom_error({"code": "rash", "body_area": "small", 3: True})
    assert error.field == "3"


@pytest.mark.parametrize(
    ("entry", "field"),
    [
        ({"code": "diarrhea"}, "stools_over_baseline"),
        ({"code": "rash"}, "body_area"),
        ({"code": "nosebleed"}, "minutes"),
        ({"code": "high_blood_pressure", "systolic": 150}, "diastolic"),
        ({"code": "fever", "chills": True}, "temperature_c"),
        ({"code": "breathing", "new_or_worse_cough": True}, "breathless"),
        ({"code": "other", "severity": "mild"}, "description"),
        ({"code": "other", "description": "Sore mouth"}, "severity"),
    ],
)
def test_missing_required_field(entry: dict[str, Any], field: str) -> None:
    error = symptom_error(entry)
    assert where(error) == (entry["code"], field, 0)
    assert "required" in error.message and field in error.message


@pytest.mark.parametrize(
    ("entry", "field"),
    [
        ({"code": "diarrhea", "stools_over_baseline": None}, "stools_over_baseline"),
        ({"code": "diarrhea", "stools_over_baseline": 1, "blood_or_mucus": None}, "blood_or_mucus"),
        ({"code": "nosebleed", "minutes": 5, "episodes_today": None}, "episodes_today"),
        ({"code": "breathing", "breathless": "rest", "spo2": None}, "spo2"),
        ({"code": "nausea", "severity": None}, "severity"),
        ({"code": "other", "description": None, "severity": "mild"}, "description"),
        ({"code": "fever", "temperature_c": None}, "temperature_c"),
    ],
)
def test_null_is_never_valid(entry: dict[str, Any], field: str) -> None:
    error = symptom_error(entry)
    assert where(error) == (entry["code"], field, 0)
    assert "null" in error.message


@pytest.mark.parametrize("value", [True, False, 5.0, "5", -1, 31, 1e9, [5], {"n": 5}])
def test_int_field_refuses(value: Any) -> None:
    error = symptom_error({"code": "diarrhea", "stools_over_baseline": value})
    assert where(error) == ("diarrhea", "stools_over_baseline", 0)
    assert "whole number from 0 to 30" in error.message


@pytest.mark.parametrize(
    "value", [10**400, -(10**5000), 2**64 + 1], ids=["10^400", "-10^5000", "2^64+1"]
)
def test_huge_integers_are_refused_cleanly(value: int) -> None:
    error = symptom_error({"code": "diarrhea", "stools_over_baseline": value})
    assert error.field == "stools_over_baseline" and "(got " in error.message
    assert symptom_error({"code": "fever", "temperature_c": value}).field == "temperature_c"
    assert only_error({"symptoms": [], "previous": {"rash": value}}).field == "previous"


@pytest.mark.parametrize(("field", "low", "high"), [("minutes", 0, 600), ("episodes_today", 1, 50)])
def test_int_ranges_are_inclusive(field: str, low: int, high: int) -> None:
    base = {"code": "nosebleed", "minutes": 5}
    validate({"symptoms": [{**base, field: low}]})  # valid: nothing raised
    validate({"symptoms": [{**base, field: high}]})  # valid: nothing raised
    assert symptom_error({**base, field: low - 1}).field == field
    assert symptom_error({**base, field: high + 1}).field == field


@pytest.mark.parametrize(
    "value",
    [
        True,
        False,
        "38.2",
        "hot",
        float("nan"),
        float("inf"),
        float("-inf"),
        33.9,
        43.01,
        34,
        43,
        43.0,
        34.0,
    ],
)
def test_float_field(value: Any) -> None:
    entry = {"code": "fever", "temperature_c": value}
    if type(value) in (int, float) and 34 <= value <= 43:
        validate({"symptoms": [entry]})  # ints and bounds are fine: nothing raised
        return
    error = symptom_error(entry)
    assert where(error) == ("fever", "temperature_c", 0)
    assert "number from 34.0 to 43.0" in error.message


@pytest.mark.parametrize("value", [1, 0, "true", "false", "yes", 1.0, [], {}])
def test_bool_field_refuses_non_bools(value: Any) -> None:
    error = symptom_error({"code": "liver", "dark_urine": True, "yellow_skin_or_eyes": value})
    assert where(error) == ("liver", "yellow_skin_or_eyes", 0)
    assert "true or false" in error.message


@pytest.mark.parametrize("value", ["", "   ", "\n\t ", "x" * 501, 5, ["text"], True])
def test_text_field_refuses(value: Any) -> None:
    error = symptom_error({"code": "other", "description": value, "severity": "mild"})
    assert where(error) == ("other", "description", 0)
    assert "1 to 500 characters" in error.message


@pytest.mark.parametrize("value", ["x", "  x  ", "x" * 500, "   " + "x" * 500 + "   "])
def test_text_is_measured_after_trimming(value: str) -> None:
    report = {"symptoms": [{"code": "other", "description": value, "severity": "mild"}]}
    validate(report)  # valid: nothing raised
    assert assess(report).symptoms[0].level.value == "monitor"


@pytest.mark.parametrize("value", ["Mild", "MILD", " mild", "mild ", "medium", "", 1, True])
def test_choice_is_exact_and_case_sensitive(value: Any) -> None:
    error = symptom_error({"code": "nausea", "severity": value})
    assert where(error) == ("nausea", "severity", 0)
    assert "'mild', 'moderate', 'severe'" in error.message


@pytest.mark.parametrize(("systolic", "diastolic"), [(90, 120), (120, 120), (60, 61)])
def test_diastolic_must_be_below_systolic(systolic: int, diastolic: int) -> None:
    error = symptom_error(
        {"code": "high_blood_pressure", "systolic": systolic, "diastolic": diastolic}
    )
    assert where(error) == ("high_blood_pressure", "diastolic", 0)
    assert "below 'systolic'" in error.message


def test_diastolic_just_below_systolic_is_valid() -> None:
    report = {"symptoms": [{"code": "high_blood_pressure", "systolic": 120, "diastolic": 119}]}
    validate(report)  # valid: nothing raised
    assert assess(report).symptoms[0].grade == 3  # diastolic 100 or more


@pytest.mark.parametrize(
    "entry",
    [
        {"code": "liver"},
        {"code": "liver", "dark_urine": False, "yellow_skin_or_eyes": False},
        {"code": "headache_or_vision"},
        {"code": "thirst_or_urination", "very_thirsty": False},
        {"code": "nerves_or_muscles"},
        {"code": "chest_or_heart", "fainted": False},
        {"code": "urine"},
        {"code": "bleeding", "easy_bruising": False},
    ],
)
def test_bool_group_with_none_true(entry: dict[str, Any]) -> None:
    error = symptom_error(entry)
    # The whole group is wrong, not one field: field is None (the form shows it above them).
    assert where(error) == (entry["code"], None, 0)
    assert "at least one of" in error.message


@pytest.mark.parametrize(
    "entry",
    [
        {"breathless": "none"},
        {"breathless": "none", "new_or_worse_cough": False},
        {"breathless": "none", "spo2": 95},
        {"breathless": "none", "spo2": 100},
    ],
)
def test_breathing_needs_cough_breathlessness_or_low_oxygen(entry: dict[str, Any]) -> None:
    error = symptom_error({"code": "breathing", **entry})
    assert where(error) == ("breathing", None, 0)
    assert "cough" in error.message and "spo2" in error.message


def test_breathing_with_only_low_oxygen_is_valid() -> None:
    report = {"symptoms": [{"code": "breathing", "breathless": "none", "spo2": 94}]}
    validate(report)  # valid: nothing raised
    assert assess(report).symptoms[0].grade == 2


def test_group_rule_is_not_repeated_when_a_field_is_wrong() -> None:
    error = symptom_error({"code": "liver", "dark_urine": "yes"})
    assert error.field == "dark_urine"


# --- regimen -------------------------------------------------------------------------------


@pytest.mark.parametrize("regimen", [None, [], ["atezolizumab", "atezolizumab"]])
def test_regimen_absent_null_empty_are_valid(regimen: Any) -> None:
    validate({"regimen": regimen, "symptoms": []})  # valid: nothing raised
    assert assess({"regimen": regimen, "symptoms": []}).level.value == "routine"


def test_unknown_drug() -> None:
    errors = errors_of({"regimen": ["atezolizumab", "aspirin", "Bevacizumab"], "symptoms": []})
    assert [(e.field, e.drug) for e in errors] == [
        ("regimen", "aspirin"),
        ("regimen", "Bevacizumab"),
    ]
    assert "aspirin" in errors[0].message


@pytest.mark.parametrize("drug", [None, 5, ["atezolizumab"], True])
def test_non_string_drug(drug: Any) -> None:
    error = only_error({"regimen": [drug], "symptoms": []})
    assert (error.field, error.drug) == ("regimen", None)


@pytest.mark.parametrize("regimen", ["atezolizumab", {"atezolizumab": True}, 5, True])
def test_regimen_must_be_a_list(regimen: Any) -> None:
    assert only_error({"regimen": regimen, "symptoms": []}).field == "regimen"


# --- previous ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "previous", [None, {}, {"itching": 0}, {"itching": 4, "liver": None, "rash": None}]
)
def test_valid_previous(previous: Any) -> None:
    report = {"symptoms": [{"code": "itching", "severity": "mild"}], "previous": previous}
    validate(report)  # valid: nothing raised
    assert assess(report).level.value == "routine"  # grade 1 cannot be 2 above anything


@pytest.mark.parametrize("grade", [-1, 5, 1.0, "1", True, False, [1], {}])
def test_previous_grade_must_be_0_to_4_or_null(grade: Any) -> None:
    error = only_error({"symptoms": [], "previous": {"itching": grade}})
    assert (error.symptom, error.field) == ("itching", "previous")
    assert "0 to 4" in error.message


@pytest.mark.parametrize("code", ["sneezing", "Itching", 3])
def test_previous_code_must_be_in_the_catalogue(code: Any) -> None:
    error = only_error({"symptoms": [], "previous": {code: 1}})
    assert error.field == "previous"
    assert error.symptom == (code if isinstance(code, str) else None)


@pytest.mark.parametrize("previous", [[], ["itching"], 1, "itching"])
def test_previous_must_be_an_object(previous: Any) -> None:
    assert only_error({"symptoms": [], "previous": previous}).field == "previous"


# --- every problem at once -----------------------------------------------------------------


def test_all_problems_are_reported_together_in_order() -> None:
    report = {
        "regimen": ["aspirin"],
        "symptoms": [
            {"code": "diarrhea", "stools_over_baseline": -1, "blood_or_mucus": "no"},
            {"code": "sneezing"},
            "rash",
            {"code": "high_blood_pressure", "systolic": 100, "diastolic": 110},
            {"code": "liver"},
            {"code": "diarrhea", "stools_over_baseline": 2},
        ],
        "previous": {"fever": 9},
        "extra": 1,
    }
    errors = errors_of(report)
    assert [(e.symptom, e.field, e.drug, e.index) for e in errors] == [
        (None, "extra", None, None),
        (None, "regimen", "aspirin", None),
        ("diarrhea", "stools_over_baseline", None, 0),
        ("diarrhea", "blood_or_mucus", None, 0),
        ("sneezing", "code", None, 1),
        (None, None, None, 2),
        ("high_blood_pressure", "diastolic", None, 3),
        ("liver", None, None, 4),
        ("diarrhea", "code", None, 5),
        ("fever", "previous", None, None),
    ]
    with pytest.raises(TriageValidationError) as caught:
        validate(report)
    assert str(caught.value) == " ".join(e.message for e in errors)


def test_field_errors_translate() -> None:
    error = symptom_error({"code": "diarrhea", "stools_over_baseline": 31})
    vietnamese = {
        "Diarrhoea": "Tiêu chảy",
        error.template: "%(symptom)s: '%(field)s' phải là số nguyên từ %(min)s đến %(max)s "
        "(nhận được %(got)s).",
    }
    assert error.render(lambda text: vietnamese.get(text, text)) == (
        "Tiêu chảy: 'stools_over_baseline' phải là số nguyên từ 0 đến 30 (nhận được 31)."
    )
    assert error.render() == error.message


def test_the_exception_is_not_a_type_or_key_error() -> None:
    assert not issubclass(TriageValidationError, TypeError | KeyError)
    assert issubclass(TriageValidationError, Exception)
