"""ALBI's arithmetic (docs/LABS-2026.2.md section 1: "ALBI, its log10 included, is computed
in Decimal with at least 34 significant digits"): the engine's range-reduced log10 against
Decimal's own, correctly rounded log10 at 80 digits. Runs without Django."""

from __future__ import annotations

import decimal
from decimal import Context, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reporting.triage import assess_labs
from reporting.triage.labs.albi import PRECISION, albi, log10

REFERENCE = Context(prec=80)
# 45 working digits; the result must be right to far better than 34 significant digits.
TOLERANCE = Decimal("1E-40")


def test_working_precision_is_at_least_34_digits() -> None:
    assert PRECISION >= 34


@settings(max_examples=500, deadline=None)
@given(
    st.decimals(min_value=Decimal("1E-30"), max_value=Decimal("1E+30"), places=None)
    | st.decimals(min_value=Decimal("0.001"), max_value=Decimal(1000), places=4)
)
def test_log10_matches_decimal_log10(x: Decimal) -> None:
    assert abs(log10(x) - REFERENCE.log10(x)) <= TOLERANCE


@pytest.mark.parametrize(
    "text",
    [
        "5E-324",
        "1.7976931348623157E+308",
        "9.99999999999999999999999999999999999999999999",
        "1.00000000000000000000000000000000000000000001",
        "2.00390625",
        "2.003906249999999999999999999999",
        "35.91",
        "0.1",
    ],
)
def test_log10_at_the_edges_of_its_range_reduction(text: str) -> None:
    x = Decimal(text)
    assert abs(log10(x) - REFERENCE.log10(x)) <= TOLERANCE


@pytest.mark.parametrize("power", [-30, -6, -1, 0, 1, 2, 10, 11, 300])
def test_log10_of_a_power_of_ten_is_exact(power: int) -> None:
    assert log10(Decimal(10) ** power) == power


def test_the_callers_decimal_context_plays_no_part() -> None:
    expected = albi((3591, 100), (34, 1))
    with decimal.localcontext() as context:
        context.prec = 3
        context.rounding = decimal.ROUND_FLOOR
        assert albi((3591, 100), (34, 1)) == expected
        assert abs(log10(Decimal("35.91")) - REFERENCE.log10(Decimal("35.91"))) <= TOLERANCE
    assert (expected.value, expected.grade) == (Decimal("-1.86"), 2)


def test_huge_and_tiny_scores_round_and_serialise() -> None:
    tiny = {"test": "bilirubin", "value": 5e-324, "unit": "mg/dL", "uln": 1.2}
    huge = {"test": "albumin", "value": 1.7e308, "unit": "g/dL", "lln": 3.5}
    result = assess_labs({"results": [tiny, huge]}).as_dict()
    albi_dict = result["scores"]["albi"]
    assert albi_dict["grade"] == 1 and albi_dict["value"] < -1e307
    assert albi_dict["value"] == albi_dict["value"] and abs(albi_dict["value"]) != float("inf")
