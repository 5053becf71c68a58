"""`{{ when|since }}`: how long ago, as the queue writes waiting times ("45 min", "3 d 4 h"),
in the reader's language. Django's own `timesince` has no Vietnamese words."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone

from reporting.pages.dashboard import format_duration

register = template.Library()


@register.filter
def since(value: dt.datetime | None) -> str:
    return "" if value is None else format_duration(timezone.now() - value)
