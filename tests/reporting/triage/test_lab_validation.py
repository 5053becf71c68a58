"""Invalid lab panels (docs/LABS-2026.2.md sections 1 and 6): every class is refused with a
TriageValidationError whose FieldErrors name the test, the field and the result's index (or
the drug). Runs without Django."""

from __future__ import annotations

import sys
from typing import Any

import pytest

from reporting.triage import FieldError, TriageValidationError, assess_labs, validate_labs

ICI = ["atezolizumab"]
ALT = {"test": "alt", "value": 50, "unit": "U/L", "uln": 40}


def errors_of(panel: Any) -> tuple[FieldError, ...]:
    with pytest.raises(TriageValidationError) as caught:
        validate_labs(panel)
    with pytest.raises(TriageValidationError) as again:
        assess_labs(panel)
    assert again.value.errors == caught.value.errors
    assert caught.value.errors and all(error.message for error in caught.value.errors)
    return caught.value.errors


def only_error(panel: Any) -> FieldError:
    (error,) = errors_of(panel)
    return error


def result_error(result: dict[Any, Any], before: int = 0) -> FieldError:
    """The one error of a panel whose result ``before`` (0-based) is this one."""
    others = [
        {"test": "inr", "value": 1.0, "unit": "ratio"},
        {"test": "hemoglobin", "value": 130, "unit": "g/L", "lln": 120},
    ][:before]
    return only_error({"regimen": ICI, "results": [*others, result]})


def where(error: FieldError) -> tuple[str | None, str | None, int | None]:
    return error.test, error.field, error.index


def valid(panel: dict[str, Any]) -> bool:
    validate_labs(panel)
    return assess_labs(panel) is not None


# --- the panel as a whole --------------------------------------------------------------------


@pytest.mark.parametrize("panel", [None, [], "panel", 3, 2.5, True, ("results",)])
def test_panel_must_be_an_object(panel: Any) -> None:
    error = only_error(panel)
    assert where(error) == (None, None, None) and "JSON object" in error.message


def test_unknown_top_level_keys() -> None:
    for key, field in (("patient", "patient"), ("symptoms", "symptoms"), (5, "5")):
        error = only_error({"results": [ALT], key: 1})
        assert error.field == field and "'regimen' and 'results'" in error.message
    huge = only_error({"results": [ALT], 10**5000: 1})
    assert huge.field == "a very large number"


def test_results_are_required_as_a_non_empty_list() -> None:
    assert only_error({"regimen": ICI}).field == "results"
    for results in (None, {}, "alt", 1, ALT, True):
        error = only_error({"results": results})
        assert error.field == "results" and "list" in error.message
    empty = only_error({"results": []})
    assert empty.field == "results" and "at least one" in empty.message


@pytest.mark.parametrize("entry", [None, "alt", 3, ["alt"], True, 1.5])
def test_result_must_be_an_object(entry: Any) -> None:
    error = only_error({"results": [ALT, entry]})
    assert where(error) == (None, None, 1) and "results[1]" in error.message


def test_result_must_have_a_test() -> None:
    error = result_error({"value": 50, "unit": "U/L", "uln": 40})
    assert where(error) == (None, "test", 0) and "no 'test'" in error.message


@pytest.mark.parametrize("code", [None, 5, ["alt"], {"a": 1}, "ALT", "Alt", "", "hba1c", True])
def test_unknown_test(code: Any) -> None:
    error = result_error({"test": code, "value": 1, "unit": "U/L"}, before=1)
    assert (error.field, error.index) == ("test", 1) and "unknown test" in error.message
    assert error.test == (code if isinstance(code, str) else None)


@pytest.mark.parametrize("code", ["troponin", "ck", "CK", "cortisol", "lipase", "potassium"])
def test_out_of_scope_tests_are_refused(code: str) -> None:
    error = result_error({"test": code, "value": 1, "unit": "U/L"})
    assert where(error) == (code, "test", 0) and "outside this ruleset" in error.message


@pytest.mark.parametrize(
    "second",
    [
        {"test": "alt", "value": 60, "unit": "U/L", "uln": 40},
        {"test": "alt", "value": "x"},  # its own problems are reported too
    ],
)
def test_same_test_twice(second: dict[str, Any]) -> None:
    errors = errors_of({"results": [ALT, second]})
    assert where(errors[0]) == ("alt", "test", 1)
    assert "twice (results[0] and results[1])" in errors[0].message


def test_one_urine_protein_per_panel_dipstick_or_24_hour() -> None:
    dipstick = {"test": "urine_protein", "value": "1+", "unit": "dipstick"}
    daily = {"test": "urine_protein", "value": 0.5, "unit": "g/24h"}
    assert where(only_error({"results": [dipstick, daily]})) == ("urine_protein", "test", 1)


def test_unknown_field() -> None:
    error = result_error({**ALT, "flag": "H"})
    assert where(error) == ("alt", "flag", 0)
    assert error.message == "ALT (results[0]): unknown field 'flag'."
    assert result_error({**ALT, 3: True}).field == "3"
    assert result_error({**ALT, "code": "alt"}).field == "code"  # the symptom key is not a lab key


@pytest.mark.parametrize(
    ("result", "field"),
    [
        ({"test": "alt", "unit": "U/L", "uln": 40}, "value"),
        ({"test": "alt", "value": 50, "uln": 40}, "unit"),
        ({"test": "alt", "value": 50, "unit": "U/L"}, "uln"),
        ({"test": "alt", "value": 50, "unit": "U/L", "lln": 7}, "uln"),
        ({"test": "creatinine", "value": 50, "unit": "umol/L", "baseline": 40}, "uln"),
        ({"test": "platelets", "value": 50, "unit": "10^9/L", "uln": 400}, "lln"),
        ({"test": "sodium", "value": 130, "unit": "mmol/L"}, "lln"),
        ({"test": "tsh", "value": 1, "unit": "mIU/L", "uln": 4}, "lln"),
        ({"test": "ft4", "value": 15, "unit": "pmol/L", "lln": 12}, "uln"),
        ({"test": "urine_protein", "unit": "dipstick"}, "value"),
    ],
)
def test_missing_required_key(result: dict[str, Any], field: str) -> None:
    error = result_error(result, before=2)
    assert where(error) == (result["test"], field, 2)
    assert "required" in error.message and f"'{field}'" in error.message
    assert "results[2]" in error.message


def test_both_thyroid_limits_missing_gives_two_errors() -> None:
    errors = errors_of({"results": [{"test": "tsh", "value": 1, "unit": "mIU/L"}]})
    assert [where(e) for e in errors] == [("tsh", "uln", 0), ("tsh", "lln", 0)]


@pytest.mark.parametrize(
    "result",
    [
        {"test": "glucose", "value": 90, "unit": "mg/dL"},
        {"test": "inr", "value": 1.0, "unit": "ratio"},
        {"test": "urine_protein", "value": 0, "unit": "g/24h"},
        {"test": "alt", "value": 0, "unit": "U/L", "uln": 40},
        {"test": "alt", "value": 50, "unit": "U/L", "uln": 40, "lln": 7},
        {"test": "platelets", "value": 50, "unit": "10^9/L", "lln": 150, "uln": 400},
        {"test": "glucose", "value": 90, "unit": "mg/dL", "lln": 250},
        {"test": "glucose", "value": 9, "unit": "mmol/L", "lln": 13.9, "uln": 20},
        {"test": "alt", "value": 1e308, "unit": "U/L", "uln": 5e-324},
        {"test": "alt", "value": int(sys.float_info.max), "unit": "U/L", "uln": 1},
    ],
)
def test_valid_results(result: dict[str, Any]) -> None:
    assert valid({"results": [result]})


@pytest.mark.parametrize(
    ("result", "field"),
    [
        ({"test": "inr", "value": 1.0, "unit": "ratio", "uln": 1.2}, "uln"),
        ({"test": "inr", "value": 1.0, "unit": "ratio", "lln": 0.8}, "lln"),
        ({"test": "urine_protein", "value": "1+", "unit": "dipstick", "uln": 1}, "uln"),
        ({"test": "urine_protein", "value": 0.2, "unit": "g/24h", "lln": 0.1}, "lln"),
    ],
)
def test_a_limit_on_a_test_that_takes_none(result: dict[str, Any], field: str) -> None:
    error = result_error(result)
    assert where(error) == (result["test"], field, 0) and "takes no reference" in error.message


@pytest.mark.parametrize("unit", ["u/l", "U/l", "umol/L", " U/L", "", None, 5, ["U/L"], True])
def test_unit_not_listed_for_the_test(unit: Any) -> None:
    error = result_error({**ALT, "unit": unit})
    assert where(error) == ("alt", "unit", 0) and "'U/L'" in error.message


@pytest.mark.parametrize(
    ("test", "unit"),
    [("bilirubin", "mmol/L"), ("glucose", "g/L"), ("ft4", "nmol/L"), ("platelets", "10^9/l")],
)
def test_units_are_exact_per_test(test: str, unit: str) -> None:
    result = {"test": test, "value": 1, "unit": unit, "lln": 0.5, "uln": 2}
    errors = errors_of({"results": [result]})
    assert ("unit", 0) in {(e.field, e.index) for e in errors}


NOT_NUMBERS = ["5", "", None, True, False, [5], {"v": 5}, float("nan"), float("inf"), float("-inf")]
HUGE = [
    pytest.param(10**400, id="10^400"),
    pytest.param(-(10**400), id="-10^400"),
    pytest.param(10**5000, id="10^5000"),
    pytest.param(int(sys.float_info.max) + 2**971, id="float-max+1ulp"),
]


@pytest.mark.parametrize("value", [*NOT_NUMBERS, *HUGE, -1, -0.001, -1e-300])
def test_value_must_be_a_finite_number_0_or_more(value: Any) -> None:
    error = result_error({**ALT, "value": value})
    assert where(error) == ("alt", "value", 0) and "finite number, 0 or more" in error.message


@pytest.mark.parametrize("field", ["uln", "baseline"])
@pytest.mark.parametrize("value", [*NOT_NUMBERS, *HUGE, 0, 0.0, -0.0, -5])
def test_limits_and_baseline_must_be_above_0(field: str, value: Any) -> None:
    error = result_error({**ALT, field: value})
    assert where(error) == ("alt", field, 0) and "above 0" in error.message


@pytest.mark.parametrize("value", [0, -1, None, "7", True])
def test_an_unused_limit_is_validated_like_the_others(value: Any) -> None:
    assert where(result_error({**ALT, "lln": value})) == ("alt", "lln", 0)


@pytest.mark.parametrize(
    "result",
    [
        {**ALT, "lln": 40},
        {**ALT, "lln": 50},
        {"test": "platelets", "value": 50, "unit": "10^9/L", "lln": 150, "uln": 150},
        {"test": "tsh", "value": 1, "unit": "mIU/L", "lln": 4.0, "uln": 0.4},
        {"test": "ft4", "value": 1, "unit": "ng/dL", "lln": 1.71, "uln": 1.71},
        {"test": "glucose", "value": 90, "unit": "mg/dL", "lln": 110, "uln": 100},
    ],
)
def test_lln_must_be_below_uln(result: dict[str, Any]) -> None:
    error = result_error(result)
    assert where(error) == (result["test"], "lln", 0) and "below 'uln'" in error.message


@pytest.mark.parametrize(("unit", "lln"), [("mg/dL", 250.01), ("mg/dL", 300), ("mmol/L", 13.91)])
def test_glucose_lln_above_250_mg_dl_or_13_9_mmol_l(unit: str, lln: float) -> None:
    error = result_error({"test": "glucose", "value": 90, "unit": unit, "lln": lln})
    assert where(error) == ("glucose", "lln", 0) and "must not be above" in error.message


@pytest.mark.parametrize(
    "test", ["platelets", "neutrophils", "hemoglobin", "albumin", "sodium", "tsh", "glucose", "inr"]
)
def test_baseline_on_a_test_that_does_not_take_one(test: str) -> None:
    units = {"platelets": "10^9/L", "neutrophils": "10^9/L", "hemoglobin": "g/L"}
    units |= {"albumin": "g/L", "sodium": "mmol/L", "tsh": "mIU/L", "glucose": "mg/dL"}
    result: dict[str, Any] = {"test": test, "value": 1, "unit": units.get(test, "ratio")}
    if test not in ("glucose", "inr"):
        result |= {"lln": 0.5, "uln": 400}
    assert valid({"results": [result]})
    error = result_error({**result, "baseline": 1})
    assert where(error) == (test, "baseline", 0) and "not allowed" in error.message


@pytest.mark.parametrize("value", [2, 2.0, "2", "Negative", "++", "", None, True, "1 +"])
def test_dipstick_value_must_be_a_code(value: Any) -> None:
    error = result_error({"test": "urine_protein", "value": value, "unit": "dipstick"})
    assert where(error) == ("urine_protein", "value", 0)
    assert "'negative', 'trace', '1+', '2+', '3+', '4+'" in error.message


def test_24_hour_urine_protein_must_be_a_number() -> None:
    error = result_error({"test": "urine_protein", "value": "2+", "unit": "g/24h"})
    assert where(error) == ("urine_protein", "value", 0) and "number" in error.message


def test_urine_protein_with_an_unknown_unit() -> None:
    assert [
        where(e)
        for e in errors_of({"results": [{"test": "urine_protein", "value": "2+", "unit": "mg"}]})
    ] == [("urine_protein", "unit", 0)]
    errors = errors_of({"results": [{"test": "urine_protein", "value": "lots", "unit": "mg"}]})
    assert [where(e) for e in errors] == [
        ("urine_protein", "unit", 0),
        ("urine_protein", "value", 0),
    ]


@pytest.mark.parametrize("field", ["test", "value", "unit", "uln", "lln", "baseline"])
def test_null_is_never_valid_inside_a_result(field: str) -> None:
    errors = errors_of({"results": [{**ALT, field: None}]})
    assert field in {error.field for error in errors}
    assert (
        any("null" in error.message for error in errors if error.field == field) or field == "test"
    )


# --- regimen ---------------------------------------------------------------------------------


@pytest.mark.parametrize("regimen", [None, [], ["sorafenib", "sorafenib"]])
def test_regimen_absent_null_empty_or_repeated_is_valid(regimen: Any) -> None:
    assert valid({"regimen": regimen, "results": [ALT]})


def test_unknown_drugs_are_each_named() -> None:
    errors = errors_of({"regimen": ["atezolizumab", "aspirin", "Sorafenib", 5], "results": [ALT]})
    assert [(e.field, e.drug, e.test) for e in errors] == [
        ("regimen", "aspirin", None),
        ("regimen", "Sorafenib", None),
        ("regimen", None, None),
    ]
    assert "aspirin" in errors[0].message


@pytest.mark.parametrize("regimen", ["atezolizumab", {"atezolizumab": True}, 5, True])
def test_regimen_must_be_a_list(regimen: Any) -> None:
    assert only_error({"regimen": regimen, "results": [ALT]}).field == "regimen"


# --- every problem at once -------------------------------------------------------------------


def test_all_problems_are_reported_together_in_order() -> None:
    panel = {
        "regimen": ["aspirin"],
        "results": [
            {"test": "alt", "value": -1, "unit": "U/L", "uln": 40, "baseline": 0},
            {"test": "troponin", "value": 1},
            "ast",
            {"test": "platelets", "value": 50, "unit": "/mm3"},
            {"test": "alt", "value": 50, "unit": "U/L", "uln": 40},
            {"value": 1},
        ],
        "extra": 1,
    }
    errors = errors_of(panel)
    assert [(e.test, e.field, e.drug, e.index) for e in errors] == [
        (None, "extra", None, None),
        (None, "regimen", "aspirin", None),
        ("alt", "value", None, 0),
        ("alt", "baseline", None, 0),
        ("troponin", "test", None, 1),
        (None, None, None, 2),
        ("platelets", "lln", None, 3),
        ("alt", "test", None, 4),
        (None, "test", None, 5),
    ]
    with pytest.raises(TriageValidationError) as caught:
        validate_labs(panel)
    assert str(caught.value) == " ".join(e.message for e in errors)


def test_messages_name_the_test_field_and_index_and_translate() -> None:
    error = result_error({**ALT, "uln": -40}, before=1)
    assert error.message == "ALT (results[1]): 'uln' must be a finite number above 0 (got -40)."
    assert str(error) == error.message and error.symptom is None
    vietnamese = {
        error.template: (
            "%(test)s (results[%(index)s]): '%(field)s' phải là số dương (nhận %(got)s)."
        ),
        "ALT": "ALT (men gan)",
    }
    assert error.render(lambda text: vietnamese.get(text, text)) == (
        "ALT (men gan) (results[1]): 'uln' phải là số dương (nhận -40)."
    )


def test_the_panel_is_not_changed_by_a_refusal() -> None:
    panel = {"results": [{**ALT, "value": "high"}], "regimen": ["x"]}
    before = repr(panel)
    errors_of(panel)
    assert repr(panel) == before
