"""Django's own messages that its Vietnamese catalogue lacks, listed so that `makemessages`
puts them in ours (LOCALE_PATHS come before Django's catalogues).

Django 5.2 changed the msgid of the "password too short" error (`%d` for `%(min_length)d`)
and its Vietnamese translation did not follow: families creating an account read it in
English. Never called: the text only has to be where `makemessages` reads.
"""

from __future__ import annotations

from django.utils.translation import ngettext


def _for_the_catalogue(count: int) -> list[str]:  # pragma: no cover - extraction only
    return [
        ngettext(
            "This password is too short. It must contain at least %d character.",
            "This password is too short. It must contain at least %d characters.",
            count,
        )
    ]
