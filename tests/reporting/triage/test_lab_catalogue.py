"""The lab catalogue against the contract's table (docs/LABS-2026.2.md section 3) row by row,
the public API and its output shape, purity, translation markers and the docs. Runs without
Django."""

from __future__ import annotations

import ast
import json
import re
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

import reporting.triage as triage
from reporting.triage import (
    DIPSTICK_CHOICES,
    IRAE_CATEGORIES,
    LAB_CATALOGUE,
    LAB_IRAE_CATEGORIES,
    LAB_RULESET,
    RULESET,
    LabResult,
    Level,
    assess_labs,
)
from reporting.triage.labs import reasons
from reporting.triage.labs.catalogue import OUT_OF_SCOPE

PACKAGE = Path(triage.__file__).parent / "labs"
ROOT = PACKAGE.parents[2]
ATEZO_BEV = ["atezolizumab", "bevacizumab"]
R, M, U, E = Level.ROUTINE, Level.MONITOR, Level.URGENT, Level.EMERGENCY

CONTRACT_ORDER = [
    "alt",
    "ast",
    "bilirubin",
    "alp",
    "creatinine",
    "platelets",
    "neutrophils",
    "hemoglobin",
    "albumin",
    "sodium",
    "inr",
    "urine_protein",
    "tsh",
    "ft4",
    "glucose",
]
# test: units (canonical first) with their factor to it ("-": no conversion), required
# limits, allowed limits, baseline allowed, irae, AV column, direction.
TABLE: dict[str, tuple[str, str, str, bool, str | None, str | None, str]] = {
    "alt": ("U/L:1", "uln", "uln lln", True, "hepatic", None, "increased"),
    "ast": ("U/L:1", "uln", "uln lln", True, "hepatic", None, "increased"),
    "bilirubin": ("umol/L:1 mg/dL:17.1", "uln", "uln lln", True, "hepatic", None, "increased"),
    "alp": ("U/L:1", "uln", "uln lln", True, "hepatic", None, "increased"),
    "creatinine": ("umol/L:1 mg/dL:88.4", "uln", "uln lln", True, "renal", None, "increased"),
    "platelets": (
        "10^9/L:1 10^3/uL:1 /mm3:0.001", "lln", "uln lln", False, "hematologic", None, "decreased",
    ),
    "neutrophils": (
        "10^9/L:1 10^3/uL:1 /mm3:0.001", "lln", "uln lln", False, "hematologic", None, "decreased",
    ),
    "hemoglobin": ("g/L:1 g/dL:10", "lln", "uln lln", False, "hematologic", None, "decreased"),
    "albumin": ("g/L:1 g/dL:10", "lln", "uln lln", False, None, None, "decreased"),
    "sodium": ("mmol/L:1", "lln", "uln lln", False, None, None, "decreased"),
    "inr": ("ratio:1", "", "", False, None, None, "increased"),
    "urine_protein": ("dipstick:- g/24h:-", "", "", False, "renal", "yes", "increased"),
    "tsh": ("mIU/L:1", "uln lln", "uln lln", False, "endocrine", "tki", "both"),
    "ft4": ("pmol/L:1 ng/dL:12.87", "uln lln", "uln lln", False, "endocrine", "tki", "both"),
    "glucose": ("mg/dL:1 mmol/L:-", "", "uln lln", False, "endocrine", None, "both"),
}  # fmt: skip


def test_catalogue_is_the_contract_table_in_its_order() -> None:
    assert list(LAB_CATALOGUE) == CONTRACT_ORDER == list(TABLE)
    assert all(code == test.code for code, test in LAB_CATALOGUE.items())


@pytest.mark.parametrize("code", CONTRACT_ORDER)
def test_catalogue_row(code: str) -> None:
    units, required, allowed, baseline, irae, anti_vegf, direction = TABLE[code]
    test = LAB_CATALOGUE[code]
    described = " ".join(f"{u.code}:{u.factor_text or '-'}" for u in test.units)
    assert described == units
    assert test.canonical_unit == units.split(":")[0]
    for unit in test.units:
        assert unit.factor == (None if unit.factor_text is None else Fraction(unit.factor_text))
    assert set(test.required_limits) == set(required.split())
    assert set(test.allowed_limits) == set(allowed.split()) >= set(test.required_limits)
    assert test.takes_limits is bool(allowed)
    assert (test.baseline_allowed, test.irae, test.anti_vegf, test.direction) == (
        baseline,
        irae,
        anti_vegf,
        direction,
    )
    assert test.label and test.short_label
    assert test.unit(test.canonical_unit) is test.units[0]
    with pytest.raises(KeyError):
        test.unit("furlongs")


def test_only_the_dipstick_takes_strings() -> None:
    dipsticks = [(c, u.code) for c, t in LAB_CATALOGUE.items() for u in t.units if u.is_dipstick]
    assert dipsticks == [("urine_protein", "dipstick")]
    codes = [choice.code for choice in DIPSTICK_CHOICES]
    assert codes == ["negative", "trace", "1+", "2+", "3+", "4+"]


def one(test: str, regimen: list[str] | None = None, **fields: Any) -> LabResult:
    body = {
        "regimen": ATEZO_BEV if regimen is None else regimen,
        "results": [{"test": test, **fields}],
    }
    (result,) = assess_labs(body).results
    return result


# Each row's level column, grade by grade (G1/G2/G3/G4), on atezolizumab + bevacizumab:
# test -> (unit, limits, [(value, grade, level), ...]).
LEVEL_COLUMNS: dict[str, tuple[str, dict[str, Any], list[tuple[float, int, Level]]]] = {
    "alt": ("U/L", {"uln": 10}, [(11, 1, M), (40, 2, U), (60, 3, U), (210, 4, E)]),
    "ast": ("U/L", {"uln": 10}, [(11, 1, M), (40, 2, U), (60, 3, U), (210, 4, E)]),
    "bilirubin": ("umol/L", {"uln": 10}, [(12, 1, M), (20, 2, U), (40, 3, U), (110, 4, E)]),
    "alp": ("U/L", {"uln": 10}, [(11, 1, R), (30, 2, M), (60, 3, U), (210, 4, U)]),
    "creatinine": ("umol/L", {"uln": 10}, [(12, 1, M), (20, 2, U), (40, 3, U), (70, 4, E)]),
    "platelets": ("10^9/L", {"lln": 150}, [(100, 1, R), (60, 2, M), (30, 3, U), (10, 4, E)]),
    "neutrophils": ("10^9/L", {"lln": 2}, [(1.7, 1, R), (1.2, 2, M), (0.7, 3, U), (0.2, 4, E)]),
    "hemoglobin": ("g/L", {"lln": 130}, [(110, 1, R), (90, 2, M), (70, 3, U)]),
    "albumin": ("g/L", {"lln": 35}, [(32, 1, R), (25, 2, M), (15, 3, M)]),
    "sodium": ("mmol/L", {"lln": 135}, [(132, 1, R), (127, 2, M), (122, 3, U), (115, 4, E)]),
    "inr": ("ratio", {}, [(1.3, 1, R), (2, 2, M), (3, 3, U)]),
    "urine_protein": ("g/24h", {}, [(0.5, 1, R), (2, 2, M), (4, 3, U)]),
    "glucose": ("mg/dL", {"lln": 70}, [(60, 1, M), (45, 2, E), (35, 3, E), (20, 4, E)]),
}


@pytest.mark.parametrize("code", list(LEVEL_COLUMNS))
def test_level_columns(code: str) -> None:
    unit, limits, column = LEVEL_COLUMNS[code]
    for value, grade, level in column:
        result = one(code, value=value, unit=unit, **limits)
        assert (result.grade, result.level) == (grade, level), value
        assert result.irae == (LAB_CATALOGUE[code].irae if level > R else None)
    assert LAB_CATALOGUE[code].max_grade == column[-1][1]


def test_level_columns_cover_every_graded_test() -> None:
    graded = {code for code, test in LAB_CATALOGUE.items() if test.levels}
    assert graded == set(LEVEL_COLUMNS)
    assert {code for code, test in LAB_CATALOGUE.items() if not test.levels} == {"tsh", "ft4"}


def test_lab_irae_categories() -> None:
    assert set(LAB_IRAE_CATEGORIES) == {t.irae for t in LAB_CATALOGUE.values() if t.irae}
    for category in ("endocrine", "hepatic", "renal"):
        assert LAB_IRAE_CATEGORIES[category] == IRAE_CATEGORIES[category]
    assert "hematologic" not in IRAE_CATEGORIES  # the symptom catalogue is unchanged


def test_every_flag_combination_has_a_closing_clause() -> None:
    for test in LAB_CATALOGUE.values():
        for irae in {test.irae, None}:
            for column in {test.anti_vegf, None}:
                if irae or column:
                    assert (irae, column) in reasons.NOTES, (test.code, irae, column)


def test_out_of_scope_tests_are_not_in_the_catalogue() -> None:
    assert {"troponin", "ck", "cortisol", "lipase", "potassium"} == OUT_OF_SCOPE
    assert not OUT_OF_SCOPE & set(LAB_CATALOGUE)


# --- API and output shape --------------------------------------------------------------------


def test_public_api() -> None:
    for name in (
        "assess_labs",
        "validate_labs",
        "LabAssessment",
        "LabResult",
        "AlbiScore",
        "LabTestDef",
        "UnitDef",
        "LAB_CATALOGUE",
        "LAB_IRAE_CATEGORIES",
        "LAB_RULESET",
        "DIPSTICK_CHOICES",
        "assess",
        "Reason",
        "TriageValidationError",
        "FieldError",
    ):
        assert hasattr(triage, name) and name in triage.__all__, name
    assert LAB_RULESET == "2026.2" and RULESET == "2026.1"


def test_as_dict_has_exactly_the_contract_shape() -> None:
    panel = {
        "regimen": ATEZO_BEV,
        "results": [
            {"test": "alt", "value": 150, "unit": "U/L", "uln": 40, "baseline": 60},
            {"test": "bilirubin", "value": 2.1, "unit": "mg/dL", "uln": 1.2},
            {"test": "albumin", "value": 34, "unit": "g/L", "lln": 35},
        ],
    }
    assessment = assess_labs(panel)
    result = assessment.as_dict()
    assert result == {
        "level": "urgent",
        "suspected_irae": ["hepatic"],
        "results": [
            {"test": "alt", "grade": 1, "level": "monitor", "irae": "hepatic", "anti_vegf": False},
            {
                "test": "bilirubin",
                "grade": 2,
                "level": "urgent",
                "irae": "hepatic",
                "anti_vegf": False,
            },
            {"test": "albumin", "grade": 1, "level": "routine", "irae": None, "anti_vegf": False},
        ],
        "scores": {"albi": {"value": -1.86, "grade": 2}},
        "reasons": result["reasons"],
        "ruleset": "2026.2",
    }
    assert result["reasons"][0].startswith("ALT grade 1 (2.5 x the patient's abnormal baseline")
    assert result["reasons"][1].startswith("Bilirubin grade 2 (1.75 x ULN)")
    assert len(result["reasons"]) == 2
    assert assessment.to_dict() == result
    assert json.loads(json.dumps(result)) == result


def test_lab_result_details_for_the_product() -> None:
    alt, bilirubin, albumin = assess_labs(
        {
            "results": [
                {"test": "alt", "value": 150, "unit": "U/L", "uln": 40, "baseline": 60},
                {"test": "bilirubin", "value": 2.1, "unit": "mg/dL", "uln": 1.2},
                {"test": "albumin", "value": 3.4, "unit": "g/dL", "lln": 3.5},
            ]
        }
    ).results
    assert (alt.uln_ratio, alt.baseline_ratio, alt.ratio) == (
        Fraction(15, 4),
        Fraction(5, 2),
        Fraction(5, 2),
    )
    assert (alt.baseline_abnormal, alt.baseline_used, alt.floor_applied, alt.rule) == (
        True,
        True,
        False,
        None,
    )
    assert (bilirubin.value, bilirubin.unit, bilirubin.canonical_unit) == (2.1, "mg/dL", "umol/L")
    assert bilirubin.canonical_value == Fraction("35.91") and bilirubin.ratio == Fraction(7, 4)
    assert (albumin.canonical_value, albumin.uln_ratio, albumin.ratio) == (34, None, None)


# --- purity and translation markers ----------------------------------------------------------

SOURCES = sorted(PACKAGE.glob("*.py"))


def test_the_lab_package_is_pure_python_and_never_divides_in_binary() -> None:
    assert len(SOURCES) >= 7
    floats: list[str] = []
    divisions: set[str] = set()
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 0:
                assert node.module is not None and not node.module.startswith("django"), path.name
            if isinstance(node, ast.Import):
                assert not any(alias.name.startswith("django") for alias in node.names)
            if isinstance(node, ast.Name):
                assert node.id not in ("open", "print", "input", "math"), (
                    f"{path.name}:{node.lineno}"
                )
            if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
                divisions.add(path.name)
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "float":
                floats.append(path.name)
            if isinstance(node, ast.Global):
                raise AssertionError(f"{path.name}:{node.lineno} mutates a global")
        assert len(path.read_text(encoding="utf-8").splitlines()) <= 420, path.name
    # The one float(): the rounded ALBI handed to JSON, after every comparison is made.
    assert floats == ["albi.py"]
    # No "/" on numbers of the panel: ratios are exact pairs compared by cross-multiplying;
    # the only divisions are of Decimals, in ALBI's 45-digit context.
    assert divisions <= {"albi.py"}


def _marked_literals() -> set[str]:
    marked: set[str] = set()
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "gettext_noop":
                (argument,) = node.args
                assert isinstance(argument, ast.Constant) and isinstance(argument.value, str)
                marked.add(argument.value)
    return marked


MARKED = _marked_literals()


def _lab_texts() -> list[str]:
    texts = [text for test in LAB_CATALOGUE.values() for text in (test.label, test.short_label)]
    texts += [choice.label for choice in DIPSTICK_CHOICES if not choice.label[0].isdigit()]
    texts += [LAB_IRAE_CATEGORIES["hematologic"]]
    texts += [t for pair in reasons.RESULT_TEMPLATES.values() for t in pair]
    texts += [reasons.SODIUM_GRADE_2_TEMPLATE, *reasons.NOTES.values()]
    texts += [*reasons.PATTERN_PHRASES.values(), *reasons.RULE_TEMPLATES]
    return texts


def test_every_plain_language_text_is_marked_for_translation() -> None:
    texts = _lab_texts()
    assert len(texts) > 60
    assert [text for text in texts if text not in MARKED] == []


def test_marked_templates_use_named_placeholders_only() -> None:
    for text in MARKED:
        assert "%" not in re.sub(r"%\(\w+\)s", "", text), text


# --- docs ------------------------------------------------------------------------------------


def test_clinical_docs_cover_every_lab_test_and_unit() -> None:
    docs = (ROOT / "docs" / "clinical.md").read_text(encoding="utf-8")
    assert LAB_RULESET in docs and "python manage.py assess_labs" in docs
    assert "Laboratory results (ruleset 2026.2)" in docs
    for code, test in LAB_CATALOGUE.items():
        assert f"`{code}`" in docs, code
        for unit in test.units:
            assert f"`{unit.code}`" in docs, (code, unit.code)
    for words in ("Hy's law", "ALBI", "hypophysitis", "Fraction", "Decimal", "baseline"):
        assert words in docs, words
    contract = (ROOT / "docs" / "LABS-2026.2.md").read_text(encoding="utf-8")
    assert contract.startswith("# Laboratory triage reference (ruleset 2026.2)")
