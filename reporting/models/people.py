"""Who is who: care teams and their nurses, patients, and the people who report for them."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Value
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from reporting.models.users import Language
from reporting.phones import normalize_phone
from reporting.triage import DRUGS

if TYPE_CHECKING:
    from reporting.models.users import User

# --- rules shared by the models and the forms ----------------------------------------------

EARLIEST_DATE_OF_BIRTH = dt.date(1900, 1, 1)  # a date of birth must be after it
HOSPITAL_NUMBER_TAKEN = _("A patient with this hospital number already exists.")


def validate_date_of_birth(value: dt.date) -> None:
    if value <= EARLIEST_DATE_OF_BIRTH:
        raise ValidationError(
            _("Enter a date of birth after 1 January 1900."), code="date_of_birth_too_early"
        )
    if value > timezone.localdate():
        raise ValidationError(
            _("The date of birth cannot be in the future."), code="date_of_birth_in_future"
        )


def latest_treatment_start() -> dt.date:
    """One year from today (28 February for a 29 February)."""
    today = timezone.localdate()
    try:
        return today.replace(year=today.year + 1)
    except ValueError:
        return today.replace(year=today.year + 1, day=28)


def validate_treatment_start_date(value: dt.date, *, date_of_birth: dt.date | None) -> None:
    if date_of_birth is not None and value <= date_of_birth:
        raise ValidationError(
            _("The treatment start date must be after the date of birth."),
            code="treatment_before_birth",
        )
    if value > latest_treatment_start():
        raise ValidationError(
            _("The treatment start date can be at most one year from today."),
            code="treatment_too_far_ahead",
        )


def hospital_number_taken(number: str, *, exclude_pk: int | None = None) -> bool:
    """Whether another patient has `number`, whatever its case (as the constraint compares)."""
    others = Patient.objects.alias(folded=Lower("hospital_number")).filter(
        folded=Lower(Value(number.strip()))
    )
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    return others.exists()


def clean_phone_field(instance: models.Model, field: str = "phone") -> dict[str, Any]:
    """Store `instance.<field>` in E.164; {field: error} if it is not a phone number."""
    try:
        setattr(instance, field, normalize_phone(getattr(instance, field)))
    except ValidationError as error:
        return {field: error.error_list}
    return {}


def clean_reminder_channel(instance: CaregiverLink | Invitation) -> dict[str, Any]:
    """Text messages need a phone number to go to."""
    if instance.reminder_channel == ReminderChannel.SMS and not instance.phone:
        return {"reminder_channel": _("A text message needs their phone number.")}
    return {}


class CareTeam(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    escalation_contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("escalation contact"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Who is told when an urgent alert is not acknowledged in time."),
    )
    webhook_url = models.URLField(
        _("paging webhook URL"),
        blank=True,
        help_text=_("Optional: the hospital paging system or chat channel for this team."),
    )
    nurses: models.ManyToManyField[User, CareTeamMembership] = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="CareTeamMembership",
        related_name="care_teams",
        verbose_name=_("nurses"),
    )

    # Who changed what, when (README, "Audit trail").
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("care team")
        verbose_name_plural = _("care teams")

    def __str__(self) -> str:
        return self.name


class CareTeamMembership(models.Model):
    care_team = models.ForeignKey(CareTeam, on_delete=models.CASCADE, related_name="memberships")
    nurse = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    on_duty = models.BooleanField(_("on duty"), default=False)
    phone = models.CharField(_("mobile number for SMS alerts"), max_length=32, blank=True)

    # Who changed what, when (README, "Audit trail").
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["care_team", "nurse"], name="unique_team_nurse"),
        ]
        verbose_name = _("care team membership")
        verbose_name_plural = _("care team memberships")

    def __str__(self) -> str:
        return f"{self.nurse} @ {self.care_team}"

    def clean(self) -> None:
        if errors := clean_phone_field(self):
            raise ValidationError(errors)


class Patient(models.Model):
    # One list of languages for people and patients (reporting.models.users).
    Language = Language

    full_name = models.CharField(_("full name"), max_length=200)
    # Unique whatever its case: see Meta.constraints.
    hospital_number = models.CharField(_("hospital number"), max_length=40)
    date_of_birth = models.DateField(_("date of birth"), validators=[validate_date_of_birth])
    preferred_language = models.CharField(
        _("preferred language"), max_length=5, choices=Language.choices, default=Language.VIETNAMESE
    )
    care_team = models.ForeignKey(
        CareTeam, on_delete=models.PROTECT, related_name="patients", verbose_name=_("care team")
    )
    regimen = models.JSONField(
        _("regimen"),
        default=list,
        blank=True,
        help_text=_("Drug codes of the current treatment, e.g. atezolizumab, bevacizumab."),
    )
    treatment_start_date = models.DateField(_("treatment start date"), null=True, blank=True)
    # When the next dose is planned: a decision (hold it?) is due by then; the family is asked
    # to check in two days before.
    next_infusion_on = models.DateField(_("next infusion planned on"), null=True, blank=True)
    phone = models.CharField(
        _("phone number"),
        max_length=32,
        blank=True,
        help_text=_("The number nurses call about this patient (the patient's own or home)."),
    )
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    # Who changed what, when (README, "Audit trail").
    history = HistoricalRecords()

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("patient")
        verbose_name_plural = _("patients")
        constraints = [
            # "demo-0001" beside "DEMO-0001" would be two records of one person.
            models.UniqueConstraint(
                Lower("hospital_number"),
                name="unique_patient_hospital_number_ci",
                violation_error_message=HOSPITAL_NUMBER_TAKEN,
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def given_name(self) -> str:
        """What a message calls the patient: the given name, last in a Vietnamese name
        ("Nguyễn Văn An" -> "An"), first otherwise."""
        words = self.full_name.split()
        if not words:
            return ""
        return words[-1] if self.preferred_language == Language.VIETNAMESE else words[0]

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        unknown = [code for code in self.regimen or [] if code not in DRUGS]
        if unknown:
            errors["regimen"] = _("Unknown drug code: %(codes)s") % {
                "codes": ", ".join(map(str, unknown))
            }
        self.hospital_number = str(self.hospital_number or "").strip()
        if not self.hospital_number:
            field = self._meta.get_field("hospital_number")
            assert isinstance(field, models.Field)  # a column, not a relation
            errors["hospital_number"] = field.error_messages["blank"]
        elif hospital_number_taken(self.hospital_number, exclude_pk=self.pk):
            errors["hospital_number"] = HOSPITAL_NUMBER_TAKEN
        if isinstance(self.treatment_start_date, dt.date):
            born = self.date_of_birth if isinstance(self.date_of_birth, dt.date) else None
            try:
                validate_treatment_start_date(self.treatment_start_date, date_of_birth=born)
            except ValidationError as error:
                errors["treatment_start_date"] = error.error_list
        errors.update(clean_phone_field(self))
        if errors:
            raise ValidationError(errors)

    def validate_constraints(self, exclude: Any = None) -> None:
        # clean() reports a hospital number taken in another case beside its field; the
        # constraint stays the database's guarantee (two enrolments at the same moment).
        super().validate_constraints(exclude={*(exclude or ()), "hospital_number"})


class Relationship(models.TextChoices):
    SELF = "self", _("The patient themself")
    SPOUSE = "spouse", _("Husband, wife or partner")
    CHILD = "child", _("Son or daughter")
    PARENT = "parent", _("Father or mother")
    SIBLING = "sibling", _("Brother or sister")
    OTHER_FAMILY = "other_family", _("Other family member")
    CARER = "carer", _("Friend or carer")


class ReminderChannel(models.TextChoices):
    """How a family member is reminded and asked how the patient is."""

    EMAIL = "email", _("E-mail")
    SMS = "sms", _("Text message (SMS)")


class CaregiverLink(models.Model):
    """A user who may see and report for a patient: the patient themself or a family member."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="caregiver_links"
    )
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="caregiver_links")
    relationship = models.CharField(
        _("relationship to the patient"), max_length=20, choices=Relationship.choices
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    phone = models.CharField(_("phone number"), max_length=32, blank=True)

    ReminderChannel = ReminderChannel

    # How this person is reminded and asked how the patient is (e-mail without a phone).
    reminder_channel = models.CharField(
        _("reminders by"),
        max_length=10,
        choices=ReminderChannel.choices,
        default=ReminderChannel.EMAIL,
    )
    # When this person was last reminded that the patient has not reported (at most weekly).
    last_reminded_at = models.DateTimeField(null=True, blank=True)

    # Who changed what, when (README, "Audit trail").
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "patient"], name="unique_user_patient"),
        ]
        verbose_name = _("family member link")
        verbose_name_plural = _("family member links")

    def __str__(self) -> str:
        return f"{self.user} → {self.patient} ({self.get_relationship_display()})"

    def clean(self) -> None:
        if errors := clean_phone_field(self) | clean_reminder_channel(self):
            raise ValidationError(errors)


class Invitation(models.Model):
    """A single-use, expiring link for a family member (or the patient) to set a password.

    Only a SHA-256 hash of the token is stored: a database leak does not leak working links.
    """

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail"))
    name = models.CharField(_("name"), max_length=150, blank=True)
    relationship = models.CharField(
        _("relationship to the patient"), max_length=20, choices=Relationship.choices
    )
    phone = models.CharField(_("phone number"), max_length=32, blank=True)
    reminder_channel = models.CharField(
        _("reminders by"),
        max_length=10,
        choices=ReminderChannel.choices,
        default=ReminderChannel.EMAIL,
    )
    language = models.CharField(
        _("language of the e-mail"),
        max_length=5,
        choices=Language.choices,
        default=Language.VIETNAMESE,
        help_text=_("The invitation e-mail, and the new account, use it."),
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    # Who changed what, when (README, "Audit trail").
    history = HistoricalRecords(excluded_fields=["token_hash"])

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"Invitation #{self.pk}"

    def clean(self) -> None:
        if errors := clean_phone_field(self) | clean_reminder_channel(self):
            raise ValidationError(errors)

    def is_usable(self, now: dt.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.accepted_at is None and now < self.expires_at
