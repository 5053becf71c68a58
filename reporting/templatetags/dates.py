"""`{{ moment|day_and_time }}`: "2 Dec 00:48" / "00:48 2/12" (reporting.moments)."""

from __future__ import annotations

import datetime as dt

from django import template

from reporting import moments

register = template.Library()


@register.filter
def day_and_time(moment: dt.datetime | None) -> str:
    return moments.day_and_time(moment) if moment is not None else ""
