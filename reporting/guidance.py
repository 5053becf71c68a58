"""Staff-facing decision support: the ASCO 2021 management principle for each suspected
immune-related adverse event (irAE) category and grade.

Source: Schneider BJ et al., "Management of Immune-Related Adverse Events in Patients Treated
With Immune Checkpoint Inhibitor Therapy: ASCO Guideline Update", J Clin Oncol 2021. Only the
general, grade-based principles are restated here, in one short line each; the guideline and
the treating oncologist decide. The dashboard labels every note as decision support.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# Staff words for the engine's categories (the engine's own labels are written for families).
CATEGORY_LABELS: Mapping[str, Promise] = {
    "cardiac": _("Cardiac"),
    "dermatologic": _("Dermatologic"),
    "endocrine": _("Endocrine"),
    "gastrointestinal": _("Gastrointestinal"),
    "hematologic": _("Hematologic"),
    "hepatic": _("Hepatic"),
    "musculoskeletal": _("Musculoskeletal"),
    "neurologic": _("Neurologic"),
    "pulmonary": _("Pulmonary"),
    "renal": _("Renal"),
}

_BY_GRADE: Mapping[int, Promise] = {
    1: _("Grade 1: continue immunotherapy with close monitoring."),
    2: _(
        "Grade 2: usually hold immunotherapy; consider resuming when symptoms return to "
        "grade 1 or less. Corticosteroids may be started."
    ),
    3: _(
        "Grade 3: hold immunotherapy and start high-dose corticosteroids "
        "(e.g. prednisone 1-2 mg/kg/day), tapered over at least 4-6 weeks."
    ),
    4: _("Grade 4: in general, permanently discontinue immunotherapy."),
}
_ENDOCRINE_GRADE_4 = _(
    "Grade 4: in general, permanently discontinue immunotherapy, except for endocrine events "
    "controlled by hormone replacement."
)
# ASCO's own exception to "continue at grade 1".
_HOLD_EVEN_AT_GRADE_1 = frozenset({"cardiac", "neurologic"})
_GRADE_1_EXCEPTION = _(
    "Exception: some neurologic and cardiac toxicities warrant holding immunotherapy even at "
    "grade 1; discuss with the oncologist."
)
_LAB_GRADED = _(
    "The grade needs blood tests or an examination: grade it first, then apply the principle "
    "for that grade."
)


@dataclass(frozen=True, slots=True)
class GuidanceNote:
    """One suspected category, the highest reported grade for it, and what ASCO advises."""

    category: str
    label: Promise
    grade: int | None
    lines: tuple[Promise, ...]


def _lines_for(category: str, grade: int | None) -> tuple[Promise, ...]:
    if grade is None:
        return (_LAB_GRADED,)
    # Home reports can say grade 0 with a flag (e.g. only a fever); treat it like grade 1.
    grade = min(max(grade, 1), 4)
    if grade == 4 and category == "endocrine":
        lines: list[Promise] = [_ENDOCRINE_GRADE_4]
    else:
        lines = [_BY_GRADE[grade]]
    if grade == 1 and category in _HOLD_EVEN_AT_GRADE_1:
        lines.append(_GRADE_1_EXCEPTION)
    return tuple(lines)


def guidance_for(entries: Iterable[tuple[str, int | None]]) -> list[GuidanceNote]:
    """Notes for (irAE category, grade) pairs of one report's symptoms, one per category.

    The highest known grade of a category decides; a category whose every symptom is
    lab-graded (no grade) gets the "grade it first" note. Unknown categories are skipped.
    """
    grades: dict[str, int | None] = {}
    for category, grade in entries:
        if category not in CATEGORY_LABELS:
            continue
        current = grades.get(category)
        if category not in grades or (grade is not None and (current is None or grade > current)):
            grades[category] = grade
    return [
        GuidanceNote(category, CATEGORY_LABELS[category], grade, _lines_for(category, grade))
        for category, grade in sorted(grades.items())
    ]


def category_label(category: str) -> Promise | str:
    """The staff label of a category (the raw code when the engine has a new one)."""
    return CATEGORY_LABELS.get(category, category)
