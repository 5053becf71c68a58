"""Validation errors: every problem of a report (or lab panel), each tied to its symptom or
laboratory test and its field."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .i18n import Translate, identity

# Params holding a marked English label, translated along with the template ("test" is the
# short label of a laboratory test in the refusals of a lab panel).
_TRANSLATED_PARAMS = frozenset({"symptom", "test"})


@dataclass(frozen=True, slots=True)
class FieldError:
    """One problem with a report.

    ``message`` is the English sentence; ``template`` and ``params`` let the web layer show it
    in another language through ``render``. ``symptom`` is the symptom code as given (it may
    be an unknown code), ``field`` the field name ("regimen", "previous", "symptoms" or a
    top-level key for problems outside a symptom; None for a problem with a whole entry,
    such as an unmet "at least one" group), ``drug`` the offending drug code for a regimen
    problem, and ``index`` the position of the symptom entry in the ``symptoms`` list.

    For a laboratory panel (``assess_labs``) ``symptom`` is None, ``test`` is the test code as
    given (it may be an unknown code), ``field`` the key of the result ("value", "unit",
    "uln", "lln", "baseline", "test", an unknown key) or "regimen", "results" or a top-level
    key, and ``index`` the position of the result in the ``results`` list.
    """

    message: str
    symptom: str | None = None
    field: str | None = None
    drug: str | None = None
    index: int | None = None
    template: str = ""
    params: Mapping[str, object] = dataclasses.field(default_factory=dict)
    test: str | None = None

    def render(self, translate: Translate = identity) -> str:
        """The message in the language of ``translate`` (English by default)."""
        if not self.template:
            return translate(self.message)
        params = {
            name: translate(value)
            if name in _TRANSLATED_PARAMS and isinstance(value, str)
            else value
            for name, value in self.params.items()
        }
        return translate(self.template) % params

    def __str__(self) -> str:
        return self.message


class TriageValidationError(Exception):
    """The report is refused; ``errors`` lists every problem found, in report order."""

    errors: tuple[FieldError, ...]

    def __init__(self, errors: Iterable[FieldError]) -> None:
        self.errors = tuple(errors)
        super().__init__(self.errors)

    def __str__(self) -> str:
        return " ".join(error.message for error in self.errors)
