"""Property tests of the lab engine, with strategies built from the lab catalogue. Runs
without Django.

What is asserted about the direction of a value (docs/LABS-2026.2.md section 3):

- "increased" tests (alt, ast, bilirubin, alp, creatinine, inr, urine_protein in g/24h and
  on the dipstick): a higher value never lowers that result's grade or level, and never lowers
  the panel's level, with one exception the contract itself makes: a higher ALP can block
  Hy's law (rule 1), which lowers the ALT/AST/bilirubin it had raised;
- "decreased" tests (platelets, neutrophils, hemoglobin, albumin, sodium): a lower value never
  lowers that result's grade or level, nor the panel's level (a lower albumin only raises ALBI);
- glucose is two-sided: from a value that is not low, a higher value never lowers its level;
  from a value that is not high, a lower value never lowers its level (or its low grade);
- TSH and FT4 have no direction: their levels follow the thyroid patterns of rule 2, under
  which a higher TSH turns "possible hypophysitis" (urgent) into "primary hypothyroidism"
  (monitor). Nothing is asserted about them here; test_lab_rules.py covers every pattern.
"""

from __future__ import annotations

import copy
import json
import sys
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from reporting.triage import (
    DRUGS,
    LAB_CATALOGUE,
    DrugClass,
    LabAssessment,
    Level,
    TriageValidationError,
    assess_labs,
)
from reporting.triage.drugs import MULTI_KINASE_INHIBITORS
from reporting.triage.labs.catalogue import DIPSTICK_CODES, RESULT_KEYS
from reporting.triage.labs.exact import pair_of
from reporting.triage.labs.reasons import RULE_TEMPLATES

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CODES = list(LAB_CATALOGUE)
# A typical reference limit per (test, unit): the strategies draw values around it.
SCALE: dict[tuple[str, str], float] = {
    **{(code, "U/L"): 40 for code in ("alt", "ast", "alp")},
    ("bilirubin", "umol/L"): 20,
    ("bilirubin", "mg/dL"): 1.2,
    ("creatinine", "umol/L"): 100,
    ("creatinine", "mg/dL"): 1.1,
    **{(code, "10^9/L"): s for code, s in (("platelets", 150), ("neutrophils", 2))},
    **{(code, "10^3/uL"): s for code, s in (("platelets", 150), ("neutrophils", 2))},
    **{(code, "/mm3"): s for code, s in (("platelets", 150000), ("neutrophils", 2000))},
    ("hemoglobin", "g/L"): 120,
    ("hemoglobin", "g/dL"): 12,
    ("albumin", "g/L"): 35,
    ("albumin", "g/dL"): 3.5,
    ("sodium", "mmol/L"): 135,
    ("inr", "ratio"): 1,
    ("urine_protein", "g/24h"): 1,
    ("tsh", "mIU/L"): 4,
    ("ft4", "pmol/L"): 20,
    ("ft4", "ng/dL"): 1.5,
    ("glucose", "mg/dL"): 100,
    ("glucose", "mmol/L"): 5.5,
}
GLUCOSE_LLN_MAX = {"mg/dL": Decimal(250), "mmol/L": Decimal("13.9")}
INCREASED = {"alt", "ast", "bilirubin", "alp", "creatinine", "inr", "urine_protein"}
DECREASED = {"platelets", "neutrophils", "hemoglobin", "albumin", "sodium"}

# --- strategies ------------------------------------------------------------------------------


def json_number(decimal: Decimal) -> int | float:
    return int(decimal) if decimal == decimal.to_integral_value() else float(decimal)


def numbers(low: float, high: float) -> st.SearchStrategy[int | float]:
    """JSON numbers in [low, high]: short decimals, whole numbers and any binary float."""
    return st.one_of(
        st.decimals(Decimal(str(low)), Decimal(str(high)), places=3).map(json_number),
        st.integers(int(-(-low // 1)), int(high)) if int(high) >= -(-low // 1) else st.nothing(),
        st.floats(low, high),
    )


@st.composite
def results(draw: st.DrawFn, code: str) -> dict[str, Any]:
    test = LAB_CATALOGUE[code]
    unit = draw(st.sampled_from(test.units))
    result: dict[str, Any] = {"test": code, "unit": unit.code}
    if unit.is_dipstick:
        result["value"] = draw(st.sampled_from(DIPSTICK_CODES))
        return result
    scale = SCALE[code, unit.code]
    result["value"] = draw(numbers(0, scale * 30))
    limits: dict[str, int | float] = {}
    if test.allowed_limits:
        top = float(GLUCOSE_LLN_MAX[unit.code]) if code == "glucose" else scale * 2
        low, high = sorted(draw(st.lists(numbers(scale / 50, top), min_size=2, max_size=2)))
        assume(Fraction(str(low)) < Fraction(str(high)) and low > 0)
        limits = {"lln": low, "uln": high}
        for name in ("lln", "uln"):
            if name not in test.required_limits and draw(st.booleans()):
                del limits[name]
    result.update(limits)
    if test.baseline_allowed and draw(st.booleans()):
        result["baseline"] = draw(numbers(scale / 50, scale * 5).filter(lambda x: x > 0))
    return result


regimens = st.none() | st.lists(st.sampled_from(sorted(DRUGS)), max_size=4)


@st.composite
def panels(draw: st.DrawFn, min_size: int = 1, codes: list[str] | None = None) -> dict[str, Any]:
    chosen = draw(
        st.lists(st.sampled_from(codes or CODES), unique=True, min_size=min_size, max_size=8)
    )
    panel: dict[str, Any] = {"results": [draw(results(code)) for code in chosen]}
    if draw(st.booleans()):
        panel["regimen"] = draw(regimens)
    return panel


# --- any valid panel -------------------------------------------------------------------------


def check_consistent(panel: dict[str, Any], result: LabAssessment) -> None:
    entries = panel["results"]
    assert [r.test for r in result.results] == [e["test"] for e in entries]
    levels = [r.level for r in result.results]
    albi = result.albi
    if albi is not None and albi.grade == 3 and max(levels) is Level.ROUTINE:
        assert result.level is Level.MONITOR
    else:
        assert result.level is max(levels)
    assert list(result.suspected_irae) == sorted({r.irae for r in result.results if r.irae})
    drugs = {DRUGS[d] for d in panel.get("regimen") or []}
    ici = not drugs or DrugClass.ICI in drugs
    tki = bool(set(panel.get("regimen") or []) & MULTI_KINASE_INHIBITORS)
    for entry, outcome in zip(entries, result.results, strict=True):
        test = LAB_CATALOGUE[outcome.test]
        assert outcome.irae == (test.irae if ici and outcome.level >= Level.MONITOR else None)
        column = {"yes": DrugClass.ANTI_VEGF in drugs, "tki": tki, None: False}[test.anti_vegf]
        assert outcome.anti_vegf is column
        if test.code in ("tsh", "ft4"):
            assert outcome.grade is None
        elif test.code != "glucose":
            assert outcome.grade is not None and 0 <= outcome.grade < len(test.levels)
            assert outcome.level >= test.levels[outcome.grade]  # rules and floors only raise
            if outcome.rule is None and not outcome.floor_applied:
                assert outcome.level is test.levels[outcome.grade]
        if "uln" in entry and entry["unit"] != "dipstick":
            exact = Fraction(str(entry["value"])) / Fraction(str(entry["uln"]))
            assert outcome.uln_ratio is None or outcome.uln_ratio == exact
        if "baseline" in entry:
            exact = Fraction(str(entry["value"])) / Fraction(str(entry["baseline"]))
            assert outcome.baseline_ratio == exact
    codes = {e["test"]: e for e in entries}
    has_albi = "albumin" in codes and "bilirubin" in codes and codes["bilirubin"]["value"] > 0
    assert (albi is not None) is has_albi
    above = [r.test for r in result.results if r.level > Level.ROUTINE]
    assert [r.test for r in result.reasons if r.template not in RULE_TEMPLATES] == above
    assert all(r.test is None for r in result.reasons if r.template in RULE_TEMPLATES)
    shaped = result.as_dict()
    assert json.loads(json.dumps(shaped, allow_nan=False)) == shaped
    assert all(str(reason) for reason in result.reasons)


@SETTINGS
@given(panels())
def test_any_valid_panel_is_assessed_consistently(panel: dict[str, Any]) -> None:
    before = copy.deepcopy(panel)
    result = assess_labs(panel)
    check_consistent(panel, result)
    assert panel == before


# --- direction of a value --------------------------------------------------------------------


def worse_values(code: str, unit: str, value: Any, outcome: Any) -> st.SearchStrategy[Any]:
    """Values of the same result at least as severe as ``value`` (see the module's docstring)."""
    if unit == "dipstick":
        return st.sampled_from(DIPSTICK_CODES[DIPSTICK_CODES.index(value) :])
    higher = st.floats(float(value), float(value) * 4 + 10) | st.integers(
        int(-(-value // 1)), int(value * 4 + 10)
    )
    lower = st.floats(0, float(value)) | st.integers(0, int(value))
    if code in INCREASED:
        return higher
    if code in DECREASED:
        return lower
    assert code == "glucose"
    not_low = outcome.grade is None
    not_high = not_low is False or outcome.level is Level.ROUTINE
    options = ([higher] if not_low else []) + ([lower] if not_high else [])
    return st.one_of(*options)


@SETTINGS
@given(data=st.data(), panel=panels(codes=sorted(INCREASED | DECREASED | {"glucose"})))
def test_a_worse_value_never_lowers_its_level(data: st.DataObject, panel: dict[str, Any]) -> None:
    index = data.draw(st.integers(0, len(panel["results"]) - 1))
    entry = panel["results"][index]
    before = assess_labs(panel)
    outcome = before.results[index]
    value = data.draw(worse_values(entry["test"], entry["unit"], entry["value"], outcome))
    worse = copy.deepcopy(panel)
    worse["results"][index]["value"] = value
    after = assess_labs(worse)
    changed = after.results[index]
    assert changed.level >= outcome.level
    if outcome.grade is not None and changed.grade is not None:
        assert changed.grade >= outcome.grade
    if entry["test"] == "glucose" and outcome.grade is not None:
        assert changed.grade is not None  # low stays low as it gets lower
    if after.level < before.level:
        # The one way the contract lowers a panel: a higher ALP blocking Hy's law.
        assert entry["test"] == "alp" and before.hys_law and not after.hys_law
    else:
        for old, new in zip(before.results, after.results, strict=True):
            if new.test != entry["test"] and not (entry["test"] == "alp" and before.hys_law):
                assert new.level >= old.level


def test_a_higher_alp_can_lower_the_panel_by_blocking_hys_law() -> None:
    """The exception above, spelled out: it is the contract's rule 1, not an engine quirk."""
    panel = {
        "results": [
            {"test": "alt", "value": 200, "unit": "U/L", "uln": 40},
            {"test": "bilirubin", "value": 50, "unit": "umol/L", "uln": 20},
            {"test": "alp", "value": 150, "unit": "U/L", "uln": 100},
        ]
    }
    assert assess_labs(panel).level is Level.EMERGENCY
    panel["results"][2]["value"] = 250
    assert assess_labs(panel).level is Level.URGENT


# --- the same panel in other units -----------------------------------------------------------

CONVERTIBLE = [
    (code, unit.code, unit.factor_text)
    for code, test in LAB_CATALOGUE.items()
    for unit in test.units[1:]
    if unit.factor_text is not None
]


@st.composite
def converted_panels(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    """A panel in the non-canonical units and the same panel in the canonical units."""
    chosen = draw(st.lists(st.sampled_from(CONVERTIBLE), unique_by=lambda c: c[0], min_size=1))
    other: list[dict[str, Any]] = []
    canonical: list[dict[str, Any]] = []
    for code, unit, factor_text in chosen:
        factor = Decimal(factor_text)
        scale = SCALE[code, unit]
        small = st.decimals(Decimal(0), Decimal(str(scale * 30)), places=3)
        positive = small.filter(lambda d: d > 0)
        entry: dict[str, Decimal] = {"value": draw(small)}
        test = LAB_CATALOGUE[code]
        if test.allowed_limits:
            low, high = sorted(draw(st.lists(positive, min_size=2, max_size=2, unique=True)))
            entry |= {"lln": low, "uln": high}
        if test.baseline_allowed and draw(st.booleans()):
            entry["baseline"] = draw(positive)
        other.append({"test": code, "unit": unit, **{k: json_number(v) for k, v in entry.items()}})
        in_canonical = {k: v * factor for k, v in entry.items()}
        for v in in_canonical.values():
            assert Decimal(str(json_number(v))) == v  # the converted decimal is exact
        canonical.append(
            {
                "test": code,
                "unit": test.canonical_unit,
                **{k: json_number(v) for k, v in in_canonical.items()},
            }
        )
    regimen = draw(regimens)
    return {"regimen": regimen, "results": other}, {"regimen": regimen, "results": canonical}


@SETTINGS
@given(converted_panels())
def test_the_same_panel_in_other_units_is_graded_the_same(
    pair: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    other, canonical = (assess_labs(panel) for panel in pair)
    assert other.level is canonical.level
    assert other.suspected_irae == canonical.suspected_irae
    for a, b in zip(other.results, canonical.results, strict=True):
        assert (a.test, a.grade, a.level, a.irae, a.anti_vegf) == (
            b.test,
            b.grade,
            b.level,
            b.irae,
            b.anti_vegf,
        )
        assert (a.uln_ratio, a.baseline_ratio, a.canonical_value) == (
            b.uln_ratio,
            b.baseline_ratio,
            b.canonical_value,
        )
    assert other.as_dict()["scores"] == canonical.as_dict()["scores"]
    assert (other.hys_law, other.thyroid_pattern) == (canonical.hys_law, canonical.thyroid_pattern)


# --- malformed panels ------------------------------------------------------------------------

NOT_NUMBERS: list[object] = [
    None,
    True,
    False,
    "5",
    "",
    [],
    {},
    float("nan"),
    float("inf"),
    float("-inf"),
]
HUGE = [10**400, -(10**400), int(sys.float_info.max) * 2]


@st.composite
def spoiled_results(draw: st.DrawFn) -> tuple[dict[str, Any], tuple[str | None, str, int]]:
    """A valid panel with one result spoiled, and the (test, field, index) to blame."""
    panel = draw(panels())
    index = draw(st.integers(0, len(panel["results"]) - 1))
    entry = panel["results"][index]
    test = LAB_CATALOGUE[entry["test"]]
    numeric = entry["unit"] != "dipstick"
    how = draw(
        st.sampled_from(
            [
                "value_type",
                "negative",
                "limit",
                "missing",
                "unknown_key",
                "unit",
                "baseline",
                "limit_on_none",
                "lln_not_below",
                "duplicate",
                "unknown_test",
            ]
        )
    )
    field = "value"
    if how == "value_type":
        wrong_kind: list[object] = [2, 0.5] if not numeric else ["2+"]
        bad = NOT_NUMBERS + HUGE + wrong_kind
        entry["value"] = draw(st.sampled_from(bad))
    elif how == "negative" and numeric:
        entry["value"] = draw(
            st.floats(max_value=-1e-300, allow_infinity=False) | st.integers(max_value=-1)
        )
    elif how == "limit" and test.allowed_limits:
        field = draw(st.sampled_from(test.allowed_limits))
        entry[field] = draw(st.sampled_from([*NOT_NUMBERS, *HUGE, 0, -1, -0.5]))
    elif how == "missing":
        field = draw(st.sampled_from(["value", "unit", *test.required_limits]))
        del entry[field]
    elif how == "unknown_key":
        field = draw(st.text().filter(lambda key: key not in RESULT_KEYS))
        entry[field] = draw(st.integers())
    elif how == "unit":
        field = "unit"
        entry["unit"] = draw(st.text().filter(lambda u: u not in test.unit_codes) | st.none())
    elif how == "baseline" and not test.baseline_allowed:
        field, entry["baseline"] = "baseline", draw(numbers(0.1, 10))
    elif how == "limit_on_none" and not test.allowed_limits:
        field = draw(st.sampled_from(["uln", "lln"]))
        entry[field] = draw(numbers(0.1, 10))
    elif how == "lln_not_below" and test.allowed_limits and numeric:
        field = "lln"
        entry["uln"] = draw(numbers(0.1, 10).filter(lambda x: x > 0))
        entry["lln"] = draw(st.sampled_from([entry["uln"], entry["uln"] * 2 + 1]))
    elif how == "duplicate":
        field = "test"
        panel["results"].append(copy.deepcopy(entry))
        index = len(panel["results"]) - 1
    elif how == "unknown_test":
        field = "test"
        entry["test"] = draw(st.text().filter(lambda code: code not in LAB_CATALOGUE))
    else:
        entry["value"] = None  # the chosen spoiling does not apply to this test: use null
    blamed = entry["test"] if isinstance(entry["test"], str) else None
    return panel, (blamed, field, index)


@SETTINGS
@given(spoiled_results())
def test_a_spoiled_result_is_refused_and_named(
    spoiled: tuple[dict[str, Any], tuple[str | None, str, int]],
) -> None:
    panel, blame = spoiled
    with pytest.raises(TriageValidationError) as caught:
        assess_labs(panel)
    assert blame in {(error.test, error.field, error.index) for error in caught.value.errors}
    assert all(error.message for error in caught.value.errors)


@st.composite
def spoiled_panels(draw: st.DrawFn) -> Any:
    panel = draw(panels())
    how = draw(
        st.sampled_from(["empty", "not_list", "not_dict", "key", "drug", "regimen", "entry"])
    )
    if how == "empty":
        panel["results"] = []
    elif how == "not_list":
        panel["results"] = draw(st.none() | st.text() | st.integers() | st.just({"test": "alt"}))
    elif how == "not_dict":
        return draw(st.lists(st.integers()) | st.text() | st.none() | st.integers() | st.floats())
    elif how == "key":
        panel[draw(st.text().filter(lambda key: key not in ("regimen", "results")))] = 1
    elif how == "drug":
        drug = draw(st.text().filter(lambda d: d not in DRUGS) | st.integers() | st.none())
        panel["regimen"] = [*(panel.get("regimen") or []), drug]
    elif how == "regimen":
        panel["regimen"] = draw(st.text() | st.integers() | st.booleans() | st.just({"a": 1}))
    else:
        position = draw(st.integers(0, len(panel["results"])))
        panel["results"].insert(position, draw(st.text() | st.integers() | st.none() | st.just([])))
    return panel


@SETTINGS
@given(spoiled_panels())
def test_a_malformed_panel_raises_only_a_validation_error(panel: Any) -> None:
    with pytest.raises(TriageValidationError) as caught:
        assess_labs(panel)
    assert caught.value.errors and all(error.message for error in caught.value.errors)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)
# Garbage in the shape of a panel, so that it reaches every check of a result.
GARBAGE_VALUES = (
    JSON
    | st.sampled_from([*CODES, *DIPSTICK_CODES, "U/L", "mg/dL", "mmol/L", "dipstick", "g/24h"])
    | st.sampled_from(HUGE)
    | st.floats()
)
GARBAGE_RESULTS = (
    st.dictionaries(st.sampled_from([*RESULT_KEYS, "code"]), GARBAGE_VALUES, max_size=7) | JSON
)
GARBAGE_PANELS = st.fixed_dictionaries(
    {"results": st.lists(GARBAGE_RESULTS, max_size=5) | JSON},
    optional={"regimen": st.lists(st.sampled_from(sorted(DRUGS)) | JSON, max_size=3) | JSON},
)


@SETTINGS
@given(JSON | GARBAGE_PANELS)
def test_arbitrary_json_is_assessed_or_refused_cleanly(document: Any) -> None:
    try:
        result = assess_labs(document)
    except TriageValidationError as error:
        assert error.errors and all(e.message for e in error.errors)
    else:
        assert isinstance(result, LabAssessment)
        check_consistent(document, result)


# --- exact arithmetic ------------------------------------------------------------------------


@SETTINGS
@given(st.floats(allow_nan=False, allow_infinity=False) | st.integers(-(10**30), 10**30))
def test_numbers_are_read_as_the_decimal_written(number: int | float) -> None:
    numerator, denominator = pair_of(number)
    assert Fraction(numerator, denominator) == Fraction(str(number))
    assert denominator > 0
