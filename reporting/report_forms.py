"""The symptom report form, built from the triage catalogue.

One definition: every symptom and question comes from `reporting.triage.CATALOGUE`, so a new
symptom there appears here with no change to this file. The form posts the ticked codes as
`symptoms` and each question as `<code>-<field>` with the contract's codes as values.

The form only parses (a number is a number); the engine is the one judge of what is valid
(ranges, required answers, "diastolic below systolic"...). Its refusals are shown beside the
field they name. Questions of symptoms that are not ticked are ignored, not validated: without
JavaScript every question is on the page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext

from reporting.models import Relationship, Report
from reporting.selectors import Reporter
from reporting.triage import (
    CATALOGUE,
    FieldDef,
    FieldError,
    SymptomDef,
    TriageValidationError,
    validate,
)

NOTE_MAX_LENGTH = 2000
# Posted by the "I feel well today" button.
FEEL_WELL = "feel_well"
ME, THE_PATIENT = "me", "patient"


def question_name(code: str, field_name: str) -> str:
    """The form field of one question: `<symptom code>-<field name>`."""
    return f"{code}-{field_name}"


class DecimalCommaFloatField(forms.FloatField):
    """Also reads "38,2": Vietnamese (and many phones' keyboards) write decimals with a comma."""

    def to_python(self, value: Any) -> float | None:
        if isinstance(value, str) and "," in value and "." not in value:
            value = value.replace(",", ".", 1)
        return super().to_python(value)


def _number_attrs(definition: FieldDef, *, step: str, inputmode: str) -> dict[str, Any]:
    # Hints for the phone's keyboard and spinner only: the engine checks the range.
    return {
        "min": definition.min_value,
        "max": definition.max_value,
        "step": step,
        "inputmode": inputmode,
        "class": "form-control-lg",
    }


def question_field(definition: FieldDef) -> forms.Field:
    """The Django field for one catalogue field; never required (the engine decides)."""
    label = gettext(definition.label)
    help_text = gettext(definition.help_text) if definition.help_text else ""
    common: dict[str, Any] = {"label": label, "help_text": help_text, "required": False}
    if definition.kind == "int":
        attrs = _number_attrs(definition, step="1", inputmode="numeric")
        return forms.IntegerField(widget=forms.NumberInput(attrs=attrs), **common)
    if definition.kind == "float":
        attrs = _number_attrs(definition, step="0.1", inputmode="decimal")
        return DecimalCommaFloatField(widget=forms.NumberInput(attrs=attrs), **common)
    if definition.kind == "bool":
        return forms.BooleanField(**common)
    if definition.kind == "choice":
        choices = [(choice.code, gettext(choice.label)) for choice in definition.choices]
        return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
    if definition.kind == "text":
        attrs = {"rows": 3, "maxlength": definition.max_length}
        return forms.CharField(widget=forms.Textarea(attrs=attrs), **common)
    raise ValueError(f"no form field for kind {definition.kind!r}")


@dataclass
class SymptomSection:
    """What the template needs to draw one symptom: its tick box and its questions."""

    symptom: SymptomDef
    checkbox: Any
    questions: list[Any]
    ticked: bool
    errors: list[str] = field(default_factory=list)

    @property
    def code(self) -> str:
        return self.symptom.code

    @property
    def label(self) -> str:
        return gettext(self.symptom.label)

    @property
    def help_text(self) -> str:
        return gettext(self.symptom.help_text)


class ReportForm(forms.Form):
    symptoms = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input symptom-toggle"}),
    )
    symptoms_began = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date", "class": "form-control-lg"})
    )
    note = forms.CharField(
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, reporter: Reporter, patient_name: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.reporter = reporter
        self.symptom_errors: dict[str, list[str]] = {}
        self.entries: list[dict[str, Any]] = []
        symptoms = self.fields["symptoms"]
        symptoms.label = gettext("What have you noticed?")
        symptoms.choices = [(code, gettext(s.label)) for code, s in CATALOGUE.items()]
        self.fields["symptoms_began"].label = gettext("When did the symptoms begin?")
        self.fields["symptoms_began"].help_text = gettext("Leave empty if you are not sure.")
        self.fields["symptoms_began"].widget.attrs["max"] = timezone.localdate().isoformat()
        self.fields["note"].label = gettext("Anything else for the nurse? (optional)")
        self.fields["note"].help_text = gettext(
            "The nurse reads this with your report. It is not watched all the time: "
            "for anything urgent, call."
        )
        if reporter.may_be_patient:
            self.fields["filled_in_by"] = forms.ChoiceField(
                label=gettext("Who is filling this in?"),
                choices=[
                    (ME, gettext("Me, for %(name)s") % {"name": patient_name}),
                    (THE_PATIENT, gettext("%(name)s, on my phone") % {"name": patient_name}),
                ],
                initial=ME,
                # Unanswered means the default: the person logged in is filling it in.
                required=False,
                widget=forms.RadioSelect,
            )
        for code, symptom in CATALOGUE.items():
            for definition in symptom.fields:
                self.fields[question_name(code, definition.name)] = question_field(definition)

    # --- what was posted --------------------------------------------------------------------

    @property
    def feel_well(self) -> bool:
        return self.is_bound and FEEL_WELL in self.data

    def ticked_codes(self) -> list[str]:
        """Ticked symptom codes in catalogue order (unknown codes are the field's problem)."""
        if not self.is_bound:
            return []
        ticked = set(self.data.getlist("symptoms"))
        return [code for code in CATALOGUE if code in ticked]

    def sections(self) -> list[SymptomSection]:
        ticked = set(self.ticked_codes())
        checkboxes = {widget.data["value"]: widget for widget in self["symptoms"]}
        return [
            SymptomSection(
                symptom=symptom,
                checkbox=checkboxes[code],
                questions=[self[question_name(code, f.name)] for f in symptom.fields],
                ticked=code in ticked,
                errors=self.symptom_errors.get(code, []),
            )
            for code, symptom in CATALOGUE.items()
        ]

    # --- validation -------------------------------------------------------------------------

    def clean_symptoms_began(self) -> dt.date | None:
        began = self.cleaned_data.get("symptoms_began")
        if began and began > timezone.localdate():
            raise forms.ValidationError(gettext("This date is in the future."))
        return began

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        ticked = self.ticked_codes()
        self._ignore_unticked(ticked)
        if self.feel_well and ticked:
            self.add_error(None, gettext(
                "You ticked some symptoms. To report them, press “Send report”; "
                "if you feel well, untick them first."
            ))
        elif not self.feel_well and not ticked and not cleaned.get("note"):
            self.add_error("symptoms", gettext(
                "Tick at least one symptom, or press “I feel well today”."
            ))
        if self.errors or self.feel_well:
            return cleaned
        self.entries = [self._entry(code) for code in ticked]
        try:
            validate({"symptoms": self.entries})
        except TriageValidationError as error:
            self.add_engine_errors(error)
        return cleaned

    def _ignore_unticked(self, ticked: list[str]) -> None:
        """Drop parsing errors of questions about symptoms that are not ticked."""
        for code, symptom in CATALOGUE.items():
            if code in ticked:
                continue
            for definition in symptom.fields:
                self._errors.pop(question_name(code, definition.name), None)

    def _entry(self, code: str) -> dict[str, Any]:
        """One engine entry: bools always, other answers only when given."""
        entry: dict[str, Any] = {"code": code}
        for definition in CATALOGUE[code].fields:
            value = self.cleaned_data.get(question_name(code, definition.name))
            if definition.kind == "bool":
                entry[definition.name] = bool(value)
            elif value is not None and value != "":
                entry[definition.name] = value
        return entry

    def add_engine_errors(self, error: TriageValidationError) -> None:
        """Show each of the engine's refusals beside the question it names."""
        for problem in error.errors:
            message = _plain_message(problem)
            name = question_name(problem.symptom, problem.field) if problem.symptom else ""
            if problem.field and name in self.fields:
                self.add_error(name, message)
            elif problem.symptom in CATALOGUE and problem.field is None:
                # About the symptom as a whole, e.g. "tick at least one of ...".
                self.symptom_errors.setdefault(problem.symptom, []).append(message)
            else:
                self.add_error(None, message)
        self.add_error(None, gettext("Some answers need checking: see the messages in red."))

    # --- what the service needs -------------------------------------------------------------

    def submission(self) -> dict[str, Any]:
        """Keyword arguments for `report_submit` (after is_valid())."""
        role, relationship = self.reporter.role, self.reporter.relationship
        if self.cleaned_data.get("filled_in_by") == THE_PATIENT:
            role, relationship = Report.ReporterRole.PATIENT, Relationship.SELF
        return {
            "reporter_role": role,
            "reporter_relationship": relationship,
            "symptoms": [] if self.feel_well else self.entries,
            "symptoms_began": None if self.feel_well else self.cleaned_data.get("symptoms_began"),
            "note": self.cleaned_data.get("note", ""),
        }


def _plain_message(problem: FieldError) -> str:
    """The engine's sentence, naming the question by its label rather than its code.

    Families read "'Temperature (°C)' must be …" beside the question, not 'temperature_c'.
    """
    definition = CATALOGUE.get(problem.symptom or "")
    if definition is None or not problem.field or "field" not in problem.params:
        return problem.render(gettext)
    try:
        label = gettext(definition.field(problem.field).label)
    except KeyError:  # an unknown field: keep the code the sender used
        return problem.render(gettext)
    return replace(problem, params={**problem.params, "field": label}).render(gettext)
