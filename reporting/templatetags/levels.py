"""`{% level_badge level label %}`: the level badge (reporting.badges)."""

from __future__ import annotations

from django import template
from django.utils.functional import Promise
from django.utils.safestring import SafeString

from reporting.badges import level_badge as badge

register = template.Library()


@register.simple_tag
def level_badge(level: str, label: str | Promise) -> SafeString:
    return badge(level, label)
