"""ImmunoWatch laboratory triage, ruleset 2026.2 (docs/LABS-2026.2.md, docs/clinical.md).

Pure Python: no Django, no I/O. ``assess_labs(panel)`` grades each result of a panel
(CTCAE v5.0, relative to the patient's own abnormal baseline where the contract says so),
applies Hy's law, the thyroid patterns and ALBI, and returns a ``LabAssessment``; an invalid
panel raises ``TriageValidationError``. Decision support for staff, never a diagnosis.
"""

from __future__ import annotations

from .albi import AlbiScore
from .catalogue import (
    DIPSTICK_CHOICES,
    LAB_CATALOGUE,
    LAB_IRAE_CATEGORIES,
    LabTestDef,
    UnitDef,
)
from .engine import LAB_RULESET, LabAssessment, LabResult, assess_labs
from .validation import validate_labs

__all__ = [
    "DIPSTICK_CHOICES",
    "LAB_CATALOGUE",
    "LAB_IRAE_CATEGORIES",
    "LAB_RULESET",
    "AlbiScore",
    "LabAssessment",
    "LabResult",
    "LabTestDef",
    "UnitDef",
    "assess_labs",
    "validate_labs",
]
