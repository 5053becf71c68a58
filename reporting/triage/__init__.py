"""ImmunoWatch triage engine: symptoms, ruleset 2026.1 (docs/TRIAGE-2026.1.md), and
laboratory results, ruleset 2026.2 (docs/LABS-2026.2.md); both explained in docs/clinical.md.

Pure Python: no Django, no I/O. Decision support for staff and safety-netting advice for
families, never a diagnosis. ``assess(report)`` grades a symptom report, ``assess_labs(panel)``
a laboratory panel (``labs/``).
"""

from __future__ import annotations

from .catalogue import CATALOGUE, IRAE_CATEGORIES, Check, Choice, FieldDef, SymptomDef
from .drugs import DRUGS, DrugClass, Regimen
from .engine import RULESET, Assessment, Reason, SymptomResult, assess
from .errors import FieldError, TriageValidationError
from .i18n import gettext_noop
from .labs import (
    DIPSTICK_CHOICES,
    LAB_CATALOGUE,
    LAB_IRAE_CATEGORIES,
    LAB_RULESET,
    AlbiScore,
    LabAssessment,
    LabResult,
    LabTestDef,
    UnitDef,
    assess_labs,
    validate_labs,
)
from .levels import Level
from .validation import validate

__all__ = [
    "CATALOGUE",
    "DIPSTICK_CHOICES",
    "DRUGS",
    "IRAE_CATEGORIES",
    "LAB_CATALOGUE",
    "LAB_IRAE_CATEGORIES",
    "LAB_RULESET",
    "RULESET",
    "AlbiScore",
    "Assessment",
    "Check",
    "Choice",
    "DrugClass",
    "FieldDef",
    "FieldError",
    "LabAssessment",
    "LabResult",
    "LabTestDef",
    "Level",
    "Reason",
    "Regimen",
    "SymptomDef",
    "SymptomResult",
    "TriageValidationError",
    "UnitDef",
    "assess",
    "assess_labs",
    "gettext_noop",
    "validate",
    "validate_labs",
]
