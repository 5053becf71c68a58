"""ImmunoWatch triage engine, ruleset 2026.1 (docs/TRIAGE-2026.1.md, docs/clinical.md).

Pure Python: no Django, no I/O. Decision support for staff and safety-netting advice for
families, never a diagnosis.
"""

from __future__ import annotations

from .catalogue import CATALOGUE, IRAE_CATEGORIES, Check, Choice, FieldDef, SymptomDef
from .drugs import DRUGS, DrugClass, Regimen
from .engine import RULESET, Assessment, Reason, SymptomResult, assess
from .errors import FieldError, TriageValidationError
from .i18n import gettext_noop
from .levels import Level
from .validation import validate

__all__ = [
    "CATALOGUE",
    "DRUGS",
    "IRAE_CATEGORIES",
    "RULESET",
    "Assessment",
    "Check",
    "Choice",
    "DrugClass",
    "FieldDef",
    "FieldError",
    "Level",
    "Reason",
    "Regimen",
    "SymptomDef",
    "SymptomResult",
    "TriageValidationError",
    "assess",
    "gettext_noop",
    "validate",
]
