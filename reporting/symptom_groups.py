"""How the report form lays out the catalogue: the patient's usual symptoms first, then the
others under plain headings.

Presentation only. The form posts the same fields whatever the order, and the engine reads
the ticked symptoms in catalogue order (`ReportForm.ticked_codes`), so nothing here changes
what is stored or how it is graded.

"Usual" means: the symptoms of this patient's recent reports, most often reported first, then
those typical of the drugs of their regimen (`Patient.regimen`, the contract's drug codes). An
unknown regimen counts as immunotherapy, as the engine assumes (contract section 1).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from reporting.triage import CATALOGUE, DRUGS, DrugClass
from reporting.triage.drugs import MULTI_KINASE_INHIBITORS

# At most this many cards in the first group: enough for a patient's usual few, short enough
# that the rest of the list is still in sight.
USUAL_LIMIT = 6

# What each kind of drug commonly causes, most common first, among the catalogue's symptoms.
# Immunotherapy: tiredness (often the thyroid), itching, rash and diarrhoea are the irAEs
# families report most (ASCO 2021). Anti-VEGF antibodies (bevacizumab, ramucirumab): high
# blood pressure, protein in the urine (foamy urine, swollen ankles), nosebleeds and bleeding.
# The multi-kinase tablets add the hand-foot skin reaction and diarrhoea. Chemotherapy: a
# fever first (with chemotherapy it is an emergency), then sickness and tiredness.
TYPICAL_OF_IMMUNOTHERAPY = ("fatigue", "itching", "rash", "diarrhea")
TYPICAL_OF_ANTI_VEGF_ANTIBODY = ("high_blood_pressure", "urine", "nosebleed", "bleeding")
TYPICAL_OF_MULTI_KINASE = ("hand_foot_skin", "high_blood_pressure", "diarrhea", "fatigue")
TYPICAL_OF_CHEMOTHERAPY = ("fever", "nausea", "vomiting", "fatigue")


@dataclass(frozen=True, slots=True)
class GroupDef:
    key: str
    heading: Promise
    codes: tuple[str, ...]


USUAL = GroupDef("usual", _("Your usual symptoms"), ())
USUAL_INTRO = _("From your recent reports and your treatment.")

# Every catalogue code is in one group; a new one the groups do not name goes to the last.
GROUPS: tuple[GroupDef, ...] = (
    GroupDef("body", _("Fever, tiredness and aches"), ("fever", "fatigue", "joint_or_muscle_pain")),
    GroupDef(
        "stomach",
        _("Stomach and bowels"),
        ("nausea", "vomiting", "diarrhea", "abdominal_pain", "liver"),
    ),
    GroupDef("skin", _("Skin"), ("rash", "itching", "hand_foot_skin")),
    GroupDef(
        "breathing",
        _("Breathing, heart and blood pressure"),
        ("breathing", "chest_or_heart", "high_blood_pressure"),
    ),
    GroupDef(
        "bleeding",
        _("Bleeding and urine"),
        ("nosebleed", "bleeding", "urine", "thirst_or_urination"),
    ),
    GroupDef("head", _("Head, eyes and nerves"), ("headache_or_vision", "nerves_or_muscles")),
    GroupDef("other", _("Anything else"), ("other",)),
)


def typical_of_regimen(drug_codes: Iterable[str] | None) -> list[str]:
    """The symptoms typical of a regimen's drugs, the most common of each kind first, taken
    in turn from each kind (atezolizumab with bevacizumab: blood pressure, tiredness, urine,
    itching...). Unknown or empty: immunotherapy's."""
    codes = [code for code in drug_codes or () if code in DRUGS]
    kinds: list[tuple[str, ...]] = []
    if any(
        _is(code, DrugClass.ANTI_VEGF) and code not in MULTI_KINASE_INHIBITORS for code in codes
    ):
        kinds.append(TYPICAL_OF_ANTI_VEGF_ANTIBODY)
    if any(code in MULTI_KINASE_INHIBITORS for code in codes):
        kinds.append(TYPICAL_OF_MULTI_KINASE)
    if any(_is(code, DrugClass.CHEMOTHERAPY) for code in codes):
        kinds.append(TYPICAL_OF_CHEMOTHERAPY)
    if not codes or any(_is(code, DrugClass.ICI) for code in codes):
        kinds.append(TYPICAL_OF_IMMUNOTHERAPY)
    longest = max((len(kind) for kind in kinds), default=0)
    in_turn = [kind[i] for i in range(longest) for kind in kinds if i < len(kind)]
    return _unique(in_turn)


def _is(code: str, kind: DrugClass) -> bool:
    return DRUGS[code] is kind


def _unique(codes: Iterable[str]) -> list[str]:
    """Catalogue codes once each, in their first order (unknown codes dropped)."""
    return [code for code in dict.fromkeys(codes) if code in CATALOGUE]


def usual_first(*sources: Iterable[str], limit: int = USUAL_LIMIT) -> list[str]:
    """The first group's codes: each source in turn, once each, at most `limit`."""
    return _unique(code for source in sources for code in source)[:limit]


@dataclass(frozen=True, slots=True)
class Arranged:
    """One group as the form shows it: its heading and its codes, in page order."""

    key: str
    heading: Promise
    codes: tuple[str, ...]


def arrange(usual: Sequence[str]) -> list[Arranged]:
    """Every catalogue code exactly once: `usual` first, then the groups (empty ones left
    out), then any code no group names, under the last heading."""
    shown = _unique(usual)
    arranged = [Arranged(USUAL.key, USUAL.heading, tuple(shown))] if shown else []
    placed = set(shown)
    named = {code for group in GROUPS for code in group.codes}
    for index, group in enumerate(GROUPS):
        codes = [code for code in group.codes if code in CATALOGUE and code not in placed]
        if index == len(GROUPS) - 1:
            codes = [c for c in CATALOGUE if c not in named and c not in placed] + codes
        placed.update(codes)
        if codes:
            arranged.append(Arranged(group.key, group.heading, tuple(codes)))
    return arranged
