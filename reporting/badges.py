"""The level badge of the nurse's pages ("!! Emergency", "! Urgent", "Monitor", "Routine"): one
markup for Django's templates (`{% level_badge level label %}`) and the queue's Jinja2 rows
(`QueueRow.badge`). The marks are for the eye only; the label says the level in words."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

_MARKS = {
    "emergency": mark_safe('<span aria-hidden="true">&#x203C;&#xFE0E; </span>'),
    "urgent": mark_safe('<span aria-hidden="true">! </span>'),
}


def level_badge(level: str, label: str | Promise) -> SafeString:
    return format_html(
        '<span class="badge level-badge level-{}">{}{}</span>', level, _MARKS.get(level, ""), label
    )
