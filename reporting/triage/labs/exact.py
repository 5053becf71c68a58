"""Exact arithmetic on the decimal numbers of a lab panel, as written (LABS-2026.2 section 1).

Every number of a panel is read as the exact decimal it was written as, ``Fraction(str(x))``,
and kept as an unreduced pair of Python ints ``(numerator, denominator)`` with a positive
denominator (a power of ten for the numbers read, a product of them after a ratio or a unit
conversion). Comparisons cross-multiply: ``a / b > p / q`` is ``a * q > p * b``, which is
exact for any size of int and about a hundred times faster than ``Fraction`` (it skips the
gcd on every step). Nothing here ever goes through binary floating point, so 2.1 / 1.4 is
exactly 1.5, as the contract demands. ``fraction`` turns a pair into a ``Fraction`` for
callers who want one.
"""

from __future__ import annotations

import sys
from fractions import Fraction

# (numerator, denominator > 0), not reduced: 2.10 reads as (210, 100), 3 as (3, 1).
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
    text = repr(value)
    mantissa, _, exponent = text.partition("e")
    whole, _, fraction = mantissa.partition(".")
    numerator = int(whole + fraction)
    shift = (int(exponent) if exponent else 0) - len(fraction)
    if shift >= 0:
        return numerator * _pow10(shift), 1
    return numerator, _pow10(-shift)


def pair_of_text(text: str) -> Pair:
    """A decimal literal of the ruleset (a bound, a unit factor) as a pair."""
    return pair_of(int(text)) if "." not in text else _decimal_text_pair(text)


def _decimal_text_pair(text: str) -> Pair:
    whole, _, fraction = text.partition(".")
    return int(whole + fraction), _pow10(len(fraction))


def ratio(top: Pair, bottom: Pair) -> Pair:
    """``top / bottom`` for a positive ``bottom``."""
    return top[0] * bottom[1], top[1] * bottom[0]


def times(left: Pair, right: Pair) -> Pair:
    return left[0] * right[0], left[1] * right[1]


def above(left: Pair, right: Pair) -> bool:
    """``left > right``."""
    return left[0] * right[1] > right[0] * left[1]


def at_least(left: Pair, right: Pair) -> bool:
    """``left >= right``."""
    return left[0] * right[1] >= right[0] * left[1]


def equal(left: Pair, right: Pair) -> bool:
    return left[0] * right[1] == right[0] * left[1]


def fraction(pair: Pair) -> Fraction:
    return Fraction(pair[0], pair[1])


def rounded_text(pair: Pair, places: int = 2) -> str:
    """``pair`` rounded half away from zero to ``places`` decimals, trailing zeros dropped."""
    numerator, denominator = pair
    scale = _pow10(places)
    magnitude = (abs(numerator) * scale * 2 + denominator) // (2 * denominator)
    whole, part = divmod(magnitude, scale)
    sign = "-" if numerator < 0 and magnitude else ""
    if not part:
        return f"{sign}{whole}"
    return f"{sign}{whole}.{part:0{places}d}".rstrip("0")


def ratio_text(pair: Pair, bounds: tuple[Pair, ...]) -> str:
    """A ratio for a sentence: two decimals, more when two decimals would show a bound.

    A bilirubin at 1.5001 x ULN is grade 2 ("1.5 < r"); printing it as "1.5 x ULN" would
    contradict its grade, so it is printed with as many decimals (up to 6) as it takes.
    """
    for places in range(2, 7):
        text = rounded_text(pair, places)
        shown = pair_of_text(text)
        if equal(shown, pair) or not any(equal(shown, bound) for bound in bounds):
            return text
    return rounded_text(pair, 6)


def number_text(value: int | float) -> str:
    """A number of the panel as written (a float through its shortest repr)."""
    return str(value) if type(value) is int else repr(value)
