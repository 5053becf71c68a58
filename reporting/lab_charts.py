"""Server-rendered SVG trend charts of laboratory values: no JavaScript, no library.

One chart per test: the values by date (in the test's canonical unit, so that a mg/dL and a
umol/L bilirubin sit on one scale), the upper limit of normal as a dashed step line and the
patient's baseline as a dotted line. ALBI has its grade limits (-2.60, -1.39) as lines. The
page shows the same numbers as a table beside each chart; colour is never the only cue (each
line has its own dash pattern and a legend).

Every text that reaches the SVG is escaped here: the result is marked safe for the template.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.formats import date_format, number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 720, 220
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 24, 30
VALUE_COLOUR, LIMIT_COLOUR, BASELINE_COLOUR = "#0072B2", "#D55E00", "#009E73"


@dataclass(frozen=True, slots=True)
class TrendPoint:
    """One result: when, its value, and the ULN and baseline it was read against (all in
    the chart's unit; None where there was none)."""

    when: dt.datetime
    value: float
    uln: float | None = None
    baseline: float | None = None
    lln: float | None = None


@dataclass(frozen=True, slots=True)
class TrendChart:
    code: str
    title: str
    unit: str
    points: tuple[TrendPoint, ...]
    svg: SafeString
    limits: tuple[tuple[str, float], ...] = ()  # fixed lines (ALBI grade limits)

    @property
    def is_empty(self) -> bool:
        return not self.points


def trend_chart(
    code: str,
    title: str,
    unit: str,
    points: Sequence[TrendPoint],
    *,
    limits: Sequence[tuple[str, float]] = (),
) -> TrendChart:
    """The chart of `points` (in time order); no SVG when there is nothing to plot."""
    points = tuple(sorted(points, key=lambda point: point.when))
    if not points:
        return TrendChart(code, title, unit, (), mark_safe(""), tuple(limits))
    values = [p.value for p in points]
    values += [p.uln for p in points if p.uln is not None]
    values += [p.lln for p in points if p.lln is not None]
    values += [p.baseline for p in points if p.baseline is not None]
    values += [value for _label, value in limits]
    low, high, step = _nice_range(min(values), max(values))
    scale = _Scale(points[0].when, points[-1].when, low, high, step)
    parts = [scale.axes(unit)]
    parts += [scale.hline(value, label, "2 4", "#6c757d") for label, value in limits]
    parts.append(scale.steps([(p.when, p.uln) for p in points], LIMIT_COLOUR, "6 4"))
    parts.append(scale.steps([(p.when, p.lln) for p in points], LIMIT_COLOUR, "6 4"))
    parts.append(scale.steps([(p.when, p.baseline) for p in points], BASELINE_COLOUR, "2 3"))
    parts.append(scale.values(points, title, unit))
    svg = (
        f'<svg class="lab-chart" data-test="{escape(code)}" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="100%" role="img" aria-label="{escape(title)}" '
        f'preserveAspectRatio="xMidYMid meet"><title>{escape(title)}</title>'
        f"{''.join(parts)}</svg>"
    )
    return TrendChart(code, title, unit, points, mark_safe(svg), tuple(limits))  # noqa: S308


@dataclass(frozen=True, slots=True)
class _Scale:
    first: dt.datetime
    last: dt.datetime
    low: float
    high: float
    step: float

    def x(self, when: dt.datetime) -> float:
        span = (self.last - self.first).total_seconds()
        plot = WIDTH - LEFT - RIGHT
        if span == 0:
            return LEFT + plot / 2
        return LEFT + plot * (when - self.first).total_seconds() / span

    def y(self, value: float) -> float:
        plot = HEIGHT - TOP - BOTTOM
        return TOP + plot * (1 - (value - self.low) / (self.high - self.low))

    def axes(self, unit: str) -> str:
        lines = []
        ticks = round((self.high - self.low) / self.step)
        for index in range(ticks + 1):
            value = self.low + self.step * index
            y = self.y(value)
            lines.append(
                f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" '
                f'stroke="#dee2e6"/><text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" '
                f'font-size="11" fill="#495057">{escape(_num(value, self.step))}</text>'
            )
        for when, anchor in ((self.first, "start"), (self.last, "end")):
            day = escape(date_format(when, "MONTH_DAY_FORMAT"))
            lines.append(
                f'<text x="{self.x(when):.1f}" y="{HEIGHT - 10}" text-anchor="{anchor}" '
                f'font-size="11" fill="#495057">{day}</text>'
            )
        lines.append(f'<text x="{LEFT}" y="12" font-size="11" fill="#495057">{escape(unit)}</text>')
        return "".join(lines)

    def hline(self, value: float, label: str, dash: str, colour: str) -> str:
        y = self.y(value)
        return (
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" '
            f'stroke="{colour}" stroke-dasharray="{dash}"/><text x="{WIDTH - RIGHT - 2}" '
            f'y="{y - 3:.1f}" text-anchor="end" font-size="11" fill="{colour}">'
            f"{escape(label)}</text>"
        )

    def steps(
        self, pairs: Sequence[tuple[dt.datetime, float | None]], colour: str, dash: str
    ) -> str:
        known = [(when, value) for when, value in pairs if value is not None]
        if not known:
            return ""
        coords: list[str] = []
        for index, (when, value) in enumerate(known):
            x, y = self.x(when), self.y(value)
            if index:
                coords.append(f"{x:.1f},{coords[-1].split(',')[1]}")
            coords.append(f"{x:.1f},{y:.1f}")
        if len(known) == 1:
            coords = [
                f"{LEFT},{self.y(known[0][1]):.1f}",
                f"{WIDTH - RIGHT},{self.y(known[0][1]):.1f}",
            ]
        return (
            f'<polyline points="{" ".join(coords)}" fill="none" stroke="{colour}" '
            f'stroke-width="1.5" stroke-dasharray="{dash}"/>'
        )

    def values(self, points: Sequence[TrendPoint], title: str, unit: str) -> str:
        coords = [(self.x(p.when), self.y(p.value)) for p in points]
        line = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        marks = "".join(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4.5" fill="{VALUE_COLOUR}"><title>'
            f"{escape(_tooltip(title, p, unit))}</title></circle>"
            for (x, y), p in zip(coords, points, strict=True)
        )
        polyline = (
            f'<polyline points="{line}" fill="none" stroke="{VALUE_COLOUR}" stroke-width="2"/>'
            if len(coords) > 1
            else ""
        )
        return f'<g class="lab-values">{polyline}{marks}</g>'


def _nice_range(low: float, high: float) -> tuple[float, float, float]:
    """Axis limits on round numbers (1, 2 or 5 times a power of ten) around the data."""
    if low == high:
        low, high = low - 1, high + 1
    rough = (high - low) / 4
    magnitude = 10 ** math.floor(math.log10(rough))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= rough)
    return math.floor(low / step) * step, math.ceil(high / step) * step, step


def _tooltip(title: str, point: TrendPoint, unit: str) -> str:
    return f"{title}, {date_format(point.when, 'DATE_FORMAT')}: {_num(point.value)} {unit}"


def _num(value: float, step: float | None = None) -> str:
    """A value for an axis (as precise as its step) or a tooltip, in the reader's format."""
    if step is not None:
        places = max(0, -math.floor(math.log10(step)))
    else:
        places = 0 if abs(value) >= 100 else (1 if abs(value) >= 10 else 2)
    return str(number_format(round(value, places), decimal_pos=places))
