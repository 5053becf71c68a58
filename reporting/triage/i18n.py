"""Translation markers that do not need Django.

The triage package must stay importable without Django, yet every English text it holds is
shown to families in their own language. ``gettext_noop`` is one of the keywords Django's
``makemessages`` extracts, so wrapping a literal in it puts the literal in the catalogue while
leaving it English here; the web layer calls ``gettext()`` on it when it displays it.
"""

from __future__ import annotations

from collections.abc import Callable

Translate = Callable[[str], str]


def gettext_noop(message: str) -> str:
    """Mark ``message`` for translation and return it unchanged."""
    return message


def identity(message: str) -> str:
    """The default translator: leave English as it is."""
    return message
