"""The nurse's forms for treatment cycles: a dose given, and when the next one is planned.
Validation of what was typed only; `services.care` checks the rest (the order of cycles)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from reporting.models import Infusion, Patient
from reporting.services.care import CYCLE_DAYS, InfusionError
from reporting.triage import DRUGS


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")


class InfusionForm(forms.Form):
    given_on = forms.DateField(label=_("Given on"), widget=_date_input())
    cycle_number = forms.IntegerField(
        label=_("Cycle number"),
        min_value=1,
        max_value=999,
        widget=forms.NumberInput(attrs={"class": "form-control", "inputmode": "numeric"}),
    )
    drugs = forms.MultipleChoiceField(
        label=_("Drugs given"),
        choices=[(code, code) for code in sorted(DRUGS)],
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        error_messages={"required": _("Tick the drugs given.")},
    )
    next_on = forms.DateField(
        label=_("Next infusion planned on"),
        required=False,
        widget=_date_input(),
    )

    def __init__(self, *args: Any, patient: Patient, last: Infusion | None, **kwargs: Any):
        today = timezone.localdate()
        kwargs.setdefault(
            "initial",
            {
                "given_on": today,
                "cycle_number": last.cycle_number + 1 if last else 1,
                # The regimen's drugs are ticked: most doses give all of them.
                "drugs": list(last.drugs) if last else list(patient.regimen or []),
                "next_on": today + dt.timedelta(days=CYCLE_DAYS),
            },
        )
        super().__init__(*args, **kwargs)
        # Formatted here, in the reader's language (a lazy string formatted at import is not).
        self.fields["next_on"].help_text = gettext(
            "Usually %(days)s days later. Leave empty if not decided yet."
        ) % {"days": CYCLE_DAYS}
        # The patient's own drugs first, the others folded away: a nurse looks for those.
        usual = set(patient.regimen or []) | set(last.drugs if last else [])
        self.own_codes = [code for code in sorted(DRUGS) if code in usual]
        others = [code for code in sorted(DRUGS) if code not in usual]
        drugs = self.fields["drugs"]
        assert isinstance(drugs, forms.MultipleChoiceField)
        drugs.choices = [(code, code) for code in self.own_codes + others]

    @property
    def show_other_drugs(self) -> bool:
        """Unfold the other drugs when the patient has none of their own, or one is ticked."""
        ticked = self["drugs"].value() or []
        return not self.own_codes or any(code not in self.own_codes for code in ticked)

    def add_service_error(self, error: InfusionError) -> None:
        self.add_error(error.field if error.field in self.fields else None, error.message)


class NextInfusionForm(forms.Form):
    next_on = forms.DateField(
        label=_("Next infusion planned on"),
        required=False,
        widget=_date_input(),
        help_text=_("Leave empty if the next dose is not planned (held or stopped)."),
    )

    def add_service_error(self, error: InfusionError) -> None:
        self.add_error("next_on", error.message)
