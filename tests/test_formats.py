"""Dates read as each language writes them, mid-sentence included."""

from __future__ import annotations

import datetime as dt

from django.utils import formats, translation

WHEN = dt.datetime(2026, 12, 1, 19, 6)


def test_english_dates_are_day_month_year_with_a_24_hour_clock() -> None:
    with translation.override("en"):
        assert formats.date_format(WHEN, "DATETIME_FORMAT") == "1 Dec 2026, 19:06"
        assert formats.date_format(WHEN, "TIME_FORMAT") == "19:06"


def test_vietnamese_dates_have_no_capital_in_the_middle_of_a_sentence() -> None:
    with translation.override("vi"):
        assert formats.date_format(WHEN, "DATETIME_FORMAT") == "19:06 ngày 1/12/2026"
        assert formats.date_format(WHEN.date(), "DATE_FORMAT") == "1/12/2026"
        assert formats.number_format(38.2, 1) == "38,2"
