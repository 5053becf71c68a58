"""The interface every channel implements, and the one error it may raise."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any, ClassVar, Self


class DeliveryError(Exception):
    """Sending failed. `permanent=True` when retrying cannot help (bad address, refused,
    misconfigured); otherwise the notification is retried with backoff, a bounded number of
    times. The message is stored on the notification: never put health details in it."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.permanent = permanent


@dataclass(frozen=True, slots=True)
class OutgoingMessage:
    """What a channel sends, already rendered in the recipient's language.

    It carries no health details by construction: the level, the care team's name, counts,
    ids and a link; never a symptom, grade, reason or patient name.
    """

    idempotency_key: str
    event: str  # Notification.Purpose: alert, escalation, digest
    subject: str  # one line, e.g. an e-mail subject
    body: str  # the full text, e.g. an e-mail body
    short_text: str  # one line with the link, for SMS and chat
    link: str
    care_team: str
    level: str | None = None
    alert_id: int | None = None
    count: int | None = None  # digests: how many alerts


class Channel(ABC):
    """One way of reaching a recipient. Subclasses set `kind` and implement `send`.

    Used as a context manager, a channel is a session: the sends inside it may share what is
    costly to open (the e-mail channel keeps one connection to the mail server). Outside a
    `with`, each send stands alone. Channels with nothing to share inherit these no-ops.
    """

    kind: ClassVar[str]
    # Shown to admins and nurses (e.g. "E-mail"): a lazily translated string.
    label: ClassVar[Any]

    @abstractmethod
    def send(self, *, address: str, message: OutgoingMessage) -> None:
        """Deliver `message` to `address`, or raise DeliveryError."""

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        return None
