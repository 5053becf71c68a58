"""Moments of these last days written without the year: "2 Dec 00:48" in English, "00:48 2/12"
in Vietnamese.

Django's "j M" would write "2 Tháng 12" in Vietnamese (its month abbreviations are
title-cased), not how anyone writes a date there; each language's MONTH_DAY_FORMAT and
TIME_FORMAT (config/formats/) say how, and Vietnamese puts the time first, as its
DATETIME_FORMAT does.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language


def day_of(local: dt.datetime) -> str:
    return date_format(local, "MONTH_DAY_FORMAT")


def joined(day: str, time: str) -> str:
    """The day and the time in the reader's order."""
    return f"{time} {day}" if (get_language() or "").startswith("vi") else f"{day} {time}"


def day_and_time(moment: dt.datetime) -> str:
    local = timezone.localtime(moment)
    return joined(day_of(local), date_format(local, "TIME_FORMAT"))
