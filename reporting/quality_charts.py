"""Server-rendered SVG charts of the quality page: weekly trend lines and bars.

Readable without colour: each line has its own marker shape and its values in a table
beside it; every point and bar has a <title> with its value. No inline styles (the CSP).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from django.utils.formats import date_format, number_format

# The grade chart's colour-blind-safe colours and marker shapes: one look for every chart.
from reporting.charts import MARKERS, PALETTE, marker

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 48, 40, 16, 36
LEGEND = 24  # a row under the axis naming each line beside its marker


@dataclass(frozen=True)
class Line:
    label: str
    values: list[float | None]  # one per week; None: no data that week


def _nice_top(value: float) -> float:
    """A round top for the axis: 1, 2, 5 times a power of ten at or above `value`."""
    if value <= 0:
        return 1.0
    scale = 10 ** len(str(int(value))) / 10
    for step in (1, 2, 5, 10):
        if value <= step * scale:
            return float(step * scale)
    return float(10 * scale)


def _labelled(count: int) -> list[int]:
    """Which weeks get a date under the axis: about six, the last always, none too close
    to the next (long Vietnamese month names would overlap)."""
    every = max(1, count // 6)
    picked = list(range(0, count, every))
    if picked and picked[-1] != count - 1:
        if count - 1 - picked[-1] < every:
            picked[-1] = count - 1
        else:
            picked.append(count - 1)
    return picked


def trend_chart(title: str, weeks: list[dt.date], lines: list[Line], unit: str = "") -> str:
    """Weekly values as lines over the weeks, with a y axis from 0 to a round top."""
    found = [value for line in lines for value in line.values if value is not None]
    top = _nice_top(max(found, default=0.0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    height = HEIGHT + LEGEND
    step = plot_w / max(len(weeks) - 1, 1)

    def x(index: int) -> float:
        return LEFT + index * step

    def y(value: float) -> float:
        return TOP + plot_h - value / top * plot_h

    parts = [
        f'<svg class="quality-chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-label="{escape(title)}">'
    ]
    x_legend = float(LEFT)
    for number, line in enumerate(lines):
        colour, shape = PALETTE[number % len(PALETTE)], MARKERS[number % len(MARKERS)]
        parts.append(marker(shape, x_legend + 5, height - 10, colour, line.label))
        parts.append(
            f'<text x="{x_legend + 14:.1f}" y="{height - 6}" font-size="12" '
            f'fill="#212529">{escape(line.label)}</text>'
        )
        x_legend += 28 + 7 * len(line.label)
    for fraction in (0, 0.5, 1):
        value = top * fraction
        parts.append(
            f'<line x1="{LEFT}" y1="{y(value):.1f}" x2="{WIDTH - RIGHT}" y2="{y(value):.1f}" '
            f'stroke="#dee2e6"/><text x="{LEFT - 6}" y="{y(value) + 4:.1f}" text-anchor="end" '
            f'font-size="12" fill="#495057">{escape(number_format(value, 0 if top >= 10 else 1))}'
            f"{escape(unit)}</text>"
        )
    for index in _labelled(len(weeks)):
        anchor = "end" if index == len(weeks) - 1 and index else "middle"
        day = escape(date_format(weeks[index], "MONTH_DAY_FORMAT"))
        parts.append(
            f'<text x="{x(index):.1f}" y="{HEIGHT - 14}" text-anchor="{anchor}" '
            f'font-size="12" fill="#495057">{day}</text>'
        )
    for number, line in enumerate(lines):
        colour, shape = PALETTE[number % len(PALETTE)], MARKERS[number % len(MARKERS)]
        points = [(x(i), y(v), i, v) for i, v in enumerate(line.values) if v is not None]
        if len(points) > 1:
            path = " ".join(f"{px:.1f},{py:.1f}" for px, py, _i, _v in points)
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>'
            )
        for px, py, index, value in points:
            label = f"{line.label}, {date_format(weeks[index], 'DATE_FORMAT')}: "
            label += f"{number_format(value, 1)}{unit}"
            parts.append(marker(shape, px, py, colour, label))
    parts.append("</svg>")
    return "".join(parts)


def bar_chart(title: str, bars: Sequence[tuple[str, float]], unit: str = "") -> str:
    """Horizontal bars, each labelled with its name and value."""
    row, label_w = 28, 220
    height = TOP + row * max(len(bars), 1) + 8
    top = _nice_top(max((value for _label, value in bars), default=0.0))
    span = WIDTH - label_w - RIGHT - 60
    parts = [
        f'<svg class="quality-chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-label="{escape(title)}">'
    ]
    for index, (label, value) in enumerate(bars):
        y = TOP + index * row
        width = value / top * span
        text = f"{number_format(value, 0 if float(value).is_integer() else 1)}{unit}"
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 15}" text-anchor="end" font-size="13" '
            f'fill="#212529">{escape(label)}</text>'
            f'<rect x="{label_w}" y="{y + 3}" width="{width:.1f}" height="16" fill="{PALETTE[0]}">'
            f"<title>{escape(label)}: {escape(text)}</title></rect>"
            f'<text x="{label_w + width + 6:.1f}" y="{y + 15}" font-size="13" '
            f'fill="#212529">{escape(text)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
