"""A reported symptom in words, wherever it is shown: its label, and the answers given.

Everything a family writes must reach a person: the free-text answers (the "Something else"
description) go with the symptom on every page that shows it, for the family and for the
nurse. Nurses also read every other answer (a temperature, a stool count, the choice ticked)
in their language, so the alert page shows what was reported, not only its grade.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext

from reporting.triage import CATALOGUE, FieldDef


@dataclass(frozen=True, slots=True)
class Answer:
    """One answered question: its label and the answer, both in the reader's language."""

    label: str
    text: str
    free_text: bool = False

    @property
    def prompt(self) -> str:
        """The label as it leads into its answer: "Temperature:", but "Chills?" stays."""
        return self.label if self.label.endswith(("?", ":")) else f"{self.label}:"


@dataclass(frozen=True, slots=True)
class SymptomInWords:
    code: str
    label: str
    answers: tuple[Answer, ...]

    @property
    def free_texts(self) -> tuple[Answer, ...]:
        """What the family wrote in their own words (shown to everyone who sees the symptom)."""
        return tuple(answer for answer in self.answers if answer.free_text)


def symptom_label(code: str) -> str:
    """The translated label of a catalogue code (the code itself if it left the catalogue)."""
    symptom = CATALOGUE.get(code)
    return gettext(symptom.label) if symptom else code


def _answer_text(definition: FieldDef, value: Any) -> str | None:
    """The answer in words, or None for an answer that says nothing (an unticked box)."""
    if definition.kind == "bool":
        return gettext("yes") if value is True else None
    if definition.kind == "choice":
        for choice in definition.choices:
            if choice.code == value:
                return gettext(choice.label)
        return str(value)
    if definition.kind in ("int", "float") and isinstance(value, int | float):
        places = 1 if definition.kind == "float" else 0
        return str(number_format(value, decimal_pos=places))
    return str(value)


def answers_in_words(code: str, answers: Mapping[str, Any]) -> tuple[Answer, ...]:
    """The stored answers of one symptom, in catalogue order, as a person reads them."""
    symptom = CATALOGUE.get(code)
    if symptom is None:  # a code that left the catalogue: show the raw answers
        return tuple(Answer(str(name), str(value)) for name, value in answers.items())
    shown = []
    for definition in symptom.fields:
        if definition.name not in answers:
            continue
        text = _answer_text(definition, answers[definition.name])
        if text is not None:
            shown.append(Answer(gettext(definition.label), text, definition.kind == "text"))
    return tuple(shown)


def symptom_in_words(code: str, answers: Mapping[str, Any]) -> SymptomInWords:
    return SymptomInWords(code, symptom_label(code), answers_in_words(code, answers))
