"""Both sides of every bound of the lab table (docs/LABS-2026.2.md section 3), exactly.

Expectations are written here from the contract's text, not read from the engine's tables.
Values are built as exact decimals (value = bound x limit) and handed over as JSON-like floats;
many of them are traps in binary (2.1 / 1.4 > 1.5, 4.2 / 1.4 > 3 as floats). Runs without
Django.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest

from reporting.triage import LabResult, Level, assess_labs

ICI = ["atezolizumab"]
R, M, U, E = Level.ROUTINE, Level.MONITOR, Level.URGENT, Level.EMERGENCY


def number(text: str | Decimal) -> int | float:
    """A JSON number for an exact decimal (an int when it is whole, as JSON would give)."""
    decimal = Decimal(text)
    value: int | float = int(decimal) if decimal == decimal.to_integral_value() else float(decimal)
    assert Decimal(str(value)) == decimal  # the float reads back as the same decimal
    return value


def one(
    test: str, value: Any, unit: str, regimen: list[str] | None = None, **extra: Any
) -> LabResult:
    result = {"test": test, "value": value, "unit": unit, **extra}
    (graded,) = assess_labs(
        {"regimen": ICI if regimen is None else regimen, "results": [result]}
    ).results
    return graded


def test_the_classic_binary_trap_is_exactly_on_the_bound() -> None:
    assert 2.1 / 1.4 > 1.5  # in binary floating point
    bilirubin = one("bilirubin", 2.1, "mg/dL", uln=1.4)
    assert bilirubin.uln_ratio is not None and bilirubin.uln_ratio == 1.5
    assert (bilirubin.grade, bilirubin.level) == (1, M)  # "1 < r <= 1.5: 1", not grade 2


# --- ratios to the ULN and to an abnormal baseline ------------------------------------------

# (test, bound, grade on the bound, grade just above it, grade just below it)
ULN_BOUNDS = [
    *[(t, "1", 0, 1, 0) for t in ("alt", "ast")],
    *[(t, "3", 1, 2, 1) for t in ("alt", "ast")],
    *[(t, "5", 2, 3, 2) for t in ("alt", "ast")],
    *[(t, "20", 3, 4, 3) for t in ("alt", "ast")],
    ("bilirubin", "1", 0, 1, 0),
    ("bilirubin", "1.5", 1, 2, 1),
    ("bilirubin", "3", 2, 3, 2),
    ("bilirubin", "10", 3, 4, 3),
    ("alp", "1", 0, 1, 0),
    ("alp", "2.5", 1, 2, 1),
    ("alp", "5", 2, 3, 2),
    ("alp", "20", 3, 4, 3),
    ("creatinine", "1", 0, 1, 0),
    ("creatinine", "1.5", 1, 2, 1),
    ("creatinine", "3", 2, 3, 2),
    ("creatinine", "6", 3, 4, 3),
]
# Abnormal baseline (above the ULN): the grade is read from b instead.
BASELINE_BOUNDS = [
    *[(t, "1.5", 1, 1, 0) for t in ("alt", "ast")],  # "1.5 <= b <= 3: 1"; "b < 1.5: 0"
    *[(t, "3", 1, 2, 1) for t in ("alt", "ast")],
    *[(t, "5", 2, 3, 2) for t in ("alt", "ast")],
    *[(t, "20", 3, 4, 3) for t in ("alt", "ast")],
    ("bilirubin", "1", 0, 1, 0),  # "b <= 1: 0"
    ("bilirubin", "1.5", 1, 2, 1),
    ("bilirubin", "3", 2, 3, 2),
    ("bilirubin", "10", 3, 4, 3),
    ("alp", "2", 1, 1, 0),  # "2 <= b <= 2.5: 1"; "b < 2: 0"
    ("alp", "2.5", 1, 2, 1),
    ("alp", "5", 2, 3, 2),
    ("alp", "20", 3, 4, 3),
]
UNITS = {"alt": "U/L", "ast": "U/L", "alp": "U/L", "bilirubin": "umol/L", "creatinine": "umol/L"}
STEP = Decimal("0.001")


@pytest.mark.parametrize(("test", "bound", "on", "above", "below"), ULN_BOUNDS)
@pytest.mark.parametrize("uln", ["1.4", "40", "0.7"])
def test_uln_ratio_bounds(test: str, bound: str, on: int, above: int, below: int, uln: str) -> None:
    exact = Decimal(bound) * Decimal(uln)
    for value, grade in ((exact, on), (exact + STEP, above), (exact - STEP, below)):
        result = one(test, number(value), UNITS[test], uln=number(uln))
        assert result.grade == grade, (value, uln)
        assert not result.baseline_used
    assert one(test, number(exact), UNITS[test], uln=number(uln)).uln_ratio == Decimal(bound)


@pytest.mark.parametrize(("test", "bound", "on", "above", "below"), ULN_BOUNDS)
def test_uln_ratio_bounds_with_a_normal_baseline(
    test: str, bound: str, on: int, above: int, below: int
) -> None:
    # A baseline at or below the ULN changes nothing for the liver tests ("baseline absent or
    # <= uln"); creatinine's baseline criterion cannot reach grade 2 while b <= 1.5.
    exact = Decimal(bound) * Decimal("1.4")
    for baseline in ("1.4", "1.1"):
        for value, grade in ((exact, on), (exact + STEP, above), (exact - STEP, below)):
            if test == "creatinine" and value / Decimal(baseline) > Decimal("1.5"):
                continue
            result = one(test, number(value), UNITS[test], uln=1.4, baseline=number(baseline))
            assert result.grade == grade, (value, baseline)
            assert not result.baseline_abnormal


@pytest.mark.parametrize(("test", "bound", "on", "above", "below"), BASELINE_BOUNDS)
@pytest.mark.parametrize(("uln", "baseline"), [("1.4", "2.1"), ("40", "60"), ("21", "21.01")])
def test_abnormal_baseline_ratio_bounds(
    test: str, bound: str, on: int, above: int, below: int, uln: str, baseline: str
) -> None:
    exact = Decimal(bound) * Decimal(baseline)
    for value, grade in ((exact, on), (exact + STEP, above), (exact - STEP, below)):
        result = one(test, number(value), UNITS[test], uln=number(uln), baseline=number(baseline))
        assert result.grade == grade, (value, baseline)
        assert result.baseline_abnormal and result.baseline_used
        assert result.ratio == result.baseline_ratio


def test_a_baseline_equal_to_the_uln_is_not_abnormal() -> None:
    result = one("alt", 50, "U/L", uln=40, baseline=40)
    assert (result.grade, result.baseline_abnormal, result.baseline_used) == (1, False, False)
    assert result.ratio == result.uln_ratio == Decimal("1.25")
    just_above = one("alt", 50, "U/L", uln=40, baseline=40.01)
    assert (just_above.grade, just_above.baseline_abnormal) == (0, True)  # b < 1.5


@pytest.mark.parametrize(
    ("bound", "on", "above"),
    [("1.5", 0, 2), ("3", 2, 3)],  # "1.5 < b <= 3: 2; b > 3: 3"; nothing below 1.5 x baseline
)
@pytest.mark.parametrize("baseline", ["50", "1.4", "0.7"])
def test_creatinine_baseline_bounds(bound: str, on: int, above: int, baseline: str) -> None:
    exact = Decimal(bound) * Decimal(baseline)
    uln = Decimal(baseline) * 1000  # r stays far below 1: the grade is the baseline's
    for value, grade in ((exact, on), (exact + STEP / 10, above), (exact - STEP / 10, on)):
        result = one(
            "creatinine", number(value), "umol/L", uln=number(uln), baseline=number(baseline)
        )
        assert result.grade == grade, value
        assert result.baseline_used is (grade > 0)


def test_creatinine_takes_the_higher_of_the_two_grades() -> None:
    by_uln = one("creatinine", 350, "umol/L", uln=100, baseline=300)  # r 3.5: 3; b 1.17: 0
    assert (by_uln.grade, by_uln.baseline_used, by_uln.ratio) == (3, False, Decimal("3.5"))
    by_baseline = one("creatinine", 110, "umol/L", uln=100, baseline=30)  # r 1.1: 1; b 3.67: 3
    assert (by_baseline.grade, by_baseline.baseline_used) == (3, True)
    abnormal = one("creatinine", 130, "umol/L", uln=100, baseline=120)  # r 1.3: 1; b 1.08
    assert (abnormal.grade, abnormal.baseline_abnormal, abnormal.baseline_used) == (1, True, False)


@pytest.mark.parametrize(
    ("test", "value", "uln", "baseline"),
    [
        ("bilirubin", 2.1, 1.4, None),
        ("bilirubin", 35.91, 23.94, None),
        ("creatinine", 1.5, 1.0, None),
        ("bilirubin", 3.0, 1.0, 2.0),
        ("creatinine", 1.5, 1.2, 1.0),
    ],
)
def test_ratios_are_the_same_in_mg_dl_and_umol_l(
    test: str, value: float, uln: float, baseline: float | None
) -> None:
    factor = Decimal("17.1") if test == "bilirubin" else Decimal("88.4")
    extra: dict[str, Any] = {} if baseline is None else {"baseline": baseline}
    in_mg = one(test, value, "mg/dL", uln=uln, **extra)
    converted: dict[str, Any] = {
        k: number(Decimal(str(v)) * factor) for k, v in {"uln": uln, **extra}.items()
    }
    in_umol = one(test, number(Decimal(str(value)) * factor), "umol/L", **converted)
    assert (in_mg.grade, in_mg.level) == (in_umol.grade, in_umol.level)
    assert in_mg.uln_ratio == in_umol.uln_ratio and in_mg.baseline_ratio == in_umol.baseline_ratio
    assert in_mg.canonical_value == in_umol.canonical_value == Fraction(str(in_umol.value))


# --- the ULN floor under abnormal baselines -------------------------------------------------

# (test, r bound, level on the bound, level just above it); uln 40 or 21, baseline far above.
FLOORS = [
    ("alt", "10", None, U),
    ("alt", "20", U, E),
    ("ast", "10", None, U),
    ("ast", "20", U, E),
    ("bilirubin", "3", None, U),
    ("bilirubin", "10", U, E),
]


@pytest.mark.parametrize(("test", "bound", "on", "above"), FLOORS)
def test_uln_floor_under_an_abnormal_baseline(
    test: str, bound: str, on: Level | None, above: Level
) -> None:
    uln = Decimal(40 if test != "bilirubin" else 21)
    baseline = uln * Decimal(bound) * Decimal("0.9")  # b stays just above 1.1: grade 0 or 1
    exact = uln * Decimal(bound)
    at_bound = one(test, number(exact), UNITS[test], uln=number(uln), baseline=number(baseline))
    just_above = one(
        test, number(exact + STEP), UNITS[test], uln=number(uln), baseline=number(baseline)
    )
    assert at_bound.grade == just_above.grade  # the floor changes the level, never the grade
    assert at_bound.grade is not None and at_bound.grade <= 1
    by_grade = [R, M][at_bound.grade]
    if on is None:
        assert (at_bound.level, at_bound.floor_applied) == (by_grade, False)
    else:
        assert at_bound.level is on and at_bound.floor_applied
    assert just_above.level is above and just_above.floor_applied
    assert just_above.irae == "hepatic"


def test_floor_at_grade_0_still_flags_the_result() -> None:
    # ALT 401/40: r 10.025 > 10, but 1.34 x the abnormal baseline 300: grade 0, yet urgent.
    result = one("alt", 401, "U/L", uln=40, baseline=300)
    assert (result.grade, result.level, result.irae, result.floor_applied) == (
        0,
        U,
        "hepatic",
        True,
    )


def test_floor_never_lowers_and_alp_has_none() -> None:
    assert one("alt", 900, "U/L", uln=40).level is E  # grade 4 by the ULN anyway
    alp = one("alp", 3000, "U/L", uln=100, baseline=1500)  # r 30, b 2: grade 1
    assert (alp.grade, alp.level, alp.floor_applied) == (1, R, False)


# --- absolute bands below the LLN, in the canonical and the converted units ------------------

# (test, unit, lln, value, grade)
BELOW_LLN = [
    ("platelets", "10^9/L", 150, 150, 0),
    ("platelets", "10^9/L", 150, 149.99, 1),
    ("platelets", "10^9/L", 150, 75, 1),
    ("platelets", "10^9/L", 150, 74.99, 2),
    ("platelets", "10^9/L", 150, 50, 2),
    ("platelets", "10^9/L", 150, 49.99, 3),
    ("platelets", "10^9/L", 150, 25, 3),
    ("platelets", "10^9/L", 150, 24.99, 4),
    ("platelets", "10^9/L", 150, 0, 4),
    ("platelets", "10^3/uL", 150, 75, 1),
    ("platelets", "10^3/uL", 150, 74.99, 2),
    ("platelets", "/mm3", 150000, 150000, 0),
    ("platelets", "/mm3", 150000, 149999, 1),
    ("platelets", "/mm3", 150000, 75000, 1),
    ("platelets", "/mm3", 150000, 74999, 2),
    ("platelets", "/mm3", 150000, 50000, 2),
    ("platelets", "/mm3", 150000, 49999, 3),
    ("platelets", "/mm3", 150000, 25000, 3),
    ("platelets", "/mm3", 150000, 24999.9, 4),
    ("platelets", "10^9/L", 60, 70, 0),  # at or above the LLN: grade 0 whatever the bands
    ("platelets", "10^9/L", 60, 55, 2),
    ("neutrophils", "10^9/L", 2.0, 2.0, 0),
    ("neutrophils", "10^9/L", 2.0, 1.99, 1),
    ("neutrophils", "10^9/L", 2.0, 1.5, 1),
    ("neutrophils", "10^9/L", 2.0, 1.49, 2),
    ("neutrophils", "10^9/L", 2.0, 1.0, 2),
    ("neutrophils", "10^9/L", 2.0, 0.99, 3),
    ("neutrophils", "10^9/L", 2.0, 0.5, 3),
    ("neutrophils", "10^9/L", 2.0, 0.49, 4),
    ("neutrophils", "10^9/L", 1.4, 1.45, 0),  # the contract's own example
    ("neutrophils", "10^3/uL", 2.0, 1.0, 2),
    ("neutrophils", "10^3/uL", 2.0, 0.99, 3),
    ("neutrophils", "/mm3", 2000, 1500, 1),
    ("neutrophils", "/mm3", 2000, 1499, 2),
    ("neutrophils", "/mm3", 2000, 1000, 2),
    ("neutrophils", "/mm3", 2000, 999, 3),
    ("neutrophils", "/mm3", 2000, 500, 3),
    ("neutrophils", "/mm3", 2000, 499.9, 4),
    ("hemoglobin", "g/L", 120, 120, 0),
    ("hemoglobin", "g/L", 120, 119.9, 1),
    ("hemoglobin", "g/L", 120, 100, 1),
    ("hemoglobin", "g/L", 120, 99.9, 2),
    ("hemoglobin", "g/L", 120, 80, 2),
    ("hemoglobin", "g/L", 120, 79.9, 3),
    ("hemoglobin", "g/dL", 12.0, 12.0, 0),
    ("hemoglobin", "g/dL", 12.0, 11.99, 1),
    ("hemoglobin", "g/dL", 12.0, 10.0, 1),
    ("hemoglobin", "g/dL", 12.0, 9.99, 2),
    ("hemoglobin", "g/dL", 12.0, 8.0, 2),
    ("hemoglobin", "g/dL", 12.0, 7.99, 3),
    ("albumin", "g/L", 35, 35, 0),
    ("albumin", "g/L", 35, 34.9, 1),
    ("albumin", "g/L", 35, 30, 1),
    ("albumin", "g/L", 35, 29.9, 2),
    ("albumin", "g/L", 35, 20, 2),
    ("albumin", "g/L", 35, 19.9, 3),
    ("albumin", "g/dL", 3.5, 3.0, 1),
    ("albumin", "g/dL", 3.5, 2.99, 2),
    ("albumin", "g/dL", 3.5, 2.0, 2),
    ("albumin", "g/dL", 3.5, 1.99, 3),
    ("sodium", "mmol/L", 135, 135, 0),
    ("sodium", "mmol/L", 135, 134.9, 1),
    ("sodium", "mmol/L", 135, 130, 1),
    ("sodium", "mmol/L", 135, 129.9, 2),
    ("sodium", "mmol/L", 135, 125, 2),
    ("sodium", "mmol/L", 135, 124.9, 3),
    ("sodium", "mmol/L", 135, 120, 3),
    ("sodium", "mmol/L", 135, 119.9, 4),
]
BELOW_LLN_LEVELS = {
    "platelets": (R, R, M, U, E),
    "neutrophils": (R, R, M, U, E),
    "hemoglobin": (R, R, M, U),
    "albumin": (R, R, M, M),
    "sodium": (R, R, M, U, E),
}


@pytest.mark.parametrize(("test", "unit", "lln", "value", "grade"), BELOW_LLN)
def test_bands_below_the_lln(test: str, unit: str, lln: float, value: float, grade: int) -> None:
    result = one(test, value, unit, lln=lln)
    assert (result.grade, result.level) == (grade, BELOW_LLN_LEVELS[test][grade])


@pytest.mark.parametrize(
    ("value", "grade"),
    [(1.2, 0), (1.21, 1), (1.5, 1), (1.51, 2), (2.5, 2), (2.51, 3), (0, 0), (9.9, 3)],
)
def test_inr_bounds(value: float, grade: int) -> None:
    result = one("inr", value, "ratio")
    assert (result.grade, result.level, result.irae) == (grade, (R, R, M, U)[grade], None)


@pytest.mark.parametrize(
    ("value", "grade"),
    [(0, 0), (0.149, 0), (0.15, 1), (0.999, 1), (1.0, 2), (1, 2), (3.499, 2), (3.5, 3), (12, 3)],
)
def test_urine_protein_g_24h_bounds(value: float, grade: int) -> None:
    result = one("urine_protein", value, "g/24h")
    assert (result.grade, result.level) == (grade, (R, R, M, U)[grade])


@pytest.mark.parametrize(
    ("value", "grade"), [("negative", 0), ("trace", 0), ("1+", 1), ("2+", 2), ("3+", 2), ("4+", 3)]
)
def test_urine_protein_dipstick(value: str, grade: int) -> None:
    result = one("urine_protein", value, "dipstick")
    assert (result.grade, result.level) == (grade, (R, R, M, U)[grade])
    assert result.canonical_value is None and result.value == value


# --- glucose: each unit against its own cut-offs ---------------------------------------------

# (unit, value, lln or None, grade, level)
GLUCOSE = [
    ("mg/dL", 29.9, None, 4, E),
    ("mg/dL", 30, None, 3, E),
    ("mg/dL", 39.9, None, 3, E),
    ("mg/dL", 40, None, 2, E),
    ("mg/dL", 54.9, None, 2, E),
    ("mg/dL", 54.9, 50, 2, E),  # grades 2-4 are absolute, whatever the LLN
    ("mg/dL", 0, 70, 4, E),
    ("mg/dL", 55, None, None, R),  # grade 1 needs an LLN
    ("mg/dL", 60, None, None, R),
    ("mg/dL", 55, 70, 1, M),
    ("mg/dL", 69.9, 70, 1, M),
    ("mg/dL", 70, 70, None, R),
    ("mg/dL", 250, None, None, R),
    ("mg/dL", 250.01, None, None, U),
    ("mg/dL", 500, None, None, U),
    ("mg/dL", 500.01, None, None, E),
    ("mg/dL", 250.01, 70, None, U),
    ("mmol/L", 1.69, None, 4, E),
    ("mmol/L", 1.7, None, 3, E),
    ("mmol/L", 2.19, None, 3, E),
    ("mmol/L", 2.2, None, 2, E),
    ("mmol/L", 2.99, None, 2, E),
    ("mmol/L", 2.99, 2.5, 2, E),
    ("mmol/L", 3.0, None, None, R),
    ("mmol/L", 3.0, 3.9, 1, M),
    ("mmol/L", 3.89, 3.9, 1, M),
    ("mmol/L", 3.9, 3.9, None, R),
    ("mmol/L", 13.9, None, None, R),
    ("mmol/L", 13.91, None, None, U),
    ("mmol/L", 27.8, None, None, U),
    ("mmol/L", 27.81, None, None, E),
]


@pytest.mark.parametrize(("unit", "value", "lln", "grade", "level"), GLUCOSE)
def test_glucose_bounds(
    unit: str, value: float, lln: float | None, grade: int | None, level: Level
) -> None:
    extra: dict[str, Any] = {} if lln is None else {"lln": lln}
    result = one("glucose", value, unit, **extra)
    assert (result.grade, result.level) == (grade, level)
    assert result.irae == ("endocrine" if level > R else None)  # at both ends
    assert one("glucose", value, unit, regimen=["sorafenib"], **extra).irae is None


def test_glucose_uln_is_allowed_and_unused() -> None:
    assert one("glucose", 90, "mg/dL", lln=70, uln=100).level is R
    assert one("glucose", 180, "mg/dL", lln=70, uln=100).level is R  # above the ULN: routine
    assert one("glucose", 300, "mg/dL", uln=100).level is U


def test_glucose_units_are_not_converted() -> None:
    # 13.9 mmol/L is 250.4 mg/dL, yet each unit keeps its own published cut-off.
    assert one("glucose", 13.9, "mmol/L").level is R
    assert one("glucose", 250.4, "mg/dL").level is U
    assert one("glucose", 13.9, "mmol/L").canonical_value is None
    assert one("glucose", 250, "mg/dL").canonical_value == 250


# --- TSH and FT4 alone -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("test", "unit", "lln", "uln"),
    [("tsh", "mIU/L", 0.4, 4.0), ("ft4", "pmol/L", 12, 22), ("ft4", "ng/dL", 0.93, 1.71)],
)
def test_thyroid_alone_is_monitor_outside_its_range(
    test: str, unit: str, lln: float, uln: float
) -> None:
    low, high = Decimal(str(lln)), Decimal(str(uln))
    for value, level in (
        (low, R),
        (high, R),
        (low - STEP, M),
        (high + STEP, M),
        ((low + high) / 2, R),
    ):
        result = one(test, number(value), unit, lln=lln, uln=uln)
        assert (result.grade, result.level) == (None, level), value
        assert result.irae == ("endocrine" if level is M else None)
