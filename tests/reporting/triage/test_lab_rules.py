"""The rules across results (docs/LABS-2026.2.md section 5: Hy's law, thyroid patterns, ALBI,
the panel's level), the drug flags (section 4 and the AV column) and the reasons. Runs
without Django."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from reporting.triage import DRUGS, DrugClass, LabAssessment, Level, assess_labs
from reporting.triage.drugs import MULTI_KINASE_INHIBITORS
from reporting.triage.labs.reasons import (
    ALBI_TEMPLATE,
    HYS_LAW_TEMPLATE,
    RULE_TEMPLATES,
    SODIUM_GRADE_2_TEMPLATE,
    THYROID_TEMPLATES,
)

ICI = ["atezolizumab"]
R, M, U, E = Level.ROUTINE, Level.MONITOR, Level.URGENT, Level.EMERGENCY


def panel(*results: dict[str, Any], regimen: list[str] | None = None) -> LabAssessment:
    return assess_labs({"regimen": ICI if regimen is None else regimen, "results": list(results)})


def alt(value: float, uln: float = 40, **extra: Any) -> dict[str, Any]:
    return {"test": "alt", "value": value, "unit": "U/L", "uln": uln, **extra}


def ast(value: float, uln: float = 40, **extra: Any) -> dict[str, Any]:
    return {"test": "ast", "value": value, "unit": "U/L", "uln": uln, **extra}


def bili(value: float, uln: float = 20, **extra: Any) -> dict[str, Any]:
    return {"test": "bilirubin", "value": value, "unit": "umol/L", "uln": uln, **extra}


def alp(value: float, uln: float = 100, **extra: Any) -> dict[str, Any]:
    return {"test": "alp", "value": value, "unit": "U/L", "uln": uln, **extra}


def levels(assessment: LabAssessment) -> dict[str, Level]:
    return {result.test: result.level for result in assessment.results}


def rules(assessment: LabAssessment) -> list[str]:
    return [reason.template for reason in assessment.reasons if reason.template in RULE_TEMPLATES]


# --- rule 1: Hy's law ------------------------------------------------------------------------


def test_hys_law_on_its_bounds() -> None:
    # ALT r >= 3 (120/40 is exactly 3) with bilirubin r > 2 (40.02/20): both emergency.
    applied = panel(alt(120), bili(40.02))
    assert applied.hys_law and levels(applied) == {"alt": E, "bilirubin": E}
    assert [r.rule for r in applied.results] == ["hys_law", "hys_law"]
    assert rules(applied) == [HYS_LAW_TEMPLATE] and applied.level is E
    # ALT just below 3 x ULN, or bilirubin exactly 2 x ULN: no.
    assert not panel(alt(119.99), bili(40.02)).hys_law
    not_above = panel(alt(120), bili(40))
    assert not not_above.hys_law and levels(not_above) == {"alt": M, "bilirubin": U}
    assert rules(not_above) == []


def test_hys_law_raises_only_the_transaminases_that_met_it() -> None:
    result = panel(alt(200), ast(100), bili(50), alp(150))  # AST r 2.5; ALP r 1.5
    assert levels(result) == {"alt": E, "ast": M, "bilirubin": E, "alp": R}
    assert [r.rule for r in result.results] == ["hys_law", None, "hys_law", None]
    both = panel(alt(200), ast(130), bili(50))
    assert levels(both) == {"alt": E, "ast": E, "bilirubin": E}
    assert levels(panel(ast(130), bili(50))) == {"ast": E, "bilirubin": E}


def test_alp_above_2_x_uln_blocks_hys_law() -> None:
    assert panel(alt(200), bili(50), alp(200)).hys_law  # ALP exactly 2 x ULN: no block
    blocked = panel(alt(200), bili(50), alp(200.01))
    assert not blocked.hys_law
    assert levels(blocked) == {"alt": U, "bilirubin": U, "alp": R}


def test_hys_law_needs_bilirubin_and_a_transaminase() -> None:
    assert not panel(alt(400), alp(100)).hys_law
    assert not panel(bili(100), alp(100)).hys_law
    assert not panel(bili(100)).hys_law


@pytest.mark.parametrize(("value", "takes_part"), [(200, True), (199.99, False)])
def test_an_alt_with_an_abnormal_baseline_must_have_doubled(value: float, takes_part: bool) -> None:
    # Baseline 100 (abnormal, ULN 40): r = 5 either way; b = 2 or just below.
    result = panel(alt(value, baseline=100), bili(50))
    assert result.hys_law is takes_part
    assert result.results[0].level is (E if takes_part else M)


@pytest.mark.parametrize(("value", "takes_part"), [(60, True), (59.99, False)])
def test_a_bilirubin_with_an_abnormal_baseline_must_have_doubled(
    value: float, takes_part: bool
) -> None:
    # Baseline 30 (abnormal, ULN 20): r = 3 either way; b = 2 or just below.
    result = panel(alt(200), bili(value, baseline=30))
    assert result.hys_law is takes_part
    assert levels(result)["bilirubin"] is (E if takes_part else U)


@pytest.mark.parametrize(("value", "blocks"), [(600, True), (599.99, False)])
def test_an_alp_with_an_abnormal_baseline_blocks_only_if_doubled(
    value: float, blocks: bool
) -> None:
    # ALP r = 6 > 2 either way; baseline 300 (abnormal, ULN 100): b = 2 or just below.
    result = panel(alt(200), bili(50), alp(value, baseline=300))
    assert result.hys_law is not blocks


def test_hys_law_with_normal_baselines_is_read_on_the_uln() -> None:
    result = panel(alt(120, baseline=40), bili(41, baseline=20))  # baselines at the ULN
    assert result.hys_law and levels(result) == {"alt": E, "bilirubin": E}


def test_stable_cirrhotic_liver_neither_trips_nor_hides() -> None:
    stable = panel(alt(130, baseline=125), bili(45, uln=21, baseline=44))
    assert not stable.hys_law
    new_injury = panel(alt(260, baseline=125), bili(90, uln=21, baseline=44))
    assert new_injury.hys_law and levels(new_injury) == {"alt": E, "bilirubin": E}


def test_hys_law_gives_no_reason_when_it_changes_no_level() -> None:
    result = panel(alt(900), bili(250))  # ALT r 22.5 and bilirubin r 12.5: both grade 4
    assert result.hys_law and levels(result) == {"alt": E, "bilirubin": E}
    assert rules(result) == []


# --- rule 2: the thyroid pattern -------------------------------------------------------------


def tsh(value: float) -> dict[str, Any]:
    return {"test": "tsh", "value": value, "unit": "mIU/L", "lln": 0.4, "uln": 4.0}


def ft4(value: float, unit: str = "pmol/L") -> dict[str, Any]:
    limits: dict[str, float] = (
        {"lln": 12, "uln": 22} if unit == "pmol/L" else {"lln": 0.93, "uln": 1.71}
    )
    return {"test": "ft4", "value": value, "unit": unit, **limits}


# (TSH, FT4 in pmol/L, pattern, TSH level, FT4 level)
THYROID = [
    (1.2, 7, "hypophysitis", U, U),
    (0.1, 7, "hypophysitis", U, U),  # low TSH too
    (4.0, 11.99, "hypophysitis", U, U),  # TSH at its ULN: "at or below"
    (4.01, 11.99, "primary_hypothyroidism", M, M),
    (12, 8, "primary_hypothyroidism", M, M),
    (0.05, 35, "thyrotoxicosis", M, M),
    (0.39, 22.01, "thyrotoxicosis", M, M),
    (0.4, 35, None, R, M),  # TSH at its LLN is not low: each alone
    (0.05, 22, None, M, R),  # FT4 at its ULN is not high
    (2.0, 12, None, R, R),  # FT4 at its LLN is not low
    (8, 35, None, M, M),  # high with high: each alone
    (8, 15, None, M, R),
    (2.0, 15, None, R, R),
]


@pytest.mark.parametrize(("tsh_value", "ft4_value", "pattern", "tsh_level", "ft4_level"), THYROID)
def test_thyroid_patterns(
    tsh_value: float, ft4_value: float, pattern: str | None, tsh_level: Level, ft4_level: Level
) -> None:
    result = panel(tsh(tsh_value), ft4(ft4_value))
    assert result.thyroid_pattern == pattern
    assert levels(result) == {"tsh": tsh_level, "ft4": ft4_level}
    assert [r.grade for r in result.results] == [None, None]
    assert [r.rule for r in result.results] == [pattern, pattern]
    # Only the hypophysitis pattern changes a level (both alone would be at most monitor).
    assert rules(result) == ([THYROID_TEMPLATES[pattern]] if pattern == "hypophysitis" else [])


def test_thyroid_pattern_in_ng_dl_and_in_either_order() -> None:
    central = panel(ft4(0.5, "ng/dL"), tsh(1.0))
    assert central.thyroid_pattern == "hypophysitis" and central.level is U
    assert panel(ft4(2.5, "ng/dL"), tsh(0.01)).thyroid_pattern == "thyrotoxicosis"
    assert panel(ft4(0.93, "ng/dL"), tsh(1.0)).thyroid_pattern is None  # at the LLN


def test_thyroid_pattern_needs_both_tests() -> None:
    assert panel(ft4(7)).results[0].level is M  # alone: below the LLN is monitor
    assert panel(tsh(1.2)).results[0].level is R


# --- rule 3: ALBI ----------------------------------------------------------------------------


def albumin(value: float, unit: str = "g/L", lln: float = 35) -> dict[str, Any]:
    return {"test": "albumin", "value": value, "unit": unit, "lln": lln}


def albi(*results: dict[str, Any]) -> tuple[Decimal, int, Decimal]:
    score = panel(*results).albi
    assert score is not None
    return score.value, score.grade, score.exact


@pytest.mark.parametrize(
    ("bilirubin", "albumin_g_l", "value", "grade"),
    [
        # 0.66 x log10(10^11) - 0.085 x 116 = 7.26 - 9.86: exactly -2.60, grade 1 ("<=").
        (10**11, 116, "-2.60", 1),
        (10**11, 116.01, "-2.60", 1),
        (10**11, 115.99, "-2.60", 2),  # -2.59915: shows -2.60, graded on the unrounded value
        (10**11, 115.9, "-2.59", 2),
        # 0.66 x log10(10^10) - 0.085 x 94 = 6.6 - 7.99: exactly -1.39, grade 2 ("<=").
        (10**10, 94, "-1.39", 2),
        (10**10, 94.01, "-1.39", 2),
        (10**10, 93.99, "-1.39", 3),  # -1.38915: shows -1.39, yet grade 3
        (10**10, 93.9, "-1.38", 3),
    ],
)
def test_albi_grade_bounds_use_the_unrounded_value(
    bilirubin: int, albumin_g_l: float, value: str, grade: int
) -> None:
    shown, graded, exact = albi(bili(bilirubin, uln=20), albumin(albumin_g_l))
    assert (shown, graded) == (Decimal(value), grade)
    # The rounded value is within 0.005 of the exact one (section 2's tolerance).
    assert abs(shown - exact) <= Decimal("0.005")


def test_albi_exact_bounds_are_exact() -> None:
    assert albi(bili(10**11, uln=20), albumin(116))[2] == Decimal("-2.60")
    assert albi(bili(10**10, uln=20), albumin(94))[2] == Decimal("-1.39")


@pytest.mark.parametrize(
    ("albumin_g_l", "value"), [(1, "-0.09"), (3, "-0.26"), (5, "-0.43"), (7, "-0.60")]
)
def test_albi_rounds_half_away_from_zero(albumin_g_l: int, value: str) -> None:
    # Bilirubin 1 umol/L: log10 is 0, so ALBI = -0.085 x albumin exactly (-0.085, -0.255...).
    shown, grade, exact = albi(bili(1, uln=20), albumin(albumin_g_l, lln=0.5))
    assert exact == Decimal("-0.085") * albumin_g_l
    assert shown == Decimal(value) and grade == 3


def test_albi_worked_example_and_units() -> None:
    in_mg = albi(bili(2.1, uln=1.2, unit="mg/dL"), albumin(34))
    assert (in_mg[0], in_mg[1]) == (Decimal("-1.86"), 2)
    in_umol = albi(bili(35.91, uln=20.52), albumin(3.4, "g/dL", lln=3.5))
    assert in_mg[2] == in_umol[2]
    assert len(in_mg[2].as_tuple().digits) >= 34  # Decimal with at least 34 digits


def test_albi_needs_both_tests_and_a_bilirubin_above_0() -> None:
    assert panel(bili(20), alt(20)).scores == {}
    assert panel(albumin(20)).scores == {}
    zero = panel(bili(0), albumin(20))
    assert zero.scores == {} and zero.as_dict()["scores"] == {}
    assert zero.albi is None


def test_albi_grade_3_raises_a_routine_panel_only() -> None:
    raised = panel(bili(20, uln=21), albumin(21, lln=20))
    assert raised.albi is not None and raised.albi.grade == 3
    assert raised.level is M and levels(raised) == {"bilirubin": R, "albumin": R}
    assert rules(raised) == [ALBI_TEMPLATE] and raised.suspected_irae == ()
    assert "-0.93" in str(raised.reasons[-1])
    already = panel(bili(70, uln=21), albumin(21, lln=20))  # bilirubin grade 2: urgent
    assert already.level is U and rules(already) == []
    grade_2 = panel(bili(20, uln=21), albumin(30, lln=20))
    assert grade_2.albi is not None and grade_2.albi.grade == 2 and grade_2.level is R


def test_albi_as_dict() -> None:
    result = panel(bili(2.1, uln=1.2, unit="mg/dL"), albumin(34)).as_dict()
    assert result["scores"] == {"albi": {"value": -1.86, "grade": 2}}
    assert isinstance(result["scores"]["albi"]["value"], float)


# --- rule 4, drugs and flags -----------------------------------------------------------------


def test_panel_level_is_the_highest_result_level() -> None:
    result = panel(alt(100), {"test": "platelets", "value": 20, "unit": "10^9/L", "lln": 150})
    assert levels(result) == {"alt": M, "platelets": E} and result.level is E
    # No "two ambers make a red" for labs.
    two = panel(alt(100), {"test": "inr", "value": 1.8, "unit": "ratio"})
    assert levels(two) == {"alt": M, "inr": M} and two.level is M


@pytest.mark.parametrize("regimen", [None, [], ["pembrolizumab"], ["sorafenib", "durvalumab"]])
def test_irae_flag_with_an_ici_or_an_unknown_regimen(regimen: list[str] | None) -> None:
    body: dict[str, Any] = {"results": [alt(100)]}
    if regimen is not None:
        body["regimen"] = regimen
    result = assess_labs(body)
    assert result.results[0].irae == "hepatic" and result.suspected_irae == ("hepatic",)
    assert assess_labs({**body, "regimen": None}).results[0].irae == "hepatic"


@pytest.mark.parametrize(
    "regimen", [["sorafenib"], ["oxaliplatin"], ["bevacizumab", "capecitabine"]]
)
def test_no_irae_flag_without_an_ici(regimen: list[str]) -> None:
    result = panel(alt(100), {"test": "glucose", "value": 20, "unit": "mg/dL"}, regimen=regimen)
    assert [r.irae for r in result.results] == [None, None] and result.suspected_irae == ()
    assert [r.level for r in result.results] == [M, E]


def test_irae_is_null_while_routine() -> None:
    result = panel(
        alp(200), albumin(30), {"test": "sodium", "value": 128, "unit": "mmol/L", "lln": 135}
    )
    assert [(r.grade, r.level, r.irae) for r in result.results] == [
        (1, R, None),
        (1, R, None),
        (2, M, None),  # sodium has no irAE category
    ]


@pytest.mark.parametrize("drug", sorted(MULTI_KINASE_INHIBITORS))
def test_tki_flag_on_thyroid_tests(drug: str) -> None:
    result = panel(tsh(9.0), ft4(8), regimen=[drug, "nivolumab"])
    assert [r.anti_vegf for r in result.results] == [True, True]
    assert "multi-kinase" in str(result.reasons[0])


@pytest.mark.parametrize("drug", ["bevacizumab", "ramucirumab"])
def test_anti_vegf_antibodies_do_not_flag_thyroid_tests(drug: str) -> None:
    result = panel(
        tsh(9.0),
        ft4(8),
        {"test": "urine_protein", "value": "1+", "unit": "dipstick"},
        regimen=[drug],
    )
    assert [r.anti_vegf for r in result.results] == [False, False, True]


def test_multi_kinase_inhibitors_are_the_anti_vegf_small_molecules() -> None:
    anti_vegf = {code for code, cls in DRUGS.items() if cls is DrugClass.ANTI_VEGF}
    assert anti_vegf - MULTI_KINASE_INHIBITORS == {"bevacizumab", "ramucirumab"}
    assert anti_vegf >= MULTI_KINASE_INHIBITORS


def test_anti_vegf_flag_does_not_depend_on_the_level_or_the_ici() -> None:
    urine = {"test": "urine_protein", "value": "negative", "unit": "dipstick"}
    assert panel(urine, regimen=["sorafenib"]).results[0].anti_vegf
    assert panel(urine, regimen=["bevacizumab"]).results[0].level is R
    assert not panel(urine, regimen=None).results[0].anti_vegf  # unknown: no anti-VEGF
    assert not panel(urine, regimen=["atezolizumab"]).results[0].anti_vegf
    assert not panel(alt(100), regimen=["sorafenib"]).results[0].anti_vegf  # not an AV test


def test_a_drug_listed_twice_counts_once() -> None:
    twice = panel(tsh(9.0), alt(100), regimen=["lenvatinib", "lenvatinib"])
    once = panel(tsh(9.0), alt(100), regimen=["lenvatinib"])
    assert twice.as_dict() == once.as_dict()
    assert [r.irae for r in once.results] == [None, None]


# --- reasons ---------------------------------------------------------------------------------


def test_one_reason_per_result_above_routine_then_one_per_rule_in_order() -> None:
    result = panel(
        alt(200),
        alp(150),
        bili(50),
        {"test": "albumin", "value": 20, "unit": "g/L", "lln": 35},
        tsh(1.0),
        ft4(7),
    )
    assert [r.test for r in result.reasons] == [
        "alt",
        "bilirubin",
        "albumin",
        "tsh",
        "ft4",
        None,
        None,
    ]
    assert rules(result) == [HYS_LAW_TEMPLATE, THYROID_TEMPLATES["hypophysitis"]]
    assert result.as_dict()["reasons"] == [str(reason) for reason in result.reasons]


def test_reasons_in_english() -> None:
    (reason,) = panel(alt(150, baseline=60)).reasons
    assert str(reason) == (
        "ALT grade 1 (2.5 x the patient's abnormal baseline of 60 U/L): monitor (amber); "
        "possibly immune-related: liver (possible hepatitis)."
    )
    (reason,) = panel(bili(2.1, uln=1.2, unit="mg/dL")).reasons
    assert str(reason).startswith("Bilirubin grade 2 (1.75 x ULN): urgent (red)")
    (floor,) = panel(alt(1000, baseline=300)).reasons
    assert "25 x ULN" in str(floor) and "emergency" in str(floor)


def test_ratios_in_reasons_never_show_a_bound_the_grade_is_past() -> None:
    (reason,) = panel(bili(30.001)).reasons  # r = 1.50005: grade 2
    assert "grade 2 (1.5001 x ULN)" in str(reason)  # not "1.5"
    (reason,) = panel(bili(30.2)).reasons
    assert "grade 2 (1.51 x ULN)" in str(reason)
    (reason,) = panel(bili(30.00000002)).reasons  # r = 1.500000001
    assert "grade 2 (1.500000001 x ULN)" in str(reason)
    (reason,) = panel(bili(30)).reasons  # exactly on the bound: grade 1, printed as it is
    assert "grade 1 (1.5 x ULN)" in str(reason)


def test_sodium_grade_2_reason_says_grade_3_and_urgent_with_symptoms() -> None:
    for value in (125, 127, 129.9):
        (reason,) = panel({"test": "sodium", "value": value, "unit": "mmol/L", "lln": 135}).reasons
        assert reason.template == SODIUM_GRADE_2_TEMPLATE
        text = str(reason)
        assert "grade 2" in text and "grade 3" in text and "urgent" in text and "symptoms" in text
    (other,) = panel({"test": "sodium", "value": 124, "unit": "mmol/L", "lln": 135}).reasons
    assert other.template != SODIUM_GRADE_2_TEMPLATE and "grade 3" in str(other)


def test_glucose_reasons() -> None:
    (high,) = panel({"test": "glucose", "value": 300, "unit": "mg/dL"}).reasons
    assert "above 250 mg/dL" in str(high) and "ketones" in str(high) and "diabetes" in str(high)
    (plain,) = panel(
        {"test": "glucose", "value": 600, "unit": "mg/dL"}, regimen=["sorafenib"]
    ).reasons
    assert "above 500 mg/dL" in str(plain) and "ketones" in str(plain)
    assert "immune" not in str(plain)


def test_reasons_render_through_a_translator() -> None:
    vietnamese = {
        "ALT": "ALT",
        "monitor (amber)": "theo dõi (vàng)",
        "possibly immune-related: liver (possible hepatitis)": "có thể liên quan miễn dịch: gan",
        "%(test)s grade %(grade)s (%(ratio)s x ULN): %(level)s; %(note)s.": (
            "%(test)s độ %(grade)s (%(ratio)s x ULN): %(level)s; %(note)s."
        ),
    }
    (reason,) = panel(alt(100)).reasons
    assert reason.render(lambda text: vietnamese.get(text, text)) == (
        "ALT độ 1 (2.5 x ULN): theo dõi (vàng); có thể liên quan miễn dịch: gan."
    )
    assert reason.test == "alt" and reason.symptom is None
    # Params are flat JSON values, so the web layer can store and re-render the reason.
    assert all(isinstance(value, str | int) for value in reason.params.values())
