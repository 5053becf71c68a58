"""Grades and levels of single results (docs/LABS-2026.2.md section 3), before the rules
across results of section 5.

Every bound is the contract's decimal, turned once into an exact pair (``exact.py``); the
tables read like the contract's table. ``r`` is value / ULN and ``b`` value / baseline, both
plain divisions of the numbers as written (the unit cancels). Absolute bands compare the value
converted to the canonical unit with the unit's exact factor.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..levels import Level
from .catalogue import LAB_CATALOGUE, LabTestDef, UnitDef
from .exact import Pair, above, at_least, pair_of_text, scaled_bounds

ROUTINE, MONITOR = Level.ROUTINE.rank, Level.MONITOR.rank
URGENT, EMERGENCY = Level.URGENT.rank, Level.EMERGENCY.rank

# (bound, inclusive, grade), from the highest grade down: the grade of the first bound the
# ratio or value passes ("> bound", or ">= bound" when inclusive); 0 when it passes none.
Rise = tuple[tuple[Pair, bool, int], ...]
# (bound, grade), from the highest bound down: the grade of the first bound the value is at
# or above; the last grade when it is below them all.
Fall = tuple[tuple[Pair, int], ...]


def _rise(*bands: tuple[str, str, int]) -> Rise:
    return tuple((pair_of_text(bound), sign == ">=", grade) for sign, bound, grade in bands)


def _fall(*bands: tuple[str, int]) -> Fall:
    return tuple((pair_of_text(bound), grade) for bound, grade in bands)


# --- the contract's table -------------------------------------------------------------------

# Baseline absent or <= ULN: grade by r. Abnormal baseline (> ULN): grade by b instead.
ULN_BANDS: dict[str, Rise] = {
    "alt": _rise((">", "20", 4), (">", "5", 3), (">", "3", 2), (">", "1", 1)),
    "ast": _rise((">", "20", 4), (">", "5", 3), (">", "3", 2), (">", "1", 1)),
    "bilirubin": _rise((">", "10", 4), (">", "3", 3), (">", "1.5", 2), (">", "1", 1)),
    "alp": _rise((">", "20", 4), (">", "5", 3), (">", "2.5", 2), (">", "1", 1)),
    "creatinine": _rise((">", "6", 4), (">", "3", 3), (">", "1.5", 2), (">", "1", 1)),
}
BASELINE_BANDS: dict[str, Rise] = {
    "alt": _rise((">", "20", 4), (">", "5", 3), (">", "3", 2), (">=", "1.5", 1)),
    "ast": _rise((">", "20", 4), (">", "5", 3), (">", "3", 2), (">=", "1.5", 1)),
    "bilirubin": _rise((">", "10", 4), (">", "3", 3), (">", "1.5", 2), (">", "1", 1)),
    "alp": _rise((">", "20", 4), (">", "5", 3), (">", "2.5", 2), (">=", "2", 1)),
    # Creatinine: by baseline whenever one is given, normal or not; the higher grade wins.
    "creatinine": _rise((">", "3", 3), (">", "1.5", 2)),
}
# The level floor no baseline lowers: (r above this bound, at least this level rank).
ULN_FLOORS: dict[str, tuple[tuple[Pair, int], ...]] = {
    "alt": ((pair_of_text("20"), EMERGENCY), (pair_of_text("10"), URGENT)),
    "ast": ((pair_of_text("20"), EMERGENCY), (pair_of_text("10"), URGENT)),
    "bilirubin": ((pair_of_text("10"), EMERGENCY), (pair_of_text("3"), URGENT)),
}
# Below the LLN only, value in the canonical unit.
LLN_BANDS: dict[str, Fall] = {
    "platelets": _fall(("75", 1), ("50", 2), ("25", 3), ("0", 4)),
    "neutrophils": _fall(("1.5", 1), ("1.0", 2), ("0.5", 3), ("0", 4)),
    "hemoglobin": _fall(("100", 1), ("80", 2), ("0", 3)),
    "albumin": _fall(("30", 1), ("20", 2), ("0", 3)),
    "sodium": _fall(("130", 1), ("125", 2), ("120", 3), ("0", 4)),
}
INR_BANDS: Rise = _rise((">", "2.5", 3), (">", "1.5", 2), (">", "1.2", 1))
URINE_PROTEIN_BANDS: Rise = _rise((">=", "3.5", 3), (">=", "1.0", 2), (">=", "0.15", 1))
DIPSTICK_GRADES: dict[str, int] = {
    "negative": 0,
    "trace": 0,
    "1+": 1,
    "2+": 2,
    "3+": 2,
    "4+": 3,
}
# Glucose, each unit against its own published cut-offs. Low (CTCAE v5.0 hypoglycaemia):
# below the first bound the absolute grades 2-4 apply whatever the LLN; grade 1 is from that
# bound up to the LLN, and only when an LLN is given.
GLUCOSE_LOW: dict[str, tuple[Pair, Fall]] = {
    "mg/dL": (pair_of_text("55"), _fall(("40", 2), ("30", 3), ("0", 4))),
    "mmol/L": (pair_of_text("3.0"), _fall(("2.2", 2), ("1.7", 3), ("0", 4))),
}
# High (CTCAE v4.03 values, every sample read as fasting): (above this, level rank).
GLUCOSE_HIGH: dict[str, tuple[tuple[str, Pair, int], ...]] = {
    unit: tuple((bound, pair_of_text(bound), rank) for bound, rank in bands)
    for unit, bands in (
        ("mg/dL", (("500", EMERGENCY), ("250", URGENT))),
        ("mmol/L", (("27.8", EMERGENCY), ("13.9", URGENT))),
    )
}
# The highest LLN a glucose result may have, per unit.
GLUCOSE_MAX_LLN: dict[str, Pair] = {"mg/dL": pair_of_text("250"), "mmol/L": pair_of_text("13.9")}

# The level rank of each grade, by test (LabTestDef.levels as ints, for the hot path).
RANKS: dict[str, tuple[int, ...]] = {
    code: tuple(level.rank for level in test.levels) for code, test in LAB_CATALOGUE.items()
}

# Every bound a ratio of each test is compared with, scaled for exact.ratio_text (printing).
RATIO_BOUNDS: dict[str, dict[int, frozenset[int]]] = {
    code: scaled_bounds(
        (
            *(bound for bound, _inclusive, _grade in ULN_BANDS[code] + BASELINE_BANDS[code]),
            *(bound for bound, _rank in ULN_FLOORS.get(code, ())),
        )
    )
    for code in ULN_BANDS
}


def rise(value: Pair, bands: Rise) -> int:
    numerator, denominator = value
    for (top, bottom), inclusive, grade in bands:
        # value > bound (or >= when inclusive), cross-multiplied: exact.above / at_least.
        left, right = numerator * bottom, top * denominator
        if left > right or (inclusive and left == right):
            return grade
    return 0


def fall(value: Pair, bands: Fall) -> int:
    numerator, denominator = value
    for (top, bottom), grade in bands:
        if numerator * bottom >= top * denominator:
            return grade
    return bands[-1][1]


# --- one result -----------------------------------------------------------------------------


@dataclass(slots=True)
class Parsed:
    """A valid result, as the validator hands it to the engine.

    ``value`` is None for a dipstick (``raw`` holds its code); ``uln``, ``lln`` and
    ``baseline`` are None when absent. ``entry`` is the result as given, for the reasons.
    ``factor`` is ``FACTORS[test, unit]``.
    """

    test: LabTestDef
    unit: UnitDef
    raw: Any
    value: Pair | None
    uln: Pair | None
    lln: Pair | None
    baseline: Pair | None
    entry: dict[Any, Any]
    # The unit's exact factor to the canonical unit (None: no conversion).
    factor: Pair | None


@dataclass(slots=True)
class Graded:
    """The grade and level of one result; the rules across results may raise ``rank``.

    ``kind`` says what decided it, for the reason: "normal", "uln", "abnormal_baseline",
    "baseline" (creatinine), "below_lln", "value", "low", "high", "range" (TSH/FT4 alone).
    """

    grade: int | None
    rank: int
    kind: str
    r: Pair | None = None
    b: Pair | None = None
    canonical: Pair | None = None
    baseline_abnormal: bool = False
    baseline_used: bool = False
    floor: bool = False
    rule: str | None = None


def _ratios(result: Parsed) -> tuple[Pair, Pair | None, bool, Pair | None]:
    """(r, b or None, baseline above the ULN, canonical value): exact, cross-multiplied."""
    value, uln, baseline, factor = result.value, result.uln, result.baseline, result.factor
    assert value is not None and uln is not None
    (top, bottom), (uln_top, uln_bottom) = value, uln
    r = (top * uln_bottom, bottom * uln_top)
    canonical = None if factor is None else (top * factor[0], bottom * factor[1])
    if baseline is None:
        return r, None, False, canonical
    base_top, base_bottom = baseline
    b = (top * base_bottom, bottom * base_top)
    return r, b, base_top * uln_bottom > uln_top * base_bottom, canonical


def _by_ratio(result: Parsed) -> Graded:
    code = result.test.code
    r, b, abnormal, canonical = _ratios(result)
    if abnormal:
        assert b is not None
        grade, kind = rise(b, BASELINE_BANDS[code]), "abnormal_baseline"
    else:
        grade, kind = rise(r, ULN_BANDS[code]), "uln"
    rank = RANKS[code][grade]
    floor = False
    floors = ULN_FLOORS.get(code)
    if floors is not None:
        for (top, bottom), at_least_rank in floors:
            if r[0] * bottom > top * r[1]:  # r above the floor's bound
                if rank < at_least_rank:
                    rank, floor = at_least_rank, True
                break
    return Graded(grade, rank, kind, r, b, canonical, abnormal, abnormal, floor)


def _creatinine(result: Parsed) -> Graded:
    r, b, abnormal, canonical = _ratios(result)
    grade, kind = rise(r, ULN_BANDS["creatinine"]), "uln"
    used = False
    if b is not None:
        by_baseline = rise(b, BASELINE_BANDS["creatinine"])
        if by_baseline > grade:
            grade, kind, used = by_baseline, "baseline", True
    return Graded(grade, RANKS["creatinine"][grade], kind, r, b, canonical, abnormal, used)


def _canonical(result: Parsed) -> Pair | None:
    value, factor = result.value, result.factor
    if value is None or factor is None:
        return None
    return value[0] * factor[0], value[1] * factor[1]


# (test, unit) -> the exact factor to the canonical unit (None: no conversion). By test, as
# one unit code means different factors for different tests (mg/dL: bilirubin, creatinine).
FACTORS: dict[tuple[str, str], Pair | None] = {
    (test.code, unit.code): None if unit.factor_text is None else pair_of_text(unit.factor_text)
    for test in LAB_CATALOGUE.values()
    for unit in test.units
}


def _below_lln(result: Parsed) -> Graded:
    value, lln = result.value, result.lln
    assert value is not None and lln is not None
    canonical = _canonical(result)
    assert canonical is not None
    if at_least(value, lln):
        return Graded(0, ROUTINE, "normal", canonical=canonical)
    grade = fall(canonical, LLN_BANDS[result.test.code])
    return Graded(grade, RANKS[result.test.code][grade], "below_lln", canonical=canonical)


def _inr(result: Parsed) -> Graded:
    assert result.value is not None
    grade = rise(result.value, INR_BANDS)
    return Graded(grade, RANKS[result.test.code][grade], "value", canonical=result.value)


def _urine_protein(result: Parsed) -> Graded:
    if result.value is None:
        grade = DIPSTICK_GRADES[result.raw]
        return Graded(grade, RANKS[result.test.code][grade], "value")
    grade = rise(result.value, URINE_PROTEIN_BANDS)
    return Graded(grade, RANKS[result.test.code][grade], "value")


def outside_range(result: Parsed) -> bool:
    """TSH or FT4 outside [lln, uln] (both in the result's own unit)."""
    value, lln, uln = result.value, result.lln, result.uln
    assert value is not None and lln is not None and uln is not None
    return above(lln, value) or above(value, uln)


def _thyroid(result: Parsed) -> Graded:
    canonical = _canonical(result)
    if outside_range(result):
        return Graded(None, MONITOR, "range", canonical=canonical)
    return Graded(None, ROUTINE, "normal", canonical=canonical)


def _glucose(result: Parsed) -> Graded:
    value, lln, unit = result.value, result.lln, result.unit.code
    assert value is not None
    canonical = value if unit == "mg/dL" else None
    low_from, absolute = GLUCOSE_LOW[unit]
    if above(low_from, value):
        grade = fall(value, absolute)
        return Graded(grade, RANKS["glucose"][grade], "low", canonical=canonical)
    if lln is not None and above(lln, value):
        return Graded(1, RANKS["glucose"][1], "below_lln", canonical=canonical)
    for _text, bound, rank in GLUCOSE_HIGH[unit]:
        if above(value, bound):
            return Graded(None, rank, "high", canonical=canonical)
    return Graded(None, ROUTINE, "normal", canonical=canonical)


GRADERS: dict[str, Callable[[Parsed], Graded]] = {
    "alt": _by_ratio,
    "ast": _by_ratio,
    "bilirubin": _by_ratio,
    "alp": _by_ratio,
    "creatinine": _creatinine,
    "platelets": _below_lln,
    "neutrophils": _below_lln,
    "hemoglobin": _below_lln,
    "albumin": _below_lln,
    "sodium": _below_lln,
    "inr": _inr,
    "urine_protein": _urine_protein,
    "tsh": _thyroid,
    "ft4": _thyroid,
    "glucose": _glucose,
}


def grade(result: Parsed) -> Graded:
    """The grade and level of one valid result, on its own (section 3)."""
    return GRADERS[result.test.code](result)
