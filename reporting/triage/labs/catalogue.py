"""The laboratory test catalogue of ruleset 2026.2 (docs/LABS-2026.2.md section 3).

One ``LabTestDef`` per test: what a result of it may hold (units and their factors, which
reference limits are required or allowed, whether a baseline is), its plain-language labels
(marked for translation), its irAE category, its anti-VEGF column and the direction in which
it worsens. The validator and the Django layer (forms: unit choices, required limits) read it;
the grade bands themselves live in ``grading.py`` next to the code that applies them.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from ..catalogue import IRAE_CATEGORIES, Choice
from ..i18n import gettext_noop
from ..levels import Level

Limit = Literal["uln", "lln"]
AntiVegfColumn = Literal["yes", "tki"]
# "increased": a higher value is worse; "decreased": a lower value is worse; "both": either
# way out of range is worse (glucose, and TSH/FT4 whose levels follow section 5 rule 2).
Direction = Literal["increased", "decreased", "both"]
# How the grade is read: from ratios to the ULN (and the baseline), from the value below the
# LLN, from the value alone, or not at all (TSH, FT4; glucose only when low).
Grading = Literal["ratio", "below_lln", "value", "not_graded", "low_only"]

LIMITS: tuple[Limit, ...] = ("uln", "lln")
RESULT_KEYS = ("test", "value", "unit", "uln", "lln", "baseline")

LAB_IRAE_CATEGORIES: dict[str, str] = {
    "endocrine": IRAE_CATEGORIES["endocrine"],
    "hematologic": gettext_noop("blood cells (possible immune-related cytopenia)"),
    "hepatic": IRAE_CATEGORIES["hepatic"],
    "renal": IRAE_CATEGORIES["renal"],
}

# Urine protein on a dipstick, from the least to the most protein.
DIPSTICK_CHOICES: tuple[Choice, ...] = (
    Choice("negative", gettext_noop("Negative")),
    Choice("trace", gettext_noop("Trace")),
    Choice("1+", "1+"),
    Choice("2+", "2+"),
    Choice("3+", "3+"),
    Choice("4+", "4+"),
)
DIPSTICK_CODES: tuple[str, ...] = tuple(choice.code for choice in DIPSTICK_CHOICES)


@dataclass(frozen=True, slots=True)
class UnitDef:
    """One unit a test may be reported in.

    ``factor`` converts a value in this unit to the test's canonical unit (canonical value =
    value x factor; 1 for the canonical unit itself), as an exact ``Fraction`` of the decimal
    the contract prints (``factor_text``). It is None where the contract gives no conversion:
    glucose in mmol/L (read against its own cut-offs), urine protein in g/24h, and the
    dipstick, whose ``choices`` are the allowed string values.
    """

    code: str
    factor_text: str | None = "1"
    choices: tuple[Choice, ...] = ()

    @property
    def factor(self) -> Fraction | None:
        return None if self.factor_text is None else Fraction(self.factor_text)

    @property
    def is_dipstick(self) -> bool:
        return bool(self.choices)


@dataclass(frozen=True, slots=True)
class LabTestDef:
    """Everything the validator and the forms need about one laboratory test.

    ``units`` lists the canonical unit first. ``required_limits`` must be given;
    ``allowed_limits`` (a superset) may be; a test with none takes no limit at all.
    ``anti_vegf`` is the AV column: "yes" (any anti-VEGF / multi-kinase drug), "tki" (the
    multi-kinase inhibitors only) or None. ``direction`` says which way the value worsens.
    """

    code: str
    label: str
    short_label: str
    units: tuple[UnitDef, ...]
    required_limits: tuple[Limit, ...]
    allowed_limits: tuple[Limit, ...]
    baseline_allowed: bool
    irae: str | None
    anti_vegf: AntiVegfColumn | None
    direction: Direction
    grading: Grading
    # Level for each grade, index = grade (0 is always routine); () when not graded.
    levels: tuple[Level, ...] = ()

    @property
    def canonical_unit(self) -> str:
        return self.units[0].code

    @property
    def unit_codes(self) -> tuple[str, ...]:
        return tuple(unit.code for unit in self.units)

    @property
    def takes_limits(self) -> bool:
        return bool(self.allowed_limits)

    @property
    def max_grade(self) -> int | None:
        return len(self.levels) - 1 if self.levels else None

    def unit(self, code: str) -> UnitDef:
        """The unit called ``code`` (KeyError when the test has none)."""
        for unit in self.units:
            if unit.code == code:
                return unit
        raise KeyError(code)


R, M, U, E = Level.ROUTINE, Level.MONITOR, Level.URGENT, Level.EMERGENCY

_U_L = (UnitDef("U/L"),)
_CELLS = (UnitDef("10^9/L"), UnitDef("10^3/uL", "1"), UnitDef("/mm3", "0.001"))
_GRAMS = (UnitDef("g/L"), UnitDef("g/dL", "10"))
_BY_ULN: tuple[Limit, ...] = ("uln",)
_BY_LLN: tuple[Limit, ...] = ("lln",)


def _uln_test(
    code: str,
    label: str,
    short_label: str,
    units: tuple[UnitDef, ...],
    irae: str,
    levels: tuple[Level, ...],
) -> LabTestDef:
    """A test graded by its ratio to the ULN (and to an abnormal baseline)."""
    return LabTestDef(
        code,
        label,
        short_label,
        units,
        required_limits=_BY_ULN,
        allowed_limits=LIMITS,
        baseline_allowed=True,
        irae=irae,
        anti_vegf=None,
        direction="increased",
        grading="ratio",
        levels=levels,
    )


def _lln_test(
    code: str,
    label: str,
    short_label: str,
    units: tuple[UnitDef, ...],
    irae: str | None,
    levels: tuple[Level, ...],
) -> LabTestDef:
    """A test graded by absolute bands below its LLN."""
    return LabTestDef(
        code,
        label,
        short_label,
        units,
        required_limits=_BY_LLN,
        allowed_limits=LIMITS,
        baseline_allowed=False,
        irae=irae,
        anti_vegf=None,
        direction="decreased",
        grading="below_lln",
        levels=levels,
    )


_LIVER_LEVELS = (R, M, U, U, E)

ALT = _uln_test(
    "alt", gettext_noop("ALT (alanine aminotransferase)"), gettext_noop("ALT"), _U_L, "hepatic",
    _LIVER_LEVELS,
)  # fmt: skip
AST = _uln_test(
    "ast", gettext_noop("AST (aspartate aminotransferase)"), gettext_noop("AST"), _U_L,
    "hepatic", _LIVER_LEVELS,
)  # fmt: skip
BILIRUBIN = _uln_test(
    "bilirubin", gettext_noop("Total bilirubin"), gettext_noop("Bilirubin"),
    (UnitDef("umol/L"), UnitDef("mg/dL", "17.1")), "hepatic", _LIVER_LEVELS,
)  # fmt: skip
ALP = _uln_test(
    "alp", gettext_noop("ALP (alkaline phosphatase)"), gettext_noop("ALP"), _U_L, "hepatic",
    (R, R, M, U, U),
)  # fmt: skip
CREATININE = _uln_test(
    "creatinine", gettext_noop("Creatinine"), gettext_noop("Creatinine"),
    (UnitDef("umol/L"), UnitDef("mg/dL", "88.4")), "renal", _LIVER_LEVELS,
)  # fmt: skip
PLATELETS = _lln_test(
    "platelets", gettext_noop("Platelet count"), gettext_noop("Platelets"), _CELLS,
    "hematologic", (R, R, M, U, E),
)  # fmt: skip
NEUTROPHILS = _lln_test(
    "neutrophils", gettext_noop("Neutrophil count (absolute)"), gettext_noop("Neutrophils"),
    _CELLS, "hematologic", (R, R, M, U, E),
)  # fmt: skip
HEMOGLOBIN = _lln_test(
    "hemoglobin", gettext_noop("Haemoglobin"), gettext_noop("Haemoglobin"), _GRAMS,
    "hematologic", (R, R, M, U),
)  # fmt: skip
ALBUMIN = _lln_test(
    "albumin", gettext_noop("Albumin"), gettext_noop("Albumin"), _GRAMS, None, (R, R, M, M)
)
SODIUM = _lln_test(
    "sodium", gettext_noop("Sodium"), gettext_noop("Sodium"), (UnitDef("mmol/L"),), None,
    (R, R, M, U, E),
)  # fmt: skip
INR = LabTestDef(
    "inr",
    gettext_noop("INR (prothrombin time ratio)"),
    gettext_noop("INR"),
    (UnitDef("ratio"),),
    required_limits=(),
    allowed_limits=(),
    baseline_allowed=False,
    irae=None,
    anti_vegf=None,
    direction="increased",
    grading="value",
    levels=(R, R, M, U),
)
URINE_PROTEIN = LabTestDef(
    "urine_protein",
    gettext_noop("Urine protein"),
    gettext_noop("Urine protein"),
    # Two scales that do not convert into each other: a dipstick code, or grams a day.
    (UnitDef("dipstick", None, DIPSTICK_CHOICES), UnitDef("g/24h", None)),
    required_limits=(),
    allowed_limits=(),
    baseline_allowed=False,
    irae="renal",
    anti_vegf="yes",
    direction="increased",
    grading="value",
    levels=(R, R, M, U),
)
TSH = LabTestDef(
    "tsh",
    gettext_noop("TSH (thyroid-stimulating hormone)"),
    gettext_noop("TSH"),
    (UnitDef("mIU/L"),),
    required_limits=LIMITS,
    allowed_limits=LIMITS,
    baseline_allowed=False,
    irae="endocrine",
    anti_vegf="tki",
    direction="both",
    grading="not_graded",
)
FT4 = LabTestDef(
    "ft4",
    gettext_noop("Free T4 (free thyroxine)"),
    gettext_noop("FT4"),
    (UnitDef("pmol/L"), UnitDef("ng/dL", "12.87")),
    required_limits=LIMITS,
    allowed_limits=LIMITS,
    baseline_allowed=False,
    irae="endocrine",
    anti_vegf="tki",
    direction="both",
    grading="not_graded",
)
GLUCOSE = LabTestDef(
    "glucose",
    gettext_noop("Blood glucose"),
    gettext_noop("Glucose"),
    (UnitDef("mg/dL"), UnitDef("mmol/L", None)),
    required_limits=(),
    allowed_limits=LIMITS,
    baseline_allowed=False,
    irae="endocrine",
    anti_vegf=None,
    direction="both",
    grading="low_only",
    # Low glucose (hypoglycaemia) only: G1 monitor, G2-G4 emergency. High glucose has no
    # grade; its levels are in grading.py.
    levels=(R, M, E, E, E),
)

LAB_TESTS: tuple[LabTestDef, ...] = (
    ALT, AST, BILIRUBIN, ALP, CREATININE, PLATELETS, NEUTROPHILS, HEMOGLOBIN, ALBUMIN, SODIUM,
    INR, URINE_PROTEIN, TSH, FT4, GLUCOSE,
)  # fmt: skip

# In the contract's table order: forms list the tests in this order.
LAB_CATALOGUE: dict[str, LabTestDef] = {test.code: test for test in LAB_TESTS}

# Tests the contract names as out of scope (refused as unknown, with a pointer to why).
OUT_OF_SCOPE: frozenset[str] = frozenset({"troponin", "ck", "cortisol", "lipase", "potassium"})
