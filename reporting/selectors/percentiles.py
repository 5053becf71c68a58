"""Medians and 90th percentiles of alert times, for the quality page (one query either way).

PostgreSQL computes them (percentile_cont over the interval); SQLite has no such aggregate, so
the times are read and interpolated the same way here.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db import connection
from django.db.models import Aggregate, DurationField, ExpressionWrapper, F, QuerySet

from reporting.models import Alert


class Percentile(Aggregate):
    """PostgreSQL's percentile_cont over an interval (SQLite: computed from the values)."""

    function = "percentile_cont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()

    def __init__(self, expression: Any, fraction: float, **extra: Any) -> None:
        super().__init__(expression, fraction=fraction, **extra)


def ack_duration() -> ExpressionWrapper:
    return ExpressionWrapper(F("acknowledged_at") - F("created_at"), output_field=DurationField())


def resolve_duration() -> ExpressionWrapper:
    return ExpressionWrapper(F("resolved_at") - F("created_at"), output_field=DurationField())


def _minutes(value: dt.timedelta | None) -> float | None:
    return None if value is None else value.total_seconds() / 60


def _median_p90(values: list[float]) -> list[float]:
    if not values:
        return []
    if len(values) == 1:
        return [values[0], values[0]]
    ordered = sorted(values)
    # The same interpolation as PostgreSQL's percentile_cont.
    return [_interpolate(ordered, 0.5), _interpolate(ordered, 0.9)]


def _interpolate(ordered: list[float], fraction: float) -> float:
    position = fraction * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def percentiles(
    queryset: QuerySet[Alert], duration: ExpressionWrapper, keys: tuple[str, ...]
) -> list[tuple[Any, ...]]:
    """(*key values, [median, p90] in minutes) per group of `keys`: one query either way."""
    if connection.vendor == "postgresql":
        # order_by(): no model ordering in the GROUP BY.
        grouped = (
            queryset.order_by()
            .values(*keys)
            .annotate(median=Percentile(duration, 0.5), p90=Percentile(duration, 0.9))
        )
        return [
            (*(row[key] for key in keys), [_minutes(row["median"]), _minutes(row["p90"])])
            for row in grouped
            if row["median"] is not None  # no alerts at all: no time to tell
        ]
    values: dict[tuple[Any, ...], list[float]] = defaultdict(list)
    for row in queryset.order_by().annotate(took=duration).values(*keys, "took"):
        values[tuple(row[key] for key in keys)].append(row["took"].total_seconds() / 60)
    return [(*key, _median_p90(found)) for key, found in values.items()]
