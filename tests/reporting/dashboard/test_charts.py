"""The server-rendered grade chart: one point per symptom and day, escaped, no library."""

from __future__ import annotations

import datetime as dt

from reporting.charts import GradePoint, daily_points, grade_chart

DAY1, DAY2, DAY3 = dt.date(2026, 1, 5), dt.date(2026, 1, 6), dt.date(2026, 1, 20)


def test_daily_points_keep_the_highest_grade_of_the_day_and_skip_lab_graded() -> None:
    points = daily_points(
        [
            ("rash", "Rash", DAY1, 1),
            ("rash", "Rash", DAY1, 3),
            ("rash", "Rash", DAY2, 2),
            ("liver", "Liver", DAY1, None),
        ]
    )
    assert points == [
        GradePoint("rash", "Rash", DAY1, 3),
        GradePoint("rash", "Rash", DAY2, 2),
    ]


def test_chart_has_one_series_per_symptom_with_distinct_colour_and_marker() -> None:
    chart = grade_chart(
        [
            GradePoint("rash", "Rash", DAY1, 1),
            GradePoint("rash", "Rash", DAY3, 3),
            GradePoint("fever", "Fever", DAY2, 2),
        ],
        title="Grades",
    )
    assert [series.code for series in chart.series] == ["fever", "rash"]
    first, second = chart.series
    assert first.colour != second.colour and first.marker != second.marker
    svg = str(chart.svg)
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert svg.count("<polyline") == 1  # a single point draws no line
    assert "Rash, " in svg and "grade 3</title>" in svg
    assert "<script" not in svg


def test_higher_grades_are_drawn_higher() -> None:
    chart = grade_chart(
        [GradePoint("rash", "Rash", DAY1, 0), GradePoint("rash", "Rash", DAY2, 4)], title="t"
    )
    svg = str(chart.svg)
    polyline = svg.split('<polyline points="')[1].split('"')[0]
    (_, y_grade_0), (_, y_grade_4) = (tuple(map(float, p.split(","))) for p in polyline.split())
    assert y_grade_4 < y_grade_0  # SVG y grows downwards


def test_labels_and_title_are_escaped() -> None:
    evil = '<script>alert("x")</script>'
    chart = grade_chart([GradePoint('x"><b>', evil, DAY1, 2)], title=evil)
    svg = str(chart.svg)
    assert "<script>" not in svg and "<b>" not in svg
    assert "&lt;script&gt;" in svg
    assert "<script>" not in str(chart.series[0].swatch)


def test_no_points_no_chart() -> None:
    chart = grade_chart([], title="Grades")
    assert chart.is_empty and str(chart.svg) == ""


def _marker_x(svg: str, code: str) -> list[float]:
    """The x of each marker of one symptom's group (circle cx, rect x + 4.5, polygon apex)."""
    import re

    group = svg.split(f'data-code="{code}">')[1].split("</g>")[0]
    xs = [float(x) for x in re.findall(r'<circle cx="([\d.]+)"', group)]
    xs += [float(x) + 4.5 for x in re.findall(r'<rect x="([\d.]+)"', group)]
    xs += [float(x) for x in re.findall(r'<polygon points="([\d.]+),', group)]
    return sorted(xs)


def test_two_symptoms_at_the_same_grade_on_the_same_day_do_not_hide_each_other() -> None:
    chart = grade_chart(
        [
            GradePoint("rash", "Rash", DAY1, 2),
            GradePoint("fever", "Fever", DAY1, 2),
            GradePoint("rash", "Rash", DAY3, 1),
            GradePoint("fever", "Fever", DAY3, 3),
        ],
        title="Grades",
    )
    svg = str(chart.svg)
    fever, rash = _marker_x(svg, "fever"), _marker_x(svg, "rash")
    # Day 1, both grade 2: side by side, 10 px apart; day 3, different grades: same x.
    assert abs(fever[0] - rash[0]) == 10.0
    assert fever[1] == rash[1]
