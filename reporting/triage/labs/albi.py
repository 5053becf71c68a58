"""ALBI, the albumin-bilirubin grade of liver reserve (Johnson et al., J Clin Oncol 2015;
docs/LABS-2026.2.md section 5, rule 3), in ``Decimal`` with 45 significant digits.

ALBI = 0.66 x log10(bilirubin in umol/L) - 0.085 x (albumin in g/L); grade 1 when ALBI <=
-2.60, grade 2 when -2.60 < ALBI <= -1.39, grade 3 above. The grade is read from the
unrounded score; the output rounds it half away from zero to two decimals.

The logarithm: ``Context.log10`` costs about 40 microseconds at this precision, more than
the rest of a panel together, so ``log10`` below reduces the argument exactly instead.
``x = m x 10^e`` with ``1 <= m < 10`` (exact), ``a = j / 256`` the anchor just below ``m``
(an exact decimal), and ``ln(m / a) = 2 (u + u^3/3 + u^5/5 + ...)`` with
``u = (m - a) / (m + a)``, ``0 <= u < 1/513``: nine terms reach 1e-47. ``log10(a)`` comes
from ``Context.ln`` at 50 digits, correctly rounded, once per anchor (at most 2,304
constants, computed on first use). The result is accurate to about 1e-43, far beyond the
contract's 34 digits (``test_lab_albi.py`` checks it against ``Context.log10`` at 80
digits), and exact where the true value is: log10 of a power of ten is an integer.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext

from .exact import Pair

PRECISION = 45
CONTEXT = Context(prec=PRECISION)
_WIDER = Context(prec=PRECISION + 5)
_LN10 = _WIDER.ln(Decimal(10))
_ANCHORS_PER_UNIT = 256
# ln(m / a) = (2 / ln 10) * u * (1 + u^2/3 + u^4/5 + ...) in log10 terms. With u < 1/513,
# u^(2n+1) is below 10^-(PRECISION + 3) from n = _TERMS on: Horner's rule on the
# coefficients 1/(2n+1), highest first.
_TERMS = next(n for n in range(1, 99) if Decimal(513) ** (2 * n + 1) > 10 ** (PRECISION + 3))
_TWO_OVER_LN10 = _WIDER.divide(Decimal(2), _LN10)
_SERIES = tuple(_WIDER.divide(Decimal(1), Decimal(2 * k + 1)) for k in range(_TERMS - 1, -1, -1))
_LOG10_ANCHOR: dict[int, Decimal] = {_ANCHORS_PER_UNIT: Decimal(0)}  # j -> log10(j / 256)

LOG_FACTOR = Decimal("0.66")
ALBUMIN_FACTOR = Decimal("0.085")
GRADE_1_MAX = Decimal("-2.60")
GRADE_2_MAX = Decimal("-1.39")
_HUNDREDTH = Decimal("0.01")
_ROUNDING = Context(prec=PRECISION, rounding=ROUND_HALF_UP)


def _log10_anchor(j: int) -> Decimal:
    log = _LOG10_ANCHOR.get(j)
    if log is None:
        anchor = _WIDER.divide(Decimal(j), _ANCHORS_PER_UNIT)  # exact: 256 divides 10^8
        log = _LOG10_ANCHOR.setdefault(j, _WIDER.divide(_WIDER.ln(anchor), _LN10))
    return log


def log10(x: Decimal) -> Decimal:
    """log10 of a positive Decimal, to about 43 decimals (see the module's docstring)."""
    # The local context makes every operator use 45 digits, whatever the caller's.
    with localcontext(CONTEXT):
        return _log10(x)


def _log10(x: Decimal) -> Decimal:
    """log10 in the current context, which the caller has set to CONTEXT."""
    exponent = x.adjusted()
    mantissa = x.scaleb(-exponent)  # 1 <= mantissa < 10, exact
    j = int(mantissa * _ANCHORS_PER_UNIT)
    anchor = Decimal(j) / _ANCHORS_PER_UNIT
    u = (mantissa - anchor) / (mantissa + anchor)
    if not u:
        return _log10_anchor(j) + exponent
    square = u * u
    series = _SERIES[0]
    for coefficient in _SERIES[1:]:
        series = series * square + coefficient
    return _log10_anchor(j) + _TWO_OVER_LN10 * u * series + exponent


@dataclass(frozen=True, slots=True)
class AlbiScore:
    """The ALBI score of a panel.

    ``exact`` is the score in 45 significant digits, from which ``grade`` is read; ``value``
    is it rounded half away from zero to two decimals (the contract's output).
    """

    value: Decimal
    grade: int
    exact: Decimal

    def as_dict(self) -> dict[str, float | int]:
        # + 0.0 turns a rounded -0.00 into 0.0.
        return {"value": float(self.value) + 0.0, "grade": self.grade}


_POWERS_OF_TEN = {10**k: k for k in range(40)}


def _decimal(pair: Pair) -> Decimal:
    """A pair as a Decimal in the current context (exact for a power-of-ten denominator and
    a numerator of under 45 digits, as every realistic value is)."""
    numerator, denominator = pair
    places = _POWERS_OF_TEN.get(denominator)
    if places is not None and numerator.bit_length() < 128:
        return Decimal(numerator).scaleb(-places)
    return Decimal(numerator) / Decimal(denominator)


def albi(bilirubin_umol_l: Pair, albumin_g_l: Pair) -> AlbiScore:
    """The score for a bilirubin above 0 (umol/L) and an albumin (g/L), as exact pairs."""
    with localcontext(CONTEXT):
        log_term = LOG_FACTOR * _log10(_decimal(bilirubin_umol_l))
        exact = log_term - ALBUMIN_FACTOR * _decimal(albumin_g_l)
    if exact <= GRADE_1_MAX:
        grade = 1
    elif exact <= GRADE_2_MAX:
        grade = 2
    else:
        grade = 3
    rounding = _ROUNDING
    if exact.adjusted() + 4 > PRECISION:
        # Enough digits to hold every digit left of the point, however large the score.
        rounding = Context(prec=exact.adjusted() + 4, rounding=ROUND_HALF_UP)
    return AlbiScore(exact.quantize(_HUNDREDTH, context=rounding), grade, exact)
