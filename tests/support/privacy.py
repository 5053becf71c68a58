"""What must never leave the building in a message, a payload or a log line (README, "Alerts
and notifications"): the patient's full name, hospital number and date of birth, what the
family wrote, and any symptom, grade or irAE, in both languages."""

from __future__ import annotations

import re
from typing import Any

from django.utils import translation

from reporting.triage import CATALOGUE, IRAE_CATEGORIES


def health_words(patient: Any, note: str = "") -> list[str]:
    words = [patient.full_name, patient.hospital_number, "grade", "cấp độ"]
    words += [str(patient.date_of_birth)] + ([note] if note else [])
    for language in ("en", "vi"):
        with translation.override(language):
            for symptom in CATALOGUE.values():
                words += [str(translation.gettext(symptom.short_label))]
            words += [str(translation.gettext(name)) for name in IRAE_CATEGORIES.values()]
    return words + list(CATALOGUE) + list(IRAE_CATEGORIES)


def leaks(text: str, forbidden: list[str]) -> list[str]:
    """The forbidden words found in `text`, as whole words, whatever the case."""
    return [w for w in forbidden if re.search(rf"\b{re.escape(w)}\b", text, re.IGNORECASE)]
