"""Triage levels, ordered from least to most pressing."""

from __future__ import annotations

from enum import Enum
from functools import total_ordering

from .i18n import gettext_noop


@total_ordering
class Level(Enum):
    """A triage level; ``.value`` is the contract code and members compare by urgency.

    Each member also carries ``rank`` (0-3) so the engine can do its arithmetic on ints,
    a ``colour`` (the UKONS traffic light) and a translatable ``label``.
    """

    ROUTINE = ("routine", 0, "green", gettext_noop("Routine"))
    MONITOR = ("monitor", 1, "amber", gettext_noop("Monitor"))
    URGENT = ("urgent", 2, "red", gettext_noop("Urgent"))
    EMERGENCY = ("emergency", 3, "red", gettext_noop("Emergency"))

    _value_: str
    rank: int
    colour: str
    label: str

    def __new__(cls, code: str, rank: int, colour: str, label: str) -> Level:
        member = object.__new__(cls)
        # The contract code is the public value, so Level("urgent") works when loading JSON.
        member._value_ = code
        member.rank = rank
        member.colour = colour
        member.label = label
        return member

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Level):
            return NotImplemented
        return self.rank < other.rank

    def __str__(self) -> str:
        return self._value_


# Index by rank: the engine raises and compares ranks, then maps back once.
LEVELS_BY_RANK: tuple[Level, ...] = tuple(sorted(Level, key=lambda level: level.rank))
