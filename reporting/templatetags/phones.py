"""`{{ number|phone }}` shows a stored number readably; `href="tel:{{ number|tel }}"` dials it."""

from __future__ import annotations

from django import template

from reporting.phones import display_phone, tel_number

register = template.Library()


@register.filter
def phone(value: str) -> str:
    return display_phone(value or "")


@register.filter
def tel(value: str) -> str:
    return tel_number(value or "")
