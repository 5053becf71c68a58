"""The nurse's form for one lab panel: when it was collected, then one row per test of the
catalogue (value, unit, reference limits). Rows left empty are not sent.

The limits come pre-filled from this hospital's reference ranges (`ReferenceRange`, kept by
admins) for the row's unit, and stay editable. The form only reads what was typed; the
engine judges it (`services.labs`), and its refusals are shown beside the row they name.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from reporting.models import ReferenceRange
from reporting.services.labs import LabInputError, ResultInput
from reporting.triage import DIPSTICK_CHOICES, LAB_CATALOGUE, FieldError, LabTestDef

LIMIT_FIELDS = ("lln", "uln")


def row_name(test: str, part: str) -> str:
    return f"{test}-{part}"


def _text_input(**attrs: str) -> forms.TextInput:
    return forms.TextInput(
        attrs={"inputmode": "decimal", "autocomplete": "off", "class": "form-control", **attrs}
    )


@dataclass
class LabRowFields:
    """What the template draws for one test: its label and its four fields."""

    test: LabTestDef
    value: Any
    unit: Any
    lln: Any
    uln: Any
    errors: list[str]

    @property
    def label(self) -> str:
        return gettext(self.test.label)


class LabPanelForm(forms.Form):
    collected_at = forms.DateTimeField(
        label=_("Sample collected at"),
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local", "class": "form-control"}, format="%Y-%m-%dT%H:%M"
        ),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )

    def __init__(
        self,
        *args: Any,
        ranges: Mapping[tuple[str, str], ReferenceRange] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.ranges = dict(ranges or {})
        self.row_errors: dict[str, list[str]] = {}
        self.codes: list[str] = []
        if not self.is_bound:
            self.fields["collected_at"].initial = timezone.localtime().replace(
                second=0, microsecond=0
            )
        for code, test in LAB_CATALOGUE.items():
            self._add_row(code, test)

    def _add_row(self, code: str, test: LabTestDef) -> None:
        unit = self._default_unit(test)
        self.fields[row_name(code, "value")] = forms.CharField(
            label=gettext(test.short_label),
            required=False,
            max_length=32,
            widget=_value_widget(test),
        )
        self.fields[row_name(code, "unit")] = forms.ChoiceField(
            label=_("Unit"),
            choices=[(unit.code, unit.code) for unit in test.units],
            initial=unit,
            required=False,
            widget=forms.Select(attrs={"class": "form-select lab-unit"}),
        )
        reference = self.ranges.get((code, unit))
        for limit in LIMIT_FIELDS:
            if limit not in test.allowed_limits:
                continue
            initial = getattr(reference, limit) if reference is not None else None
            self.fields[row_name(code, limit)] = forms.CharField(
                label=limit.upper(),
                required=False,
                max_length=32,
                initial=_plain(initial),
                widget=_text_input(),
            )

    def _default_unit(self, test: LabTestDef) -> str:
        """The unit this hospital has a reference range for, else the canonical one."""
        for unit in test.unit_codes:
            if (test.code, unit) in self.ranges:
                return unit
        return test.canonical_unit

    def ranges_json(self) -> str:
        """The reference limits by test and unit, for the script that refills them when the
        unit changes (without the script the nurse types them)."""
        data = {
            f"{test}|{unit}": {limit: _plain(getattr(r, limit)) for limit in LIMIT_FIELDS}
            for (test, unit), r in self.ranges.items()
        }
        return json.dumps(data)

    # --- what was typed ----------------------------------------------------------------------

    def rows(self) -> list[LabRowFields]:
        return [
            LabRowFields(
                test=test,
                value=self[row_name(code, "value")],
                unit=self[row_name(code, "unit")],
                lln=self[row_name(code, "lln")] if row_name(code, "lln") in self.fields else None,
                uln=self[row_name(code, "uln")] if row_name(code, "uln") in self.fields else None,
                errors=self.row_errors.get(code, []),
            )
            for code, test in LAB_CATALOGUE.items()
        ]

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        self.codes = [
            code for code in LAB_CATALOGUE if (cleaned.get(row_name(code, "value")) or "").strip()
        ]
        if not self.codes:
            raise forms.ValidationError(gettext("Type the value of at least one test."))
        collected = cleaned.get("collected_at")
        if collected and collected > timezone.now() + dt.timedelta(minutes=5):
            self.add_error("collected_at", gettext("This time is in the future."))
        return cleaned

    def results(self) -> list[ResultInput]:
        """The filled rows, in catalogue order (after is_valid())."""
        data = self.cleaned_data
        return [
            ResultInput(
                test=code,
                value=data[row_name(code, "value")].strip(),
                unit=data.get(row_name(code, "unit")) or LAB_CATALOGUE[code].canonical_unit,
                lln=(data.get(row_name(code, "lln")) or "").strip(),
                uln=(data.get(row_name(code, "uln")) or "").strip(),
            )
            for code in self.codes
        ]

    def add_problems(self, problems: Sequence[FieldError]) -> None:
        """Each refusal beside the row (and field) it names; the rest above the form."""
        for problem in problems:
            message = problem.render(gettext)
            code = (
                self.codes[problem.index]
                if problem.index is not None and (0 <= problem.index < len(self.codes))
                else None
            )
            name = row_name(code, problem.field) if code and problem.field else ""
            if name in self.fields:
                self.add_error(name, message)
            elif code is not None:
                self.row_errors.setdefault(code, []).append(message)
                self.add_error(None, message)
            else:
                self.add_error(None, message)

    def add_input_error(self, error: LabInputError) -> None:
        self.add_problems(error.problems)


def _value_widget(test: LabTestDef) -> forms.Widget:
    if any(unit.is_dipstick for unit in test.units):
        # Urine protein: a dipstick word ("2+") or a number (g/24h).
        choices = ", ".join(choice.code for choice in DIPSTICK_CHOICES)
        return forms.TextInput(
            attrs={"autocomplete": "off", "placeholder": choices, "class": "form-control"}
        )
    return _text_input()


def _plain(value: Any) -> str:
    """A stored Decimal limit as a person writes it: 40, not 40.0000."""
    if value is None:
        return ""
    text = format(value.normalize(), "f") if hasattr(value, "normalize") else str(value)
    return text
