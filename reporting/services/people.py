"""Enrolling patients and inviting the people who report for them."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from reporting.models import CaregiverLink, CareTeam, Invitation, Patient, User
from reporting.models.people import HOSPITAL_NUMBER_TAKEN, ReminderChannel
from reporting.notifications import notifications_for_invitation
from reporting.roles import FAMILY_GROUP
from reporting.selectors.people import require_care_team

logger = logging.getLogger(__name__)


class InvitationError(Exception):
    """The invitation link is unknown, already used, or expired: `reason` says which."""

    UNKNOWN = "unknown"
    USED = "used"
    EXPIRED = "expired"

    def __init__(self, reason: str = UNKNOWN) -> None:
        super().__init__(reason)
        self.reason = reason


def _refuse_unusable(invitation: Invitation | None) -> Invitation:
    if invitation is None:
        raise InvitationError(InvitationError.UNKNOWN)
    if invitation.accepted_at is not None:
        raise InvitationError(InvitationError.USED)
    if not invitation.is_usable():
        raise InvitationError(InvitationError.EXPIRED)
    return invitation


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def patient_enroll(
    *,
    nurse: User,
    full_name: str,
    hospital_number: str,
    date_of_birth: dt.date,
    care_team: CareTeam,
    regimen: list[str],
    preferred_language: str = Patient.Language.VIETNAMESE,
    treatment_start_date: dt.date | None = None,
    phone: str = "",
) -> Patient:
    require_care_team(
        nurse, care_team.pk, "A nurse enrolls patients only into their own care teams."
    )
    patient = Patient(
        full_name=full_name.strip(),
        hospital_number=hospital_number.strip(),
        date_of_birth=date_of_birth,
        care_team=care_team,
        regimen=list(regimen),
        preferred_language=preferred_language,
        treatment_start_date=treatment_start_date,
        phone=phone.strip(),
        enrolled_by=nurse,
    )
    patient.full_clean()  # the rules of reporting.models.people, whoever calls
    try:
        with transaction.atomic():
            patient.save()
    except IntegrityError:  # the same hospital number (in any case), enrolled at this moment
        raise ValidationError({"hospital_number": HOSPITAL_NUMBER_TAKEN}) from None
    logger.info("patient %s enrolled by user %s", patient.pk, nurse.pk)
    return patient


def invitation_create(
    *,
    created_by: User,
    patient: Patient,
    email: str,
    relationship: str,
    name: str = "",
    phone: str = "",
    language: str | None = None,
    reminder_channel: str = ReminderChannel.EMAIL,
) -> tuple[Invitation, str]:
    """Create an invitation, e-mail its link after commit, and return it with the raw token.

    The raw token exists only in the e-mail and in this return value (shown to the nurse once).
    """
    require_care_team(
        created_by, patient.care_team_id, "Only the patient's care team may invite family members."
    )
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        patient=patient,
        email=email.strip().lower(),
        name=name.strip(),
        relationship=relationship,
        phone=phone.strip(),
        reminder_channel=reminder_channel,
        language=language or patient.preferred_language,
        token_hash=_hash_token(token),
        created_by=created_by,
        expires_at=timezone.now() + dt.timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    invitation.full_clean()
    with transaction.atomic():
        invitation.save()
        # No patient name or health detail in the e-mail: only that an invitation exists.
        link = settings.SITE_URL + reverse("invitation_link", args=[token])
        notifications_for_invitation(invitation=invitation, link=link)
    logger.info("invitation %s created by user %s", invitation.pk, created_by.pk)
    return invitation, token


def invitation_find(token: str) -> Invitation:
    """Return the usable invitation for a raw token, or raise InvitationError."""
    return _refuse_unusable(
        Invitation.objects.select_related("patient").filter(token_hash=_hash_token(token)).first()
    )


def invitation_accept(
    *,
    token: str,
    username: str,
    password: str,
    first_name: str = "",
    user: User | None = None,
    language: str = "",
) -> User:
    """Accept an invitation: create the account (or use the logged-in `user`) and link it.

    The row is locked, so of two clicks on the same link (at the same moment or one after the
    other) exactly one succeeds and the other raises InvitationError(USED). A new account
    whose user name was taken meanwhile raises ValidationError on "username"; nothing is
    stored then.
    """
    with transaction.atomic():
        invitation = _refuse_unusable(
            Invitation.objects.select_for_update().filter(token_hash=_hash_token(token)).first()
        )
        if user is None:
            # The new account speaks the language the person read the invitation page in.
            user = User(
                username=username.strip(),
                email=invitation.email,
                display_name=first_name.strip(),
                language=language or invitation.language,
            )
            user.set_password(password)
            user.full_clean()
            try:
                with transaction.atomic():
                    user.save()
            except IntegrityError:  # the same name, chosen at the same moment elsewhere
                raise ValidationError(
                    {"username": _("This user name is taken. Please choose another.")}
                ) from None
        user.groups.add(Group.objects.get(name=FAMILY_GROUP))
        CaregiverLink.objects.get_or_create(
            user=user,
            patient=invitation.patient,
            defaults={
                "relationship": invitation.relationship,
                "phone": invitation.phone,
                "reminder_channel": invitation.reminder_channel,
            },
        )
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
    logger.info("invitation %s accepted by user %s", invitation.pk, user.pk)
    return user
