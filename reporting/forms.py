"""Forms for people and invitations (report forms live in reporting/report_forms.py)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import PasswordResetForm
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reporting.models import CareTeam, Patient, Relationship
from reporting.models.people import (
    EARLIEST_DATE_OF_BIRTH,
    HOSPITAL_NUMBER_TAKEN,
    ReminderChannel,
    hospital_number_taken,
    latest_treatment_start,
    validate_date_of_birth,
    validate_treatment_start_date,
)
from reporting.notifications import notifications_for_password_reset
from reporting.phones import normalize_phone
from reporting.triage import DRUGS

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

User = get_user_model()


def _helper(submit_label: StrOrPromise) -> FormHelper:
    helper = FormHelper()
    helper.add_input(Submit("submit", submit_label, css_class="btn-lg w-100"))
    return helper


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's refusal (its model's full_clean) beside the field it is about, or above
    the form when it is about no field of this form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _phone_field(label: StrOrPromise, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        **kwargs,
    )


class PatientEnrollForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    hospital_number = forms.CharField(label=_("Hospital number"), max_length=40)
    date_of_birth = forms.DateField(
        label=_("Date of birth"),
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_date_of_birth],
    )
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"),
        choices=Patient.Language.choices,
        initial=Patient.Language.VIETNAMESE,
    )
    care_team = forms.ModelChoiceField(label=_("Care team"), queryset=CareTeam.objects.none())
    regimen = forms.MultipleChoiceField(
        label=_("Treatment (drugs)"),
        choices=[(code, code) for code in sorted(DRUGS)],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Leave empty if unknown: alerts then assume immunotherapy may be involved."),
    )
    phone = _phone_field(_("Phone number to call"))
    treatment_start_date = forms.DateField(
        label=_("Treatment start date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, care_teams: QuerySet[CareTeam], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        care_team = self.fields["care_team"]
        assert isinstance(care_team, forms.ModelChoiceField)
        care_team.queryset = care_teams
        if care_teams.count() == 1:
            care_team.initial = care_teams.first()
        # The date pickers offer only dates the checks accept (the checks still decide).
        today = timezone.localdate()
        self.fields["date_of_birth"].widget.attrs.update(
            min=(EARLIEST_DATE_OF_BIRTH + dt.timedelta(days=1)).isoformat(),
            max=today.isoformat(),
        )
        self.fields["treatment_start_date"].widget.attrs.update(
            max=latest_treatment_start().isoformat()
        )
        self.helper = _helper(_("Enroll patient"))

    def clean_hospital_number(self) -> str:
        number = self.cleaned_data["hospital_number"].strip()
        if hospital_number_taken(number):
            raise forms.ValidationError(HOSPITAL_NUMBER_TAKEN)
        return number

    def clean_phone(self) -> str:
        return normalize_phone(self.cleaned_data["phone"])

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        start = cleaned.get("treatment_start_date")
        if start is not None:
            try:
                validate_treatment_start_date(start, date_of_birth=cleaned.get("date_of_birth"))
            except ValidationError as error:
                self.add_error("treatment_start_date", error)
        return cleaned


class InvitationForm(forms.Form):
    name = forms.CharField(label=_("Their name"), max_length=150, required=False)
    email = forms.EmailField(label=_("Their e-mail"))
    phone = _phone_field(
        _("Their phone number"), help_text=_("So that nurses can call them back about an alert.")
    )
    reminder_channel = forms.ChoiceField(
        label=_("Reminders and follow-up questions by"),
        choices=ReminderChannel.choices,
        initial=ReminderChannel.EMAIL,
        widget=forms.RadioSelect,
        required=False,  # left out of a post: e-mail
        help_text=_("A text message goes to the phone number above."),
    )
    # No default: left unchanged, "the patient themself" would record the son as the patient.
    relationship = forms.ChoiceField(
        label=_("Relationship to the patient"),
        choices=[("", _("Choose…")), *Relationship.choices],
    )
    # Left empty (a form posted without it): the patient's preferred language.
    language = forms.ChoiceField(
        label=_("Language of the invitation"),
        choices=Patient.Language.choices,
        required=False,
        help_text=_("The e-mail is written in it, and so is the new account at first."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Send invitation"))

    def clean_phone(self) -> str:
        return normalize_phone(self.cleaned_data["phone"])

    def clean_reminder_channel(self) -> str:
        return self.cleaned_data["reminder_channel"] or ReminderChannel.EMAIL


class OutboxPasswordResetForm(PasswordResetForm):
    """Django's password reset, with the e-mail written to the outbox in the person's language
    (retried, deduplicated, and shown to their care team if it fails) instead of sent here."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        path = reverse(
            "password_reset_confirm", kwargs={"uidb64": context["uid"], "token": context["token"]}
        )
        notifications_for_password_reset(user=context["user"], link=settings.SITE_URL + path)


class AcceptInvitationForm(forms.Form):
    first_name = forms.CharField(label=_("Your name"), max_length=150, required=False)
    username = forms.CharField(
        label=_("Choose a user name"),
        max_length=150,
        help_text=_("You will type it to log in. Letters, digits and @ . + - _ only."),
    )
    password1 = forms.CharField(
        label=_("Choose a password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 12 characters. A short sentence is easy to remember."),
    )
    password2 = forms.CharField(
        label=_("Type the password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Create my account"))

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        User.username_validator(username)
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This user name is taken. Please choose another."))
        return username

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords do not match."))
        elif p1:
            candidate = User(
                username=cleaned.get("username", ""), first_name=cleaned.get("first_name", "")
            )
            try:
                password_validation.validate_password(p1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned
