"""Who is told: the care team's on-duty nurses, its escalation contact, its webhook, and, for
reminders and invitations, one person.

Each recipient carries the language of its messages: the person's own (`User.language`); an
invitation's, chosen by the nurse, for someone who has no account yet.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from reporting.models import CaregiverLink, CareTeam, CareTeamMembership, Notification, User

logger = logging.getLogger(__name__)

Channel = Notification.Channel


@dataclass(frozen=True, slots=True)
class Recipient:
    channel: str
    address: str
    user: User | None = None  # None: a team-level recipient (the webhook) or an invitee
    language: str = ""  # empty: settings.LANGUAGE_CODE when the message is rendered

    @property
    def key(self) -> str:
        return f"user-{self.user.pk}" if self.user is not None else "team"


def _nurse_recipients(membership: CareTeamMembership, *, sms: bool = True) -> list[Recipient]:
    nurse = membership.nurse
    found = []
    if nurse.email:
        found.append(Recipient(Channel.EMAIL, nurse.email, nurse, nurse.language))
    if sms and membership.phone.strip():
        found.append(Recipient(Channel.SMS, membership.phone.strip(), nurse, nurse.language))
    return found


def _on_duty(care_team: CareTeam) -> list[CareTeamMembership]:
    return list(
        CareTeamMembership.objects.filter(care_team=care_team, on_duty=True, nurse__is_active=True)
        .select_related("nurse")
        .order_by("nurse_id")
    )


def _webhook(care_team: CareTeam) -> list[Recipient]:
    if not care_team.webhook_url:
        return []
    return [Recipient(Channel.WEBHOOK, care_team.webhook_url)]


def on_duty_recipients(care_team: CareTeam) -> list[Recipient]:
    """Every on-duty nurse's channels, then the team's webhook."""
    found = [r for membership in _on_duty(care_team) for r in _nurse_recipients(membership)]
    if not found:
        logger.warning("care team %s has no on-duty nurse to notify", care_team.pk)
    return found + _webhook(care_team)


def new_alert_recipients(care_team: CareTeam) -> list[Recipient]:
    """The on-duty nurses and the webhook; with no nurse on duty to reach, the escalation
    contact at once: an urgent alert must not wait for its first escalation to reach a person."""
    found = on_duty_recipients(care_team)
    if any(recipient.user is not None for recipient in found):
        return found
    logger.warning("care team %s: nobody on duty, telling the escalation contact", care_team.pk)
    return escalation_recipients(care_team)


def escalation_recipients(care_team: CareTeam) -> list[Recipient]:
    """The escalation contact's e-mail (and SMS, if they have a phone in this team) and the
    team's webhook. With no contact set, the on-duty nurses again: better than nobody."""
    contact = care_team.escalation_contact
    if contact is None or not contact.is_active:
        logger.warning("care team %s: no escalation contact, telling on-duty nurses", care_team.pk)
        return on_duty_recipients(care_team)
    membership = (
        CareTeamMembership.objects.filter(care_team=care_team, nurse=contact)
        .select_related("nurse")
        .first()
    )
    if membership is not None:
        found = _nurse_recipients(membership)
    elif contact.email:
        # A contact outside the team (e.g. the duty oncologist): e-mail only.
        found = [Recipient(Channel.EMAIL, contact.email, contact, contact.language)]
    else:
        found = []
    if not found:
        logger.warning("care team %s: escalation contact has no e-mail or phone", care_team.pk)
    return found + _webhook(care_team)


def digest_recipients(care_team: CareTeam) -> list[Recipient]:
    """One message per on-duty nurse: e-mail, or SMS for a nurse without an e-mail address."""
    found = []
    for membership in _on_duty(care_team):
        channels = _nurse_recipients(membership)
        if channels:
            found.append(channels[0])
    return found


def family_recipient(link: CaregiverLink) -> Recipient | None:
    """How to reach the person of a caregiver link: their chosen reminder channel
    (`CaregiverLink.reminder_channel`), else whichever of e-mail and phone they have."""
    user = link.user
    phone = link.phone.strip()
    if link.reminder_channel == CaregiverLink.ReminderChannel.SMS and phone:
        return Recipient(Channel.SMS, phone, user, user.language)
    if user.email:
        return Recipient(Channel.EMAIL, user.email, user, user.language)
    if phone:
        return Recipient(Channel.SMS, phone, user, user.language)
    return None
