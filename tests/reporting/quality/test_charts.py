"""The quality charts: readable without colour (a marker shape per line, a legend, values
in tooltips), nothing inline for the CSP, and dates that do not overlap."""

from __future__ import annotations

import datetime as dt
import re

from reporting.quality_charts import Line, _labelled, bar_chart, trend_chart

WEEKS = [dt.date(2026, 9, 14) + dt.timedelta(weeks=index) for index in range(12)]


def test_each_line_has_its_own_marker_and_a_legend() -> None:
    svg = trend_chart(
        "Alerts", WEEKS, [Line("Urgent", [1.0] * 12), Line("Monitor", [None] * 11 + [2.0])]
    )
    assert svg.count("<circle") == 12 + 1  # the points and the legend's marker
    assert svg.count("<rect") == 1 + 1  # one point of the second line and its legend
    assert ">Urgent</text>" in svg and ">Monitor</text>" in svg
    assert "<title>Monitor, 30 Nov 2026: 2.0</title>" in svg
    assert "style=" not in svg


def test_a_week_without_data_draws_no_point() -> None:
    svg = trend_chart("Response", WEEKS, [Line("Median", [None] * 12)])
    assert "<polyline" not in svg and svg.count("<circle") == 1  # the legend only


def test_about_six_dates_under_the_axis_the_last_always() -> None:
    assert _labelled(12) == [0, 2, 4, 6, 8, 11]
    assert _labelled(13)[-1] == 12 and _labelled(1) == [0]
    svg = trend_chart("Alerts", WEEKS, [Line("A", [1.0] * 12)])
    dates = re.findall(r'fill="#495057">(\d+ \w+)</text>', svg)
    assert dates == ["14 Sep", "28 Sep", "12 Oct", "26 Oct", "9 Nov", "30 Nov"]


def test_bars_carry_their_values() -> None:
    svg = bar_chart("Alerts by level", [("Urgent", 2), ("Monitor", 5)])
    assert ">Urgent</text>" in svg and ">5</text>" in svg
    assert "<title>Monitor: 5</title>" in svg
    assert "style=" not in svg
