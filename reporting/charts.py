"""A server-rendered SVG chart of each symptom's grade by date: no JavaScript, no library.

Every text that reaches the SVG (symptom labels, dates) is escaped here, because the result is
marked safe for the template. Colour is never the only cue: each series also has its own
marker shape, and the template shows the same data as a table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

WIDTH, HEIGHT = 720, 240
LEFT, RIGHT, TOP, BOTTOM = 44, 16, 12, 34
MAX_GRADE = 4
MAX_X_TICKS = 6
# Okabe-Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
MARKERS = ("circle", "square", "diamond", "triangle")


@dataclass(frozen=True, slots=True)
class GradePoint:
    """One symptom's grade on one day (the highest that day)."""

    code: str
    label: str
    day: dt.date
    grade: int


@dataclass(frozen=True, slots=True)
class Series:
    code: str
    label: str
    colour: str
    marker: str
    points: tuple[GradePoint, ...]

    @property
    def swatch(self) -> SafeString:
        """A small SVG of the series' line and marker, for the legend."""
        mark = marker(self.marker, 12, 7, self.colour, self.label)
        return mark_safe(  # noqa: S308 - built from escaped parts only
            f'<svg width="24" height="14" viewBox="0 0 24 14" aria-hidden="true">'
            f'<line x1="0" y1="7" x2="24" y2="7" stroke="{self.colour}" stroke-width="2"/>'
            f"{mark}</svg>"
        )


@dataclass(frozen=True, slots=True)
class GradeChart:
    svg: SafeString
    series: tuple[Series, ...]

    @property
    def is_empty(self) -> bool:
        return not self.series


def daily_points(rows: Iterable[tuple[str, str, dt.date, int | None]]) -> list[GradePoint]:
    """(code, translated label, local date, grade) rows to one point per symptom and day.

    Lab-graded entries (grade None) have nothing to plot and are left out.
    """
    best: dict[tuple[str, dt.date], GradePoint] = {}
    for code, label, day, grade in rows:
        if grade is None:
            continue
        key = (code, day)
        if key not in best or grade > best[key].grade:
            best[key] = GradePoint(code, label, day, grade)
    return sorted(best.values(), key=lambda point: (point.code, point.day))


def grade_chart(points: Iterable[GradePoint], *, title: str) -> GradeChart:
    """The chart of ``points``; an empty chart (no SVG) when there is nothing to plot."""
    by_code: dict[str, list[GradePoint]] = {}
    for point in points:
        by_code.setdefault(point.code, []).append(point)
    if not by_code:
        return GradeChart(mark_safe(""), ())
    series = tuple(
        Series(
            code,
            group[0].label,
            PALETTE[index % len(PALETTE)],
            MARKERS[index % len(MARKERS)],
            tuple(sorted(group, key=lambda point: point.day)),
        )
        for index, (code, group) in enumerate(sorted(by_code.items()))
    )
    days = [point.day for item in series for point in item.points]
    first, last = min(days), max(days)
    parts = [_axes(first, last)]
    crowd = _crowded(series)
    parts.extend(_series_svg(item, first, last, crowd) for item in series)
    svg = (
        f'<svg class="grade-chart" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="img" '
        f'aria-labelledby="grade-chart-title" preserveAspectRatio="xMidYMid meet">'
        f'<title id="grade-chart-title">{escape(title)}</title>{"".join(parts)}</svg>'
    )
    return GradeChart(mark_safe(svg), series)  # noqa: S308 - every text above is escaped


def _x(day: dt.date, first: dt.date, last: dt.date) -> float:
    span = (last - first).days
    plot = WIDTH - LEFT - RIGHT
    if span == 0:
        return LEFT + plot / 2
    return LEFT + plot * (day - first).days / span


def _y(grade: int) -> float:
    plot = HEIGHT - TOP - BOTTOM
    return TOP + plot * (1 - min(grade, MAX_GRADE) / MAX_GRADE)


def _x_ticks(first: dt.date, last: dt.date) -> list[dt.date]:
    span = (last - first).days
    if span == 0:
        return [first]
    step = max(1, -(-span // (MAX_X_TICKS - 1)))  # ceiling division
    ticks = [first + dt.timedelta(days=offset) for offset in range(0, span, step)]
    # The last day always gets a label; it replaces a tick too close to it to read.
    if len(ticks) > 1 and (last - ticks[-1]).days * 2 < step:
        ticks[-1] = last
    else:
        ticks.append(last)
    return ticks


def _axes(first: dt.date, last: dt.date) -> str:
    lines: list[str] = []
    for grade in range(MAX_GRADE + 1):
        y = _y(grade)
        lines.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" '
            f'stroke="#dee2e6" stroke-width="1"/>'
            f'<text x="{LEFT - 8}" y="{y + 4:.1f}" text-anchor="end" font-size="12" '
            f'fill="#495057">{grade}</text>'
        )
    ticks = _x_ticks(first, last)
    for index, day in enumerate(ticks):
        x = _x(day, first, last)
        label = escape(date_format(day, "MONTH_DAY_FORMAT"))
        # The first and last labels lean inwards so that they are not cut off at the edges.
        anchor = "middle"
        if len(ticks) > 1 and index == 0:
            anchor = "start"
        elif len(ticks) > 1 and index == len(ticks) - 1:
            anchor = "end"
        lines.append(
            f'<text x="{x:.1f}" y="{HEIGHT - 12}" text-anchor="{anchor}" font-size="12" '
            f'fill="#495057">{label}</text>'
        )
    axis_label = escape(_("Grade"))
    lines.append(
        f'<text x="12" y="{TOP + (HEIGHT - TOP - BOTTOM) / 2:.1f}" font-size="12" '
        f'fill="#495057" transform="rotate(-90 12 {TOP + (HEIGHT - TOP - BOTTOM) / 2:.1f})" '
        f'text-anchor="middle">{axis_label}</text>'
    )
    return "".join(lines)


# Horizontal distance between markers that share a day and a grade.
SPREAD = 10.0


def _crowded(series: Iterable[Series]) -> dict[tuple[dt.date, int], list[str]]:
    """The symptoms at each (day, grade) where more than one has a point: their markers are
    spread sideways, else the last one drawn hides the others."""
    at: dict[tuple[dt.date, int], list[str]] = {}
    for item in series:
        for point in item.points:
            at.setdefault((point.day, point.grade), []).append(item.code)
    return {key: codes for key, codes in at.items() if len(codes) > 1}


def _offset(code: str, point: GradePoint, crowd: dict[tuple[dt.date, int], list[str]]) -> float:
    codes = crowd.get((point.day, point.grade))
    if not codes:
        return 0.0
    return (codes.index(code) - (len(codes) - 1) / 2) * SPREAD


def _series_svg(
    series: Series,
    first: dt.date,
    last: dt.date,
    crowd: dict[tuple[dt.date, int], list[str]] | None = None,
) -> str:
    crowd = crowd or {}
    coords = [
        (_x(p.day, first, last) + _offset(series.code, p, crowd), _y(p.grade))
        for p in series.points
    ]
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
    markers = "".join(
        marker(
            series.marker,
            x,
            y,
            series.colour,
            _("%(symptom)s, %(date)s: grade %(grade)s")
            % {
                "symptom": series.label,
                "date": date_format(point.day, "DATE_FORMAT"),
                "grade": point.grade,
            },
        )
        for (x, y), point in zip(coords, series.points, strict=True)
    )
    line = (
        f'<polyline points="{path}" fill="none" stroke="{series.colour}" stroke-width="2"/>'
        if len(coords) > 1
        else ""
    )
    return f'<g data-code="{escape(series.code)}">{line}{markers}</g>'


def marker(shape: str, x: float, y: float, colour: str, tooltip: str) -> str:
    title = f"<title>{escape(tooltip)}</title>"
    if shape == "square":
        return (
            f'<rect x="{x - 4.5:.1f}" y="{y - 4.5:.1f}" width="9" height="9" '
            f'fill="{colour}">{title}</rect>'
        )
    if shape == "diamond":
        return (
            f'<polygon points="{x:.1f},{y - 6:.1f} {x + 6:.1f},{y:.1f} {x:.1f},{y + 6:.1f} '
            f'{x - 6:.1f},{y:.1f}" fill="{colour}">{title}</polygon>'
        )
    if shape == "triangle":
        return (
            f'<polygon points="{x:.1f},{y - 6:.1f} {x + 6:.1f},{y + 5:.1f} '
            f'{x - 6:.1f},{y + 5:.1f}" fill="{colour}">{title}</polygon>'
        )
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{colour}">{title}</circle>'
