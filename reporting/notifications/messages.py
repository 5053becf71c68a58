"""What a notification says, rendered in the recipient's language when it is sent.

Messages say which level and which care team, or that it is time to check in, with a link,
and nothing else: no symptom, grade, reason or patient name (README, "Alerts and
notifications"). Text comes from the templates in `templates/reporting/email/`, one subject
and one body per purpose; `short_text` is the one line for SMS and chat.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from reporting.channels import OutgoingMessage
from reporting.models import Level, Notification, Relationship

Purpose = Notification.Purpose


def _absolute(name: str, fallback: str, args: list[Any] | None = None) -> str:
    try:
        path = reverse(name, args=args)
    except NoReverseMatch:  # the page is not installed (a partial test configuration)
        path = fallback
    return settings.SITE_URL + path


def alert_link(alert_id: int) -> str:
    """Absolute link to the alert on the nurse dashboard: an id, never a detail."""
    return _absolute("alert_detail", f"/triage/alerts/{alert_id}/", [alert_id])


def queue_link() -> str:
    return _absolute("triage_queue", "/triage/")


def report_link(patient_id: int) -> str:
    """The report form for one patient: an id in the query, never a detail."""
    return _absolute("report_new", "/report/new/") + f"?patient={patient_id}"


def _alert_context(notification: Notification) -> dict[str, Any]:
    alert = notification.alert
    assert alert is not None
    return {
        "level": str(Level(alert.level).label).upper(),
        "link": alert_link(alert.pk),
        "alert_id": alert.pk,
        "number": notification.escalation_number,
        "target_minutes": settings.IMMUNOWATCH_ALERT_TARGET_MINUTES[alert.level],
    }


def _reminder_context(notification: Notification) -> dict[str, Any]:
    link = notification.caregiver_link
    assert link is not None
    follow_up = "&follow_up=1" if notification.purpose == Purpose.FOLLOW_UP else ""
    return {
        "name": link.user.get_full_name(),
        "for_self": link.relationship == Relationship.SELF,
        "patient_name": link.patient.given_name,
        "link": report_link(link.patient_id) + follow_up,
    }


def _invitation_context(notification: Notification) -> dict[str, Any]:
    invitation = notification.invitation
    assert invitation is not None
    # The raw link is held on the row only until it is sent (Notification.secret).
    return {
        "name": invitation.name,
        "link": notification.secret,
        "expires_at": invitation.expires_at,
    }


def _context(notification: Notification) -> dict[str, Any]:
    team = notification.care_team
    context: dict[str, Any] = {
        "team": team.name if team is not None else "",
        "level": None,
        "emergency_number": settings.IMMUNOWATCH_EMERGENCY_NUMBER,
        "hotline": settings.IMMUNOWATCH_HOTLINE,
    }
    if notification.purpose == Purpose.DIGEST:
        assert notification.digest is not None
        context.update(count=notification.digest.alerts.count(), link=queue_link())
    elif notification.purpose in (Purpose.REMINDER, Purpose.FOLLOW_UP, Purpose.CHECK_IN):
        context.update(_reminder_context(notification))
    elif notification.purpose == Purpose.INVITATION:
        context.update(_invitation_context(notification))
    elif notification.purpose == Purpose.PASSWORD_RESET:
        assert notification.recipient is not None
        # The reset link is held on the row only until it is sent (Notification.secret).
        context.update(username=notification.recipient.get_username(), link=notification.secret)
    else:
        context.update(_alert_context(notification))
    return context


def _short_text(purpose: str, context: dict[str, Any]) -> str:
    if purpose == Purpose.ALERT:
        return _("New %(level)s alert for a patient of %(team)s. Open: %(link)s") % context
    if purpose == Purpose.ESCALATION:
        return (
            _(
                "Escalation %(number)s: %(level)s alert for a patient of %(team)s is not "
                "acknowledged. Open: %(link)s"
            )
            % context
        )
    if purpose == Purpose.REMINDER:
        return (
            _(
                "ImmunoWatch: no report for 7 days. Please tell the care team how things are: "
                "%(link)s In an emergency call %(emergency_number)s."
            )
            % context
        )
    # Texts to families carry the emergency number, as every page and e-mail to them does.
    if purpose == Purpose.FOLLOW_UP:
        if context["for_self"]:
            text = _("ImmunoWatch: please tell us how you are today: %(link)s") % context
        else:
            text = _("ImmunoWatch: please tell us how %(patient_name)s is today: %(link)s")
            text %= context
        return f"{text} {_('In an emergency call %(emergency_number)s.') % context}"
    if purpose == Purpose.CHECK_IN:
        text = _("ImmunoWatch: before the next treatment, please tell us how things are: %(link)s")
        return f"{text % context} {_('In an emergency call %(emergency_number)s.') % context}"
    if purpose == Purpose.INVITATION:
        return _("ImmunoWatch: you are invited to report symptoms from home: %(link)s") % context
    if purpose == Purpose.PASSWORD_RESET:
        return _("ImmunoWatch: choose a new password: %(link)s") % context
    return (
        ngettext(
            "%(count)s monitor alert for patients of %(team)s is waiting. Open: %(link)s",
            "%(count)s monitor alerts for patients of %(team)s are waiting. Open: %(link)s",
            context["count"],
        )
        % context
    )


# The note of a `notified` alert event: codes, so that every reader sees it in their language.
_NOTIFIED_PREFIX = "notified"


def notified_note(purpose: str, channel: str, username: str) -> str:
    """What a `notified` event stores: purpose, channel and user name ("" for the team
    webhook). User names cannot hold ":"."""
    return f"{_NOTIFIED_PREFIX}:{purpose}:{channel}:{username}"


def notified_text(note: str) -> str:
    """A `notified` event's note in the current language: "New alert sent by E-mail to
    lan.do". Notes written before they were codes are shown as they are."""
    prefix, _sep, rest = note.partition(":")
    parts = rest.split(":", 2)
    if prefix != _NOTIFIED_PREFIX or len(parts) != 3:
        return note
    purpose, channel, username = parts
    if purpose not in Purpose.values or channel not in Notification.Channel.values:
        return note
    return _("%(purpose)s sent by %(channel)s to %(recipient)s") % {
        "purpose": Purpose(purpose).label,
        "channel": Notification.Channel(channel).label,
        "recipient": username or _("team webhook"),
    }


def render_message(notification: Notification) -> OutgoingMessage:
    """The message in the recipient's language, from the templates in reporting/email/."""
    with translation.override(notification.language or settings.LANGUAGE_CODE):
        context = _context(notification)
        name = str(notification.purpose)
        subject = render_to_string(f"reporting/email/{name}_subject.txt", context)
        body = render_to_string(f"reporting/email/{name}_body.txt", context)
        short_text = _short_text(notification.purpose, context)
    alert = notification.alert
    if alert is not None:
        level: str | None = alert.level
    else:  # a digest tells about monitor alerts; reminders and invitations about none
        level = Level.MONITOR.value if notification.purpose == Purpose.DIGEST else None
    return OutgoingMessage(
        idempotency_key=notification.idempotency_key,
        event=name,
        subject=" ".join(subject.split()),
        body=body,
        short_text=short_text,
        link=context["link"],
        care_team=context["team"],
        level=level,
        alert_id=alert.pk if alert is not None else None,
        count=context.get("count"),
    )
