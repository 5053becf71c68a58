"""Forms of the nurse dashboard: queue filters, alert actions, snoozes. Validation only; the
services decide and write."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from reporting.models import Alert, CareTeam, Level, Snooze
from reporting.selectors.dashboard import QueueFilters
from reporting.services.alert_actions import CALL_NOTE_MAX_LENGTH, AlertWork, WorkStep
from reporting.triage import CATALOGUE

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

STATUS_CHOICES = [
    ("open", _("Open (new and acknowledged)")),
    (Alert.Status.NEW, _("New")),
    (Alert.Status.ACKNOWLEDGED, _("Acknowledged")),
    (Alert.Status.RESOLVED, _("Resolved")),
    ("all", _("All")),
]
# Routine reports never raise alerts: no point offering them.
LEVEL_CHOICES = [
    ("", _("All levels")),
    (Level.EMERGENCY, Level.EMERGENCY.label),
    (Level.URGENT, Level.URGENT.label),
    (Level.MONITOR, Level.MONITOR.label),
]


class QuickSelect(forms.Select):
    """Django's select, drawn here instead of by its widget templates (a template for the
    select and one for each option): the queue's filters are drawn on every refresh of
    every nurse's queue, and the templates cost more than the rest of the filters' work.
    The same markup: its attributes and options come from Django's own `get_context`."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts: list[str] = [
            format_html('<select name="{}"{}>', widget["name"], flatatt(widget["attrs"]))
        ]
        for group, options, _index in widget["optgroups"]:
            if group:
                parts.append(format_html('<optgroup label="{}">', group))
            parts.extend(
                format_html(
                    '<option value="{}"{}>{}</option>',
                    option["value"],
                    flatatt(option["attrs"]),
                    option["label"],
                )
                for option in options
            )
            if group:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("\n".join(parts))  # noqa: S308 (each part escaped by format_html)


_SELECT = QuickSelect(attrs={"class": "form-select"})


class QueueFilterForm(forms.Form):
    """GET filters of the queue; anything invalid falls back to the default (open alerts)."""

    status = forms.ChoiceField(
        label=_("Status"), choices=STATUS_CHOICES, required=False, widget=_SELECT
    )
    level = forms.ChoiceField(
        label=_("Level"), choices=LEVEL_CHOICES, required=False, widget=_SELECT
    )
    care_team = forms.TypedChoiceField(
        label=_("Care team"),
        choices=(),
        coerce=int,
        required=False,
        empty_value=None,
        widget=_SELECT,
    )

    def __init__(self, *args: Any, care_teams: list[CareTeam], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        care_team = self.fields["care_team"]
        assert isinstance(care_team, forms.ChoiceField)
        care_team.choices = [("", _("All my care teams"))] + [
            (team.pk, team.name) for team in care_teams
        ]

    def filters(self) -> QueueFilters:
        if not self.is_valid():
            return QueueFilters()
        data = self.cleaned_data
        return QueueFilters(
            status=data["status"] or "open",
            level=data["level"] or "",
            care_team_id=data["care_team"],
        )


def _text(label: StrOrPromise, *, rows: int = 2, help_text: StrOrPromise = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=CALL_NOTE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )


class AlertWorkForm(forms.Form):
    """The alert page's one form: whatever button is pressed, nothing typed is lost (the
    service saves the call note with every step; the page keeps what a step does not use)."""

    step = forms.ChoiceField(choices=WorkStep.choices)
    call_note = _text(
        _("Call note"),
        rows=3,
        help_text=_("What was said or tried, e.g. “No answer, voicemail left”."),
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=Alert.Outcome.choices, widget=forms.RadioSelect, required=False
    )
    details = _text(_("Details of the outcome"), help_text=_("Required for “Other”."))
    closing_note = _text(_("Closing note"))
    escalation_note = _text(_("Why escalate?"))
    # Set by the confirmation page of "Resolve".
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    TYPED = ("call_note", "outcome", "details", "closing_note", "escalation_note")

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if (
            data.get("step") in (WorkStep.OUTCOME, WorkStep.RESOLVE)
            and data.get("outcome") == Alert.Outcome.OTHER
            and not (data.get("details") or "").strip()
        ):
            self.add_error("details", gettext("Say what was done."))
        return data

    def work(self) -> AlertWork:
        """What was typed and pressed (after is_valid())."""
        data = self.cleaned_data
        return AlertWork(
            step=data["step"],
            call_note=data.get("call_note", ""),
            outcome=data.get("outcome", ""),
            details=data.get("details", ""),
            closing_note=data.get("closing_note", ""),
            escalation_note=data.get("escalation_note", ""),
        )


def symptom_choices() -> list[tuple[str, str]]:
    """Catalogue codes with their labels in the current language, in catalogue order."""
    return [(code, gettext(symptom.label)) for code, symptom in CATALOGUE.items()]


class SnoozeForm(forms.Form):
    # No default: snoozing the wrong symptom would silence alerts a nurse wants to see.
    code = forms.ChoiceField(
        label=_("Symptom"),
        choices=(),
        error_messages={"required": _("Choose the symptom to snooze.")},
    )
    days = forms.IntegerField(
        label=_("For how many days?"),
        min_value=1,
        max_value=Snooze.MAX_DAYS,
        initial=7,
        help_text=_("At most 30 days."),
    )
    reason = forms.CharField(
        label=_("Why is it expected?"),
        max_length=300,
        required=False,
        help_text=_("e.g. raised blood pressure, known and treated, on lenvatinib."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Built per form: labels follow the language of the request.
        code = self.fields["code"]
        assert isinstance(code, forms.ChoiceField)
        code.choices = [("", gettext("Choose a symptom…")), *symptom_choices()]
