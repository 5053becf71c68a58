"""Django's `timesince` words ("1 week, 4 days"), in our catalogue so that Vietnamese has them.

Django 5 asks for "%(num)d week", but its Vietnamese catalogue still translates the older
"%d week", so "(1 week, 4 days ago)" stayed English on Vietnamese pages. The same message ids,
declared here, are picked up by `makemessages` and translated in locale/vi; Django's own
`timesince` and `timeuntil` (the template filters) then find them. `TIME_STRINGS` is the same
table as Django's, for code that passes `time_strings=` itself.
"""

from __future__ import annotations

from django.utils.translation import ngettext_lazy

TIME_STRINGS = {
    "year": ngettext_lazy("%(num)d year", "%(num)d years", "num"),
    "month": ngettext_lazy("%(num)d month", "%(num)d months", "num"),
    "week": ngettext_lazy("%(num)d week", "%(num)d weeks", "num"),
    "day": ngettext_lazy("%(num)d day", "%(num)d days", "num"),
    "hour": ngettext_lazy("%(num)d hour", "%(num)d hours", "num"),
    "minute": ngettext_lazy("%(num)d minute", "%(num)d minutes", "num"),
}
