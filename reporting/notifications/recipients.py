"""Who is told: the care team's on-duty nurses, its escalation contact, its webhook, and, for
reminders and invitations, one person.

Each recipient carries the language of its messages: the person's own (`User.language`); an
invitation's, chosen by the nurse, for someone who has no account yet.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, NamedTuple

from reporting.models import CaregiverLink, CareTeam, CareTeamMembership, Notification, User
from reporting.selectors.compiled import CompiledQuery

logger = logging.getLogger(__name__)

Channel = Notification.Channel


@dataclass(frozen=True, slots=True)
class Recipient:
    channel: str
    address: str
    user_id: int | None = None  # None: a team-level recipient (the webhook) or an invitee
    language: str = ""  # empty: settings.LANGUAGE_CODE when the message is rendered

    @classmethod
    def person(cls, channel: str, address: str, user: User) -> Recipient:
        return cls(channel, address, user.pk, user.language)

    @property
    def key(self) -> str:
        return f"user-{self.user_id}" if self.user_id is not None else "team"


class Member(NamedTuple):
    """What telling a nurse of the team needs: their account, e-mail, language, team phone."""

    nurse_id: int
    email: str
    language: str
    phone: str

    @classmethod
    def of(cls, membership: CareTeamMembership) -> Member:
        nurse = membership.nurse
        return cls(nurse.pk, nurse.email, nurse.language, membership.phone)


def _nurse_recipients(member: Member) -> list[Recipient]:
    found = []
    if member.email:
        found.append(Recipient(Channel.EMAIL, member.email, member.nurse_id, member.language))
    phone = member.phone.strip()
    if phone:
        found.append(Recipient(Channel.SMS, phone, member.nurse_id, member.language))
    return found


def _on_duty_members(care_team_id: Any) -> Any:
    return (
        CareTeamMembership.objects.filter(
            care_team_id=care_team_id, on_duty=True, nurse__is_active=True
        )
        .order_by("nurse_id")
        .values_list("nurse_id", "nurse__email", "nurse__language", "phone")
    )


# Every urgent alert asks (reporting/selectors/compiled.py: compiled once; plain text values).
_ON_DUTY = CompiledQuery(_on_duty_members, care_team_id=int)


def _on_duty(care_team: CareTeam) -> list[Member]:
    return [Member(*row) for row in _ON_DUTY.rows(care_team_id=care_team.pk)]


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
    if any(recipient.user_id is not None for recipient in found):
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
        found = _nurse_recipients(Member.of(membership))
    elif contact.email:
        # A contact outside the team (e.g. the duty oncologist): e-mail only.
        found = [Recipient.person(Channel.EMAIL, contact.email, contact)]
    else:
        found = []
    if not found:
        logger.warning("care team %s: escalation contact has no e-mail or phone", care_team.pk)
    return found + _webhook(care_team)


def digest_recipients(care_team: CareTeam) -> list[Recipient]:
    """One message per on-duty nurse: e-mail, or SMS for a nurse without an e-mail address."""
    found = []
    for member in _on_duty(care_team):
        channels = _nurse_recipients(member)
        if channels:
            found.append(channels[0])
    return found


def family_recipient(link: CaregiverLink) -> Recipient | None:
    """How to reach the person of a caregiver link: their chosen reminder channel
    (`CaregiverLink.reminder_channel`), else whichever of e-mail and phone they have."""
    user = link.user
    phone = link.phone.strip()
    if link.reminder_channel == CaregiverLink.ReminderChannel.SMS and phone:
        return Recipient.person(Channel.SMS, phone, user)
    if user.email:
        return Recipient.person(Channel.EMAIL, user.email, user)
    if phone:
        return Recipient.person(Channel.SMS, phone, user)
    return None
