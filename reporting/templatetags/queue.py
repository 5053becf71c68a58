"""`{% queue_rows rows show_team %}`: the queue's rows, rendered by Jinja2 (pages.dashboard)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import template
from django.utils.safestring import SafeString

from reporting.pages.dashboard import QueueRow, queue_rows_html

register = template.Library()


@register.simple_tag(takes_context=True)
def queue_rows(context: dict[str, Any], rows: Sequence[QueueRow], show_team: bool) -> SafeString:
    return queue_rows_html(rows, show_team=bool(show_team), viewer=context["user"])
