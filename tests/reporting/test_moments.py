"""Moments of these last days, without the year, in each reader's way (reporting/moments.py):
no title-cased "Tháng 12" in the middle of a Vietnamese sentence."""

from __future__ import annotations

import datetime as dt

from django.template import Context, Template
from django.utils import timezone, translation

from reporting.moments import day_and_time

# 00:48 on 2 December in the hospital's time zone.
MOMENT = timezone.make_aware(dt.datetime(2026, 12, 2, 0, 48))


def test_english_puts_the_day_first_with_the_months_short_name() -> None:
    with translation.override("en"):
        assert day_and_time(MOMENT) == "2 Dec 00:48"


def test_vietnamese_puts_the_time_first_and_writes_the_day_in_figures() -> None:
    with translation.override("vi"):
        assert day_and_time(MOMENT) == "00:48 2/12"


def test_the_template_filter_says_the_same_and_nothing_for_no_moment() -> None:
    template = Template("{% load dates %}[{{ when|day_and_time }}][{{ never|day_and_time }}]")
    with translation.override("vi"):
        assert template.render(Context({"when": MOMENT, "never": None})) == "[00:48 2/12][]"


def test_a_whole_datetime_in_vietnamese_has_no_capital_month() -> None:
    template = Template('{{ when|date:"DATETIME_FORMAT" }}')
    with translation.override("vi"):
        text = template.render(Context({"when": MOMENT}))
    assert text == "00:48 ngày 2/12/2026"
    assert "Tháng" not in text
