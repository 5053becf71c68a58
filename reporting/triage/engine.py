"""Ruleset 2026.1: rates each symptom from the catalogue, then applies the rules across
symptoms of contract section 6, in order: colitis pattern, worsening, two ambers.

Levels are handled as int ranks (Level.rank) inside, mapped back to Level once per symptom.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .catalogue import IRAE_CATEGORIES, SymptomDef
from .drugs import Regimen
from .i18n import Translate, gettext_noop, identity
from .levels import LEVELS_BY_RANK, Level
from .validation import parse

RULESET = "2026.1"

_ROUTINE, _MONITOR, _URGENT = Level.ROUTINE.rank, Level.MONITOR.rank, Level.URGENT.rank

# Reason params holding a marked English phrase: translated together with the template.
# "test", "other", "note" and "pattern" are used by the laboratory reasons (labs/reasons.py).
_TRANSLATED_PARAMS = frozenset(
    {"symptom", "detail", "level", "irae", "test", "other", "note", "pattern"}
)

_LEVEL_WORDS: tuple[str, ...] = (
    gettext_noop("routine (green)"),
    gettext_noop("monitor (amber)"),
    gettext_noop("urgent (red)"),
    gettext_noop("emergency (red)"),
)

# Keyed by (lab-graded, immune-related flag, anti-VEGF flag): whole sentences, so that
# translators never have to assemble fragments.
_SYMPTOM_TEMPLATES: dict[tuple[bool, bool, bool], str] = {
    (False, False, False): gettext_noop("%(symptom)s grade %(grade)s (%(detail)s): %(level)s."),
    (False, True, False): gettext_noop(
        "%(symptom)s grade %(grade)s (%(detail)s): %(level)s; possibly immune-related: %(irae)s."
    ),
    (False, False, True): gettext_noop(
        "%(symptom)s grade %(grade)s (%(detail)s): %(level)s; "
        "a known side effect of anti-VEGF drugs."
    ),
    (False, True, True): gettext_noop(
        "%(symptom)s grade %(grade)s (%(detail)s): %(level)s; possibly immune-related: "
        "%(irae)s; also a known side effect of anti-VEGF drugs."
    ),
    (True, False, False): gettext_noop(
        "%(symptom)s (%(detail)s; the grade needs blood tests): %(level)s."
    ),
    (True, True, False): gettext_noop(
        "%(symptom)s (%(detail)s; the grade needs blood tests): %(level)s; "
        "possibly immune-related: %(irae)s."
    ),
    (True, False, True): gettext_noop(
        "%(symptom)s (%(detail)s; the grade needs blood tests): %(level)s; "
        "a known side effect of anti-VEGF drugs."
    ),
    (True, True, True): gettext_noop(
        "%(symptom)s (%(detail)s; the grade needs blood tests): %(level)s; possibly "
        "immune-related: %(irae)s; also a known side effect of anti-VEGF drugs."
    ),
}

COLITIS_TEMPLATE = gettext_noop(
    "Colitis pattern: diarrhoea with moderate or severe belly pain; "
    "both are raised to at least urgent."
)
WORSENING_TEMPLATE = gettext_noop(
    "%(symptom)s is worse by 2 or more grades since the previous report "
    "(grade %(previous)s to %(grade)s): raised to %(level)s."
)
TWO_AMBERS_TEMPLATE = gettext_noop(
    "%(count)s symptoms at monitor (amber) and none higher: "
    "two or more ambers make the report urgent."
)


@dataclass(frozen=True, slots=True)
class Reason:
    """Why the assessment came out as it did, as a marked template and its params.

    ``symptom`` is the code the reason is about (None for the colitis and two-ambers rules);
    ``test`` is the laboratory test code a lab reason is about (None for symptom reasons and
    for the lab rules across results).
    """

    template: str
    params: Mapping[str, str | int | float] = dataclasses.field(default_factory=dict)
    symptom: str | None = None
    test: str | None = None

    def render(self, translate: Translate = identity) -> str:
        """The sentence in the language of ``translate``; English by default."""
        params = {
            name: translate(value)
            if name in _TRANSLATED_PARAMS and isinstance(value, str)
            else value
            for name, value in self.params.items()
        }
        return translate(self.template) % params

    def __str__(self) -> str:
        return self.render()


@dataclass(frozen=True, slots=True)
class SymptomResult:
    """The outcome for one reported symptom (after the rules across symptoms)."""

    code: str
    grade: int | None
    level: Level
    irae: str | None
    anti_vegf: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "grade": self.grade,
            "level": self.level.value,
            "irae": self.irae,
            "anti_vegf": self.anti_vegf,
        }


@dataclass(frozen=True, slots=True)
class Assessment:
    """The outcome for a whole report (contract section 2)."""

    level: Level
    suspected_irae: tuple[str, ...]
    symptoms: tuple[SymptomResult, ...]
    reasons: tuple[Reason, ...]
    ruleset: str = RULESET

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of contract section 2, reasons in English."""
        return {
            "level": self.level.value,
            "suspected_irae": list(self.suspected_irae),
            "symptoms": [result.to_dict() for result in self.symptoms],
            "reasons": [str(reason) for reason in self.reasons],
            "ruleset": self.ruleset,
        }


# --- rules across symptoms (section 6) -----------------------------------------------------


def _colitis(
    codes: list[str], grades: list[int | None], ranks: list[int], reasons: list[Reason]
) -> None:
    """Rule 1: diarrhoea grade >= 1 with moderate or severe belly pain: both at least urgent."""
    if "diarrhea" not in codes or "abdominal_pain" not in codes:
        return
    gut, pain = codes.index("diarrhea"), codes.index("abdominal_pain")
    if (grades[gut] or 0) < 1 or (grades[pain] or 0) < 2:
        return
    if ranks[gut] < _URGENT or ranks[pain] < _URGENT:
        ranks[gut] = max(ranks[gut], _URGENT)
        ranks[pain] = max(ranks[pain], _URGENT)
        reasons.append(Reason(COLITIS_TEMPLATE))


def _worsening(
    entries: list[tuple[SymptomDef, dict[str, Any]]],
    previous: Mapping[str, Any],
    grades: list[int | None],
    ranks: list[int],
    reasons: list[Reason],
) -> None:
    """Rule 2: two or more grades above the previous report raises a level, up to urgent."""
    for index, (symptom, _values) in enumerate(entries):
        before = previous.get(symptom.code)
        grade = grades[index]
        # Lab-graded symptoms have no grade to compare; a null previous grade says nothing.
        if before is None or grade is None or grade - before < 2 or ranks[index] >= _URGENT:
            continue
        ranks[index] += 1
        params = {
            "symptom": symptom.short_label,
            "previous": before,
            "grade": grade,
            "level": _LEVEL_WORDS[ranks[index]],
        }
        reasons.append(Reason(WORSENING_TEMPLATE, params, symptom.code))


def _two_ambers(ranks: list[int], reasons: list[Reason]) -> int:
    """Rules 3 and 4: the report's level rank (UKONS: two or more ambers make a red)."""
    if not ranks:
        return _ROUTINE
    highest = max(ranks)
    if highest == _MONITOR:
        ambers = ranks.count(_MONITOR)
        if ambers >= 2:
            reasons.append(Reason(TWO_AMBERS_TEMPLATE, {"count": ambers}))
            return _URGENT
    return highest


# --- results -------------------------------------------------------------------------------


def _result(
    symptom: SymptomDef, grade: int | None, rank: int, phrase: str, regimen: Regimen
) -> tuple[SymptomResult, Reason | None]:
    # An irAE flag means "may be immune-related, watch closely": only with an ICI (or an
    # unknown regimen) and only when the symptom already needs a look.
    irae = (
        symptom.irae
        if regimen.ici and rank >= _MONITOR and (grade is None or grade >= symptom.irae_min_grade)
        else None
    )
    anti_vegf = symptom.anti_vegf_typical and regimen.anti_vegf
    result = SymptomResult(symptom.code, grade, LEVELS_BY_RANK[rank], irae, anti_vegf)
    if rank == _ROUTINE:
        return result, None
    params: dict[str, str | int | float] = {
        "symptom": symptom.short_label,
        "detail": phrase,
        "level": _LEVEL_WORDS[rank],
    }
    if grade is not None:
        params["grade"] = grade
    if irae is not None:
        params["irae"] = IRAE_CATEGORIES[irae]
    template = _SYMPTOM_TEMPLATES[(grade is None, irae is not None, anti_vegf)]
    return result, Reason(template, params, symptom.code)


def assess(report: object) -> Assessment:
    """Assess one report (contract section 1); raise TriageValidationError if it is invalid."""
    regimen, entries, previous = parse(report)
    codes: list[str] = []
    grades: list[int | None] = []
    ranks: list[int] = []
    phrases: list[str] = []
    for symptom, values in entries:
        grade, level, phrase = symptom.rate(values, regimen)
        codes.append(symptom.code)
        grades.append(grade)
        ranks.append(level.rank)
        phrases.append(phrase)

    rule_reasons: list[Reason] = []
    _colitis(codes, grades, ranks, rule_reasons)
    if previous:
        _worsening(entries, previous, grades, ranks, rule_reasons)
    report_rank = _two_ambers(ranks, rule_reasons)

    results: list[SymptomResult] = []
    reasons: list[Reason] = []
    for index, (symptom, _values) in enumerate(entries):
        result, reason = _result(symptom, grades[index], ranks[index], phrases[index], regimen)
        results.append(result)
        if reason is not None:
            reasons.append(reason)
    reasons.extend(rule_reasons)
    suspected = tuple(sorted({result.irae for result in results if result.irae is not None}))
    return Assessment(
        LEVELS_BY_RANK[report_rank], suspected, tuple(results), tuple(reasons), RULESET
    )
