"""Laboratory ruleset 2026.2: grades each result (``grading.py``), then applies the rules
across results of docs/LABS-2026.2.md section 5 in order (``rules.py``): Hy's law, the
thyroid pattern, ALBI, and the panel's level.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, NamedTuple

from ..drugs import MULTI_KINASE_INHIBITORS, regimen_of
from ..engine import Reason
from ..levels import LEVELS_BY_RANK, Level
from .albi import AlbiScore, albi
from .exact import Pair
from .grading import GRADERS, MONITOR, ROUTINE, Graded, Parsed
from .reasons import ALBI_TEMPLATE, HYS_LAW_TEMPLATE, THYROID_TEMPLATES, result_reason
from .rules import hys_law, thyroid
from .validation import parse_panel

LAB_RULESET = "2026.2"


def _fraction(pair: Pair | None) -> Fraction | None:
    return None if pair is None else Fraction(pair[0], pair[1])


class LabResult(NamedTuple):
    """The outcome for one result of the panel (after the rules across results).

    Immutable (a named tuple: thousands are built a second, and a frozen dataclass of this
    size costs several times more). The first five fields are the contract's output; the
    others are for the product:

    - ``value`` and ``unit`` as given; ``canonical_unit`` the test's canonical unit;
    - ``baseline_abnormal``: a baseline above the ULN was given; ``baseline_used``: the grade
      was read from b (an abnormal liver baseline, or a creatinine baseline that gave the
      higher grade);
    - ``floor_applied``: the ULN floor (ALT/AST r > 10 or 20, bilirubin r > 3 or 10) raised
      the level above what the baseline grade gave;
    - ``rule``: the rule of section 5 that the result met ("hys_law", "hypophysitis",
      "primary_hypothyroidism", "thyrotoxicosis"), or None;
    - ``uln_ratio_pair``, ``baseline_ratio_pair``, ``canonical_pair``: r, b and the value in
      the canonical unit as exact ``(numerator, denominator)`` ints; the properties
      ``uln_ratio``, ``baseline_ratio``, ``ratio`` and ``canonical_value`` give them as
      ``Fraction`` (None where there is no ULN, no baseline, or no conversion: a dipstick,
      urine protein in g/24h, glucose in mmol/L).
    """

    test: str
    grade: int | None
    level: Level
    irae: str | None
    anti_vegf: bool
    value: int | float | str
    unit: str
    canonical_unit: str
    baseline_abnormal: bool
    baseline_used: bool
    floor_applied: bool
    rule: str | None
    uln_ratio_pair: Pair | None
    baseline_ratio_pair: Pair | None
    canonical_pair: Pair | None

    @property
    def uln_ratio(self) -> Fraction | None:
        """r = value / ULN, exact."""
        return _fraction(self.uln_ratio_pair)

    @property
    def baseline_ratio(self) -> Fraction | None:
        """b = value / baseline, exact."""
        return _fraction(self.baseline_ratio_pair)

    @property
    def ratio(self) -> Fraction | None:
        """The ratio the grade was read from: b when the baseline was used, else r."""
        return self.baseline_ratio if self.baseline_used else self.uln_ratio

    @property
    def canonical_value(self) -> Fraction | None:
        """The value in ``canonical_unit``, exact."""
        return _fraction(self.canonical_pair)

    def as_dict(self) -> dict[str, Any]:
        return {
            "test": self.test,
            "grade": self.grade,
            "level": self.level.value,
            "irae": self.irae,
            "anti_vegf": self.anti_vegf,
        }

    def to_dict(self) -> dict[str, Any]:
        return self.as_dict()


@dataclass(frozen=True, slots=True)
class LabAssessment:
    """The outcome for a whole panel (contract section 2).

    ``scores`` is empty or ``{"albi": AlbiScore}``. ``hys_law`` says whether rule 1 applied
    and ``thyroid_pattern`` which pattern of rule 2 did (None: none), even where they changed
    no level.
    """

    level: Level
    suspected_irae: tuple[str, ...]
    results: tuple[LabResult, ...]
    scores: Mapping[str, AlbiScore]
    reasons: tuple[Reason, ...]
    ruleset: str = LAB_RULESET
    hys_law: bool = False
    thyroid_pattern: str | None = None

    @property
    def albi(self) -> AlbiScore | None:
        return self.scores.get("albi")

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of contract section 2, reasons in English."""
        return {
            "level": self.level.value,
            "suspected_irae": list(self.suspected_irae),
            "results": [result.as_dict() for result in self.results],
            "scores": {name: score.as_dict() for name, score in self.scores.items()},
            "reasons": [str(reason) for reason in self.reasons],
            "ruleset": self.ruleset,
        }

    to_dict = as_dict


def _albi(where: dict[str, int], parsed: list[Parsed], graded: list[Graded]) -> AlbiScore | None:
    """Rule 3's score, when the panel holds albumin and a bilirubin above 0."""
    bilirubin, albumin = where.get("bilirubin"), where.get("albumin")
    if bilirubin is None or albumin is None:
        return None
    bili, alb = graded[bilirubin].canonical, graded[albumin].canonical
    if bili is None or alb is None or bili[0] <= 0:
        return None
    return albi(bili, alb)


def assess_labs(panel: object) -> LabAssessment:
    """Assess one lab panel (contract section 1); raise TriageValidationError if invalid.

    Pure: no I/O, the panel is not changed. Any malformed input, of any shape, raises
    TriageValidationError (with one FieldError per problem) and nothing else.
    """
    codes, parsed = parse_panel(panel)
    regimen = regimen_of(codes)
    tki = any(code in MULTI_KINASE_INHIBITORS for code in codes or ())
    graded = [GRADERS[result.test.code](result) for result in parsed]  # grading.grade, inlined
    where = {result.test.code: index for index, result in enumerate(parsed)}

    rule_reasons: list[Reason] = []
    hys, changed = hys_law(where, graded)
    if changed:
        rule_reasons.append(Reason(HYS_LAW_TEMPLATE))
    pattern, changed = thyroid(where, parsed, graded)
    if pattern is not None and changed:
        rule_reasons.append(Reason(THYROID_TEMPLATES[pattern]))
    panel_rank = max(result.rank for result in graded)
    scores: dict[str, AlbiScore] = {}
    score = _albi(where, parsed, graded)
    if score is not None:
        scores["albi"] = score
        if score.grade == 3 and panel_rank < MONITOR:
            panel_rank = MONITOR
            rule_reasons.append(Reason(ALBI_TEMPLATE, {"value": str(score.value)}))

    results: list[LabResult] = []
    reasons: list[Reason] = []
    ici, any_anti_vegf = regimen.ici, regimen.anti_vegf
    for result, rated in zip(parsed, graded, strict=True):
        test = result.test
        irae = test.irae if ici and rated.rank >= MONITOR else None
        column = test.anti_vegf
        anti_vegf = column is not None and (any_anti_vegf if column == "yes" else tki)
        results.append(
            LabResult(
                test.code,
                rated.grade,
                LEVELS_BY_RANK[rated.rank],
                irae,
                anti_vegf,
                result.raw,
                result.unit.code,
                test.canonical_unit,
                rated.baseline_abnormal,
                rated.baseline_used,
                rated.floor,
                rated.rule,
                rated.r,
                rated.b,
                rated.canonical,
            )
        )
        if rated.rank > ROUTINE:
            other = None
            if rated.rule in THYROID_TEMPLATES:
                other = parsed[where["ft4" if test.code == "tsh" else "tsh"]]
            reasons.append(result_reason(result, rated, irae, anti_vegf, other))
    reasons.extend(rule_reasons)
    suspected = tuple(sorted({result.irae for result in results if result.irae is not None}))
    return LabAssessment(
        LEVELS_BY_RANK[panel_rank],
        suspected,
        tuple(results),
        scores,
        tuple(reasons),
        LAB_RULESET,
        hys,
        pattern,
    )
