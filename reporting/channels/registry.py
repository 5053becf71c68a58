"""Channel kind (`Notification.channel`) -> channel class. Adding a channel: one line here.

This list drives the others: `Notification.Channel` (the model's choices) is built from it.
"""

from __future__ import annotations

from reporting.channels.base import Channel
from reporting.channels.email import EmailChannel
from reporting.channels.sms import SmsChannel
from reporting.channels.webhook import WebhookChannel

CHANNELS: dict[str, type[Channel]] = {
    EmailChannel.kind: EmailChannel,
    WebhookChannel.kind: WebhookChannel,
    SmsChannel.kind: SmsChannel,
}


def channel_choices() -> list[tuple[str, str, object]]:
    """(member name, kind, label) of every channel: `Notification.Channel`'s members."""
    return [(cls.kind.upper(), cls.kind, cls.label) for cls in CHANNELS.values()]


def channel_for(kind: str) -> Channel:
    try:
        return CHANNELS[kind]()
    except KeyError:
        raise LookupError(f"no channel of kind {kind!r}") from None
