"""Drug codes of contract section 4 and the facts about a regimen the rules need."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from .i18n import gettext_noop


class DrugClass(Enum):
    """The three drug classes the rules care about."""

    ICI = "ici"
    ANTI_VEGF = "anti_vegf"
    CHEMOTHERAPY = "chemotherapy"

    @property
    def label(self) -> str:
        return _CLASS_LABELS[self]


_CLASS_LABELS: dict[DrugClass, str] = {
    DrugClass.ICI: gettext_noop("Immune checkpoint inhibitor (immunotherapy)"),
    DrugClass.ANTI_VEGF: gettext_noop("Anti-VEGF or multi-kinase drug (targeted therapy)"),
    DrugClass.CHEMOTHERAPY: gettext_noop("Chemotherapy"),
}

_BY_CLASS: dict[DrugClass, tuple[str, ...]] = {
    # Atezolizumab is anti-PD-L1, a checkpoint inhibitor, even where leaflets call it
    # "targeted therapy": filing it elsewhere would silently drop every irAE flag.
    DrugClass.ICI: (
        "atezolizumab",
        "durvalumab",
        "tremelimumab",
        "nivolumab",
        "pembrolizumab",
        "ipilimumab",
        "tislelizumab",
        "camrelizumab",
        "sintilimab",
        "toripalimab",
    ),
    DrugClass.ANTI_VEGF: (
        "bevacizumab",
        "ramucirumab",
        "sorafenib",
        "lenvatinib",
        "regorafenib",
        "cabozantinib",
        "apatinib",
    ),
    DrugClass.CHEMOTHERAPY: (
        "oxaliplatin",
        "fluorouracil",
        "capecitabine",
        "doxorubicin",
        "gemcitabine",
        "cisplatin",
    ),
}

DRUGS: dict[str, DrugClass] = {
    code: drug_class for drug_class, codes in _BY_CLASS.items() for code in codes
}

# The anti-VEGF / multi-kinase drugs that are small-molecule multi-kinase inhibitors (TKIs):
# they commonly cause hypothyroidism, the antibodies (bevacizumab, ramucirumab) do not.
# Laboratory ruleset 2026.2, AV column "TKI" (docs/LABS-2026.2.md section 3).
MULTI_KINASE_INHIBITORS: frozenset[str] = frozenset(
    {"sorafenib", "lenvatinib", "regorafenib", "cabozantinib", "apatinib"}
)


@dataclass(frozen=True, slots=True)
class Regimen:
    """What the rules need to know about the drugs: which classes may be involved."""

    ici: bool
    anti_vegf: bool
    chemotherapy: bool


# All eight combinations exist up front, so assessing a report allocates none.
_REGIMENS: dict[tuple[bool, bool, bool], Regimen] = {
    (ici, av, chemo): Regimen(ici, av, chemo)
    for ici in (False, True)
    for av in (False, True)
    for chemo in (False, True)
}

# Unknown regimen: fail safe for the irAE flags (an ICI may be involved) but claim no
# anti-VEGF or chemotherapy, as contract section 1 says.
UNKNOWN_REGIMEN: Regimen = _REGIMENS[(True, False, False)]


def regimen_of(codes: list[str] | None) -> Regimen:
    """Summarise validated drug codes; absent, null or empty means unknown."""
    if not codes:
        return UNKNOWN_REGIMEN
    classes = {DRUGS[code] for code in codes}
    return _REGIMENS[
        (
            DrugClass.ICI in classes,
            DrugClass.ANTI_VEGF in classes,
            DrugClass.CHEMOTHERAPY in classes,
        )
    ]
