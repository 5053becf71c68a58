"""Phone numbers: typed as people say them, stored in E.164, shown as people read them.

Nurses type what the family tells them ("0912 345 678", "+84 912 345 678", "(024) 3825 2143");
the number is parsed with libphonenumber for Vietnam (numbers from abroad need their "+"
country code) and stored in E.164 ("+84912345678"): one spelling, so the same number is the
same string, `tel:` links work on every phone, and SMS providers accept it as it is. Pages show
Vietnamese numbers in the national format ("0912 345 678") and others in the international
one ("+44 20 7946 0958").
"""

from __future__ import annotations

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

REGION = "VN"

INVALID_MESSAGE = _(
    "Enter a phone number, e.g. 0912 345 678, or one from abroad with its country code, "
    "e.g. +44 20 7946 0958."
)


def _parse(value: str) -> phonenumbers.PhoneNumber | None:
    """The number `value` spells (digits and + ( ) - . / space only), if it is a valid one."""
    if any(char.isalpha() for char in value):
        # Letters would be read as a keypad ("0912-CALL-ME"), or as an extension that E.164
        # cannot keep: refuse rather than store a number nobody typed.
        return None
    try:
        number = phonenumbers.parse(value, REGION)
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


def normalize_phone(value: str) -> str:
    """`value` in E.164, or "" for a blank one; ValidationError if it is not a phone number."""
    value = (value or "").strip()
    if not value:
        return ""
    number = _parse(value)
    if number is None:
        raise ValidationError(INVALID_MESSAGE, code="invalid_phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def e164_or_none(value: str) -> str | None:
    """`value` in E.164 if it is a valid phone number, else None (for data migrations too)."""
    try:
        return normalize_phone(value) or None
    except ValidationError:
        return None


def display_phone(value: str) -> str:
    """How a stored number is shown: national for Vietnam, international otherwise.

    A value that does not parse (typed before numbers were checked) is shown as it is.
    """
    number = _parse((value or "").strip())
    if number is None:
        return value
    if phonenumbers.region_code_for_number(number) == REGION:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def tel_number(value: str) -> str:
    """The number for a `tel:` link: E.164, or the old value without spaces if it does not parse."""
    return e164_or_none(value) or "".join((value or "").split())


def dial_string(number: str) -> str:
    """What a `tel:` link dials for a configured service number ("1900 0000" -> "19000000",
    "115" -> "115"): its digits, with a leading "+" kept. Short service numbers are not phone
    numbers libphonenumber knows, so they are not parsed; the setting holds the number only
    (README, "Configuration")."""
    digits = "".join(char for char in number if char.isdigit())
    return f"+{digits}" if number.strip().startswith("+") else digits
