"""Treatment cycles as the nurse reads them: "cycle 3, day 12" beside each report, lab panel
and alert, and when the next infusion is planned (a decision, hold the next dose or not, is
due by then). Days count from the last infusion on or before the day: the infusion day is
day 1 (docs/clinical.md, "Treatment cycles").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from reporting.models import Infusion, Patient
from reporting.selectors.people import cycle_day

_CYCLE_DAY = gettext_noop("cycle %(cycle)s, day %(day)s")  # translated by `translate`


def cycle_text(
    infusions: Sequence[Infusion],
    when: dt.datetime | dt.date,
    translate: Callable[[str], str] = _,
) -> str:
    """ "cycle 3, day 12" on `when` (its local date), or "" before the first infusion.
    `infusions` newest first (`infusions_of`); `translate`: gettext or a page's memo of it."""
    day = when if not isinstance(when, dt.datetime) else timezone.localdate(when)
    found = cycle_day(infusions, day)
    if found is None:
        return ""
    return translate(_CYCLE_DAY) % {"cycle": found[0], "day": found[1]}


@dataclass(frozen=True, slots=True)
class CycleSummary:
    """Where the patient is in the treatment today, and what is planned next."""

    today: str  # "cycle 3, day 12", "" before the first infusion
    last: Infusion | None
    next_on: dt.date | None
    days_to_next: int | None  # negative: the planned date has passed unrecorded

    @property
    def next_text(self) -> str:
        if self.next_on is None or self.days_to_next is None:
            return ""
        days = self.days_to_next
        if days == 0:
            return _("today")
        if days < 0:
            return ngettext(
                "%(days)s day ago: record it if it was given",
                "%(days)s days ago: record it if it was given",
                -days,
            ) % {"days": -days}
        return ngettext("in %(days)s day", "in %(days)s days", days) % {"days": days}

    @property
    def decision_due(self) -> bool:
        """The next dose is close (a week or less) or overdue: the alert page says a decision
        is due by then."""
        return self.days_to_next is not None and self.days_to_next <= 7


def cycle_summary(
    patient: Patient, infusions: Sequence[Infusion], today: dt.date | None = None
) -> CycleSummary:
    today = today or timezone.localdate()
    next_on = patient.next_infusion_on
    return CycleSummary(
        today=cycle_text(infusions, today),
        last=infusions[0] if infusions else None,
        next_on=next_on,
        days_to_next=(next_on - today).days if next_on is not None else None,
    )
