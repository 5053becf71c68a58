"""The symptom report form, built from the triage catalogue.

One definition: every symptom and question comes from `reporting.triage.CATALOGUE`, so a new
symptom there appears here with no change to this file. The form posts the ticked codes as
`symptoms` and each question as `<code>-<field>` with the contract's codes as values.

The form only parses (a number is a number); the engine is the one judge of what is valid
(ranges, required answers, "diastolic below systolic"...). Its refusals are shown beside the
field they name, in plain words for the family (`plain_message`): no field codes, no echo of
what was typed. Questions of symptoms that are not ticked are ignored, not validated: without
JavaScript every question is on the page.

Numbers are typed as people write them: "38,2" and "38.2" both mean 38.2 (Vietnamese writes a
decimal comma, and a number input in a vi-VN browser would send "382"), so number questions
are text inputs with a numeric keyboard, parsed here.

The cards are shown in groups (`reporting.symptom_groups`): the patient's usual symptoms
first, then the others under plain headings. Only the page order changes: the fields, their
names and the engine's input (in catalogue order) stay the same.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.forms.boundfield import BoundField, BoundWidget
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext

from reporting.models import Relationship, Report
from reporting.selectors import Reporter
from reporting.symptom_groups import USUAL, USUAL_INTRO, arrange
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
# One decimal separator, comma or point, and digits on at least one side of it.
_DECIMAL = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")


def question_name(code: str, field_name: str) -> str:
    """The form field of one question: `<symptom code>-<field name>`."""
    return f"{code}-{field_name}"


def _number(value: float | int, *, decimals: int) -> str:
    """A number as the reader writes it ("38,2" in Vietnamese, "38.2" in English)."""
    return str(number_format(value, decimal_pos=decimals))


class DecimalCommaFloatField(forms.FloatField):
    """Reads "38,2" and "38.2" alike, in every language; refuses "38,2,1" and "1.234,5"."""

    # Django's FloatField breaks IntegerField's to_python (float, not int); django-stubs too.
    def to_python(self, value: Any) -> float | None:  # type: ignore[override]
        if isinstance(value, str):
            value = value.strip().replace(" ", "")
            if value and not _DECIMAL.match(value):
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
            value = value.replace(",", ".")
        return super().to_python(value)


def _number_widget(*, inputmode: str) -> forms.TextInput:
    # A text input: a number input would read "38,2" by the browser's locale, not ours.
    # `inputmode` still brings up the phone's number keyboard.
    return forms.TextInput(
        attrs={"inputmode": inputmode, "autocomplete": "off", "class": "form-control-lg"}
    )


def question_field(definition: FieldDef) -> forms.Field:
    """The Django field for one catalogue field; never required (the engine decides)."""
    label = gettext(definition.label)
    help_text = gettext(definition.help_text) if definition.help_text else ""
    common: dict[str, Any] = {"label": label, "help_text": help_text, "required": False}
    if definition.kind == "int":
        return forms.IntegerField(
            widget=_number_widget(inputmode="numeric"),
            error_messages={"invalid": gettext("Type a whole number, without a comma or a point.")},
            **common,
        )
    if definition.kind == "float":
        example = _number(38.2 if definition.name == "temperature_c" else 1.5, decimals=1)
        return DecimalCommaFloatField(
            widget=_number_widget(inputmode="decimal"),
            error_messages={
                "invalid": gettext("Type a number, for example %(example)s.") % {"example": example}
            },
            **common,
        )
    if definition.kind == "bool":
        return forms.BooleanField(**common)
    if definition.kind == "choice":
        choices = [(choice.code, gettext(choice.label)) for choice in definition.choices]
        return forms.ChoiceField(
            choices=choices,
            widget=forms.RadioSelect,
            error_messages={"invalid_choice": gettext("Choose one of the answers.")},
            **common,
        )
    if definition.kind == "text":
        attrs = {"rows": 3, "maxlength": definition.max_length}
        return forms.CharField(widget=forms.Textarea(attrs=attrs), **common)
    raise ValueError(f"no form field for kind {definition.kind!r}")


@dataclass
class SymptomSection:
    """What the template needs to draw one symptom: its tick box and its questions."""

    symptom: SymptomDef
    checkbox: BoundWidget
    questions: list[BoundField]
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

    @property
    def help_id(self) -> str:
        return f"help-{self.code}"


@dataclass(frozen=True, slots=True)
class SymptomGroup:
    """A heading of the form and its cards, in page order."""

    key: str
    heading: Promise | str
    sections: list[SymptomSection]
    intro: Promise | str = ""


@dataclass(frozen=True, slots=True)
class ErrorLink:
    """One line of the error summary at the top of the form: what, and a link to where
    (no anchor: a problem with the whole form)."""

    anchor: str
    text: str
    where: str = ""


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

    def __init__(
        self,
        *args: Any,
        reporter: Reporter,
        patient_name: str,
        patient_born: dt.date | None = None,
        usual: Sequence[str] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.reporter = reporter
        self._arrange(usual)
        self.patient_born = patient_born
        self.symptom_errors: dict[str, list[str]] = {}
        self.entries: list[dict[str, Any]] = []
        symptoms = self.fields["symptoms"]
        assert isinstance(symptoms, forms.MultipleChoiceField)
        symptoms.label = gettext("What have you noticed?")
        symptoms.choices = [(code, gettext(s.label)) for code, s in CATALOGUE.items()]
        self.fields["symptoms_began"].label = gettext("When did the symptoms begin?")
        self.fields["symptoms_began"].help_text = gettext("Leave empty if you are not sure.")
        self.fields["symptoms_began"].widget.attrs["max"] = timezone.localdate().isoformat()
        if patient_born is not None:
            self.fields["symptoms_began"].widget.attrs["min"] = patient_born.isoformat()
        self.fields["note"].label = gettext("Anything else for the nurse? (optional)")
        self.fields["note"].help_text = gettext(
            "A nurse reads every note, today. It is not watched all the time: "
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
        # A sent form needs the questions of its ticked symptoms only (the others are
        # ignored): the ~50 others are built when the page is shown (`_every_question`), not
        # for every report that is stored.
        self._questions_of: set[str] = set()
        self._add_questions(self.ticked_codes() if self.is_bound else list(CATALOGUE))

    def _add_questions(self, codes: Sequence[str]) -> None:
        for code in codes:
            if code in self._questions_of:
                continue
            self._questions_of.add(code)
            for definition in CATALOGUE[code].fields:
                self.fields[question_name(code, definition.name)] = question_field(definition)

    def _every_question(self) -> None:
        """Every card's questions, for the page (posted answers of unticked cards show as
        typed, without their errors: they are ignored)."""
        self._add_questions(list(CATALOGUE))

    # --- what was posted --------------------------------------------------------------------

    @property
    def feel_well(self) -> bool:
        return self.is_bound and FEEL_WELL in self.data

    def ticked_codes(self) -> list[str]:
        """Ticked symptom codes in catalogue order (unknown codes are the field's problem)."""
        if not self.is_bound:
            return []
        assert isinstance(self.data, MultiValueDict)  # request.POST
        ticked = set(self.data.getlist("symptoms"))
        return [code for code in CATALOGUE if code in ticked]

    def sections(self) -> list[SymptomSection]:
        """Every symptom's card, in page order."""
        return [section for group in self.groups() for section in group.sections]

    def groups(self) -> list[SymptomGroup]:
        """The cards under their headings: the patient's usual symptoms first."""
        # An unbound form may open with symptoms ticked (a follow-up asks about them again).
        self._every_question()
        ticked = set(self.ticked_codes() if self.is_bound else self.initial.get("symptoms", []))
        checkboxes = {widget.data["value"]: widget for widget in self["symptoms"]}
        return [
            SymptomGroup(
                key=group.key,
                heading=group.heading,
                sections=[
                    self._section(code, checkboxes[code], code in ticked) for code in group.codes
                ],
                intro=USUAL_INTRO if group.key == USUAL.key else "",
            )
            for group in self.arranged
        ]

    def _section(self, code: str, checkbox: BoundWidget, ticked: bool) -> SymptomSection:
        symptom = CATALOGUE[code]
        section = SymptomSection(
            symptom=symptom,
            checkbox=checkbox,
            questions=[self[question_name(code, f.name)] for f in symptom.fields],
            ticked=ticked,
            errors=self.symptom_errors.get(code, []),
        )
        if symptom.help_text:  # the card's one-line description is read with its tick box
            checkbox.data["attrs"]["aria-describedby"] = section.help_id
        return section

    # --- validation -------------------------------------------------------------------------

    def is_valid(self) -> bool:
        # A problem with a whole symptom ("tick at least one of ...") is shown on its card,
        # not as a field error, and makes the form just as invalid.
        return super().is_valid() and not self.symptom_errors

    def clean_symptoms_began(self) -> dt.date | None:
        began = self.cleaned_data.get("symptoms_began")
        if began and began > timezone.localdate():
            raise forms.ValidationError(gettext("This date is in the future."))
        if began and self.patient_born and began < self.patient_born:
            raise forms.ValidationError(gettext("This date is before the patient was born."))
        return began

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        ticked = self.ticked_codes()
        self._ignore_unticked(ticked)
        if self.feel_well and ticked:
            self.add_error(
                None,
                gettext(
                    "You ticked some symptoms: to send them to the nurse, press “Send report” "
                    "at the bottom of the page."
                ),
            )
        elif not self.feel_well and not ticked and not cleaned.get("note"):
            self.add_error(
                "symptoms", gettext("Tick at least one symptom, or press “I feel well today”.")
            )
        if self.feel_well or not ticked:
            return cleaned
        # The engine judges what did parse, so every problem shows at once: a "5,5" in one
        # box does not hide a 45 °C in another until the first is fixed.
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
                self.errors.pop(question_name(code, definition.name), None)

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
        """Show each of the engine's refusals beside the question it names, in plain words."""
        entries = {entry["code"]: entry for entry in self.entries}
        for problem in error.errors:
            message = plain_message(problem, entries.get(problem.symptom or "", {}))
            name = (
                question_name(problem.symptom, problem.field)
                if problem.symptom and problem.field
                else ""
            )
            if name in self.errors:
                continue  # what was typed did not even parse: that message says it
            if problem.field and name in self.fields:
                self.add_error(name, message)
            elif problem.symptom in CATALOGUE and problem.field is None:
                # About the symptom as a whole, e.g. "tick at least one of ...".
                self.symptom_errors.setdefault(problem.symptom, []).append(message)
            else:
                self.add_error(None, message)

    def arrange_cards(self, usual: Sequence[str]) -> None:
        """The page's groups and order; `usual` (reporting.selectors.usual_symptoms) first.
        Only the page needs it: a report that is sent is stored without it."""
        self._arrange(usual)
        self._every_question()

    def _arrange(self, usual: Sequence[str]) -> None:
        self.arranged = arrange(usual)
        self.page_order = [code for group in self.arranged for code in group.codes]

    # --- showing the problems ---------------------------------------------------------------

    def error_links(self) -> list[ErrorLink]:
        """Every problem in page order, each linking to its question (no script needed)."""
        if not self.is_bound:
            return []
        links = [ErrorLink("", str(message)) for message in self.non_field_errors()]
        for name in ("filled_in_by", "symptoms"):
            links += self._field_links(name, self.fields[name].label if name in self.fields else "")
        ticked = set(self.ticked_codes())
        for code in (code for code in self.page_order if code in ticked):
            symptom_label = gettext(CATALOGUE[code].label)
            for message in self.symptom_errors.get(code, []):
                links.append(ErrorLink(f"symptom-{code}", str(message), symptom_label))
            for definition in CATALOGUE[code].fields:
                label = f"{symptom_label}, {gettext(definition.label)}"
                links += self._field_links(question_name(code, definition.name), label)
        for name in ("symptoms_began", "note"):
            links += self._field_links(name, str(self.fields[name].label))
        return links

    def _field_links(self, name: str, label: Any) -> list[ErrorLink]:
        return [
            ErrorLink(f"div_id_{name}", str(message), str(label))
            for message in self.errors.get(name, [])
        ]

    def first_problem(self) -> str | None:
        """The anchor of the first question with a problem: the browser focuses it on load."""
        anchors = [link.anchor for link in self.error_links() if link.anchor]
        return anchors[0] if anchors else None

    def focus_first_problem(self) -> None:
        """Put `autofocus` on the first question with a problem (HTML does it, no script)."""
        anchor = self.first_problem()
        if anchor is None:
            return
        if anchor.startswith("symptom-"):
            code = anchor.removeprefix("symptom-")
            name = question_name(code, CATALOGUE[code].fields[0].name)
        else:
            name = anchor.removeprefix("div_id_")
        if name in self.fields:
            self.fields[name].widget.attrs["autofocus"] = True

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


# --- the engine's refusals in plain words --------------------------------------------------


def plain_message(problem: FieldError, entry: dict[str, Any]) -> str:
    """What to tell a family about one of the engine's refusals, beside the question.

    The engine's own sentence names the symptom and the field by code and echoes the value
    (right for the command line and the logs of a developer); beside the question a family
    reads what to do instead: "Type a number from 34,0 to 43,0." `entry` is what was sent for
    the symptom, to tell a missing answer from a wrong one.
    """
    symptom = CATALOGUE.get(problem.symptom or "")
    if symptom is None:
        return problem.render(gettext)
    for check in symptom.checks:
        if check.plain and check.template == problem.template:
            return gettext(check.plain)
    if problem.field is None:
        if symptom.requirement_plain:
            return gettext(symptom.requirement_plain)
        return gettext("Tick at least one of the answers below.")
    try:
        definition = symptom.field(problem.field)
    except KeyError:  # an unknown field: only a hand-made request sends one
        return problem.render(gettext)
    if problem.field not in entry:
        if definition.kind == "choice":
            return gettext("Choose one of the answers.")
        return gettext("Please answer this question.")
    return _out_of_range(definition)


def _out_of_range(definition: FieldDef) -> str:
    if definition.kind in ("int", "float"):
        decimals = 1 if definition.kind == "float" else 0
        limits = {
            "min": _number(definition.min_value or 0, decimals=decimals),
            "max": _number(definition.max_value or 0, decimals=decimals),
        }
        if definition.kind == "int":
            return gettext("Type a whole number from %(min)s to %(max)s.") % limits
        return gettext("Type a number from %(min)s to %(max)s.") % limits
    if definition.kind == "text":
        return gettext("Write a few words here, at most %(max)s characters.") % {
            "max": definition.max_length
        }
    return gettext("Choose one of the answers.")
