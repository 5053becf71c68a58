"""Delivery channels: one small class per way of reaching someone, behind one interface.

`channel_for(kind)` returns the channel for a `Notification.channel`; `send()` either returns
(delivered) or raises `DeliveryError(message, permanent=...)`. See README, "How to add a
channel".
"""

from reporting.channels.base import Channel, DeliveryError, OutgoingMessage
from reporting.channels.registry import CHANNELS, channel_choices, channel_for

__all__ = [
    "CHANNELS",
    "Channel",
    "DeliveryError",
    "OutgoingMessage",
    "channel_choices",
    "channel_for",
]
