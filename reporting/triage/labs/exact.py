"""Exact arithmetic on the decimal numbers of a lab panel, as written (LABS-2026.2 section 1).

Every number of a panel is read as the exact decimal it was written as, ``Fraction(str(x))``,
and kept as an unreduced pair of Python ints ``(numerator, denominator)`` with a positive
denominator (a power of ten for a number as read; any positive int after a ratio or a unit
conversion). Comparisons cross-multiply: ``a / b > p / q`` is ``a * q > p * b``, which is
exact for any size of int and tens of times faster than ``Fraction`` (it skips the gcd on
every step). Nothing here ever goes through binary floating point, so 2.1 / 1.4 is exactly
1.5, as the contract demands; ``Fraction(*pair)`` gives the same number as a ``Fraction``.
"""

from __future__ import annotations

import sys
from functools import lru_cache

# (numerator, denominator > 0), not reduced: 2.1 reads as (21, 10), 2.0 as (20, 10), 3 as (3, 1).
Pair = tuple[int, int]

# The largest magnitude a JSON number may have: what an IEEE double can hold. Python's json
# reads 1e400 as inf, and the integer 10**400 is refused the same way, as not finite.
LARGEST = sys.float_info.max
LARGEST_INT = int(LARGEST)

_POW10: tuple[int, ...] = tuple(10**k for k in range(32))


def _pow10(k: int) -> int:
    return _POW10[k] if k < len(_POW10) else 10**k


def is_finite_number(value: object) -> bool:
    """Whether ``value`` is a JSON number of the contract: int or float, not bool, finite."""
    kind = type(value)
    if kind is float:
        # NaN fails both comparisons; the infinities fail one.
        return -LARGEST <= value <= LARGEST  # type: ignore[operator]
    if kind is int:
        return -LARGEST_INT <= value <= LARGEST_INT  # type: ignore[operator]
    return False


def pair_of(value: int | float) -> Pair:
    """The exact decimal value of a finite number as written: ``Fraction(str(value))``.

    A float is read through ``repr``, the shortest decimal that reads back as the same
    float: the number as the laboratory (or the JSON) wrote it, not its binary value.
    """
    if type(value) is int:
        return value, 1
    return _float_pair(value)


@lru_cache(maxsize=4096)
def _float_pair(value: float) -> Pair:
    # Cached: reference limits repeat on every panel of a laboratory, and values are written
    # with few decimals. Equal floats are the same number, so the cache cannot mix values.
    text = repr(value)
    if "e" in text:
        mantissa, _, exponent = text.partition("e")
        whole, _, fraction = mantissa.partition(".")
        numerator = int(whole + fraction)
        shift = int(exponent) - len(fraction)
        if shift >= 0:
            return numerator * _pow10(shift), 1
        return numerator, _pow10(-shift)
    point = text.index(".")
    return int(text[:point] + text[point + 1 :]), _pow10(len(text) - point - 1)


def positive_pair(value: object) -> Pair | None:
    """The exact pair of a finite number above 0, or None for anything else (fast path)."""
    # type() and not isinstance(): a bool is an int in Python but not a number in JSON.
    if type(value) is int:
        return (value, 1) if 0 < value <= LARGEST_INT else None
    if type(value) is float:
        return _float_pair(value) if 0 < value <= LARGEST else None
    return None


def non_negative_pair(value: object) -> Pair | None:
    """The exact pair of a finite number of 0 or more, or None for anything else."""
    if type(value) is int:
        return (value, 1) if 0 <= value <= LARGEST_INT else None
    if type(value) is float:
        return _float_pair(value) if 0 <= value <= LARGEST else None
    return None


def pair_of_text(text: str) -> Pair:
    """A decimal literal of the ruleset (a bound, a unit factor) as a pair."""
    return pair_of(int(text)) if "." not in text else _decimal_text_pair(text)


def _decimal_text_pair(text: str) -> Pair:
    whole, _, fraction = text.partition(".")
    return int(whole + fraction), _pow10(len(fraction))


def above(left: Pair, right: Pair) -> bool:
    """``left > right``."""
    return left[0] * right[1] > right[0] * left[1]


def at_least(left: Pair, right: Pair) -> bool:
    """``left >= right``."""
    return left[0] * right[1] >= right[0] * left[1]


def _rounded(pair: Pair, places: int) -> int:
    """``pair`` x 10^places rounded half away from zero to an int."""
    numerator, denominator = pair
    magnitude = (abs(numerator) * _pow10(places) * 2 + denominator) // (2 * denominator)
    return -magnitude if numerator < 0 else magnitude


def _text(scaled: int, places: int) -> str:
    whole, part = divmod(abs(scaled), _pow10(places))
    sign = "-" if scaled < 0 else ""
    if not part:
        return f"{sign}{whole}"
    return f"{sign}{whole}.{part:0{places}d}".rstrip("0")


def rounded_text(pair: Pair, places: int = 2) -> str:
    """``pair`` rounded half away from zero to ``places`` decimals, trailing zeros dropped."""
    return _text(_rounded(pair, places), places)


# Decimal places a ratio may be printed with in a sentence: two, and as many more as it takes
# not to print a bound the ratio is not on (a ratio of floats, at most 17 significant digits
# each, that differs from a bound does so within 40 decimals; 40 is also the last resort).
PLACES = range(2, 41)


def scaled_bounds(bounds: tuple[Pair, ...]) -> dict[int, frozenset[int]]:
    """For ``ratio_text``: each bound x 10^places, by places, where that is a whole number
    (a bound with more decimals can never equal a number printed with ``places``)."""
    return {
        places: frozenset(
            top * _pow10(places) // bottom
            for top, bottom in bounds
            if top * _pow10(places) % bottom == 0
        )
        for places in PLACES
    }


def ratio_text(pair: Pair, bounds: dict[int, frozenset[int]]) -> str:
    """A ratio for a sentence: two decimals, more when two decimals would show a bound.

    A bilirubin at 1.5001 x ULN is grade 2 ("1.5 < r"); printing it as "1.5 x ULN" would
    contradict its grade, so it is printed with as many decimals as it takes.
    ``bounds`` is ``scaled_bounds`` of the bounds the ratio is compared with.
    """
    numerator, denominator = pair
    for places in PLACES:
        scaled = _rounded(pair, places)
        exact = scaled * denominator == numerator * _pow10(places)
        if exact or scaled not in bounds[places]:
            return _text(scaled, places)
    return rounded_text(pair, PLACES[-1])


def number_text(value: int | float) -> str:
    """A number of the panel as written (a float through its shortest repr)."""
    return str(value) if type(value) is int else repr(value)
