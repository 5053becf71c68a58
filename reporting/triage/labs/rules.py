"""The rules across results of docs/LABS-2026.2.md section 5, in order: Hy's law, the
thyroid pattern, ALBI. The panel's level (rule 4) is taken in ``engine.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal

from .exact import Pair, above, at_least, pair_of_text
from .grading import EMERGENCY, MONITOR, URGENT, Graded, Parsed

_TWO, _THREE = pair_of_text("2"), pair_of_text("3")

# --- rule 1: Hy's law -----------------------------------------------------------------------


def _takes_part(graded: Graded) -> bool:
    """A result with an abnormal baseline takes part only if it has doubled from it."""
    return not graded.baseline_abnormal or (graded.b is not None and at_least(graded.b, _TWO))


def hys_law(where: dict[str, int], graded: list[Graded]) -> tuple[bool, bool]:
    """Rule 1 on the results (``where``: index by test code); (applied, changed a level).

    ALT or AST with r >= 3, with bilirubin r > 2, and no ALP with r > 2 (all ULN-relative):
    the ALT/AST that met it and the bilirubin become emergency.
    """
    bilirubin = where.get("bilirubin")
    if bilirubin is None:
        return False, False
    bili = graded[bilirubin]
    if bili.r is None or not above(bili.r, _TWO) or not _takes_part(bili):
        return False, False
    alp = where.get("alp")
    if alp is not None:
        blocker = graded[alp]
        if blocker.r is not None and above(blocker.r, _TWO) and _takes_part(blocker):
            return False, False
    met = [bilirubin]
    for code in ("alt", "ast"):
        index = where.get(code)
        if index is not None:
            transaminase = graded[index]
            r = transaminase.r
            if r is not None and at_least(r, _THREE) and _takes_part(transaminase):
                met.append(index)
    if len(met) == 1:
        return False, False
    changed = False
    for index in met:
        result = graded[index]
        result.rule = "hys_law"
        if result.rank < EMERGENCY:
            result.rank, changed = EMERGENCY, True
    return True, changed


# --- rule 2: the thyroid pattern ------------------------------------------------------------

_PATTERN_RANKS = {
    "hypophysitis": URGENT,
    "primary_hypothyroidism": MONITOR,
    "thyrotoxicosis": MONITOR,
}


def thyroid_pattern(tsh: Parsed, ft4: Parsed) -> str | None:
    """The pattern of a TSH and an FT4 of the same panel, or None ("each as it would be
    alone"). Each is compared with its own limits, in its own unit."""
    assert tsh.value is not None and tsh.lln is not None and tsh.uln is not None
    assert ft4.value is not None and ft4.lln is not None and ft4.uln is not None
    tsh_high = above(tsh.value, tsh.uln)
    if above(ft4.lln, ft4.value):
        return "primary_hypothyroidism" if tsh_high else "hypophysitis"
    if above(ft4.value, ft4.uln) and above(tsh.lln, tsh.value):
        return "thyrotoxicosis"
    return None


def thyroid(
    where: dict[str, int], parsed: list[Parsed], graded: list[Graded]
) -> tuple[str | None, bool]:
    """Rule 2: (the pattern, whether it changed a level). It replaces both levels."""
    tsh, ft4 = where.get("tsh"), where.get("ft4")
    if tsh is None or ft4 is None:
        return None, False
    pattern = thyroid_pattern(parsed[tsh], parsed[ft4])
    if pattern is None:
        return None, False
    rank = _PATTERN_RANKS[pattern]
    changed = False
    for index in (tsh, ft4):
        result = graded[index]
        changed = changed or result.rank != rank
        result.rank, result.kind, result.rule = rank, "pattern", pattern
    return pattern, changed


# --- rule 3: ALBI ---------------------------------------------------------------------------

# 60 significant digits (the contract asks for at least 34); log10 is correctly rounded.
ALBI_CONTEXT = Context(prec=60)
_ALBI_LOG = Decimal("0.66")
_ALBI_ALBUMIN = Decimal("0.085")
ALBI_GRADE_1_MAX = Decimal("-2.60")
ALBI_GRADE_2_MAX = Decimal("-1.39")
_HUNDREDTH = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class AlbiScore:
    """The ALBI score of a panel (Johnson et al., J Clin Oncol 2015).

    ``exact`` is the score in 60 significant digits, from which ``grade`` is read;
    ``value`` is it rounded half away from zero to two decimals (the contract's output).
    """

    value: Decimal
    grade: int
    exact: Decimal

    def as_dict(self) -> dict[str, float | int]:
        # + 0.0 turns a rounded -0.00 into 0.0.
        return {"value": float(self.value) + 0.0, "grade": self.grade}


def _decimal(pair: Pair) -> Decimal:
    return ALBI_CONTEXT.divide(Decimal(pair[0]), Decimal(pair[1]))


def albi(bilirubin_umol_l: Pair, albumin_g_l: Pair) -> AlbiScore:
    """ALBI = 0.66 x log10(bilirubin, umol/L) - 0.085 x albumin (g/L), for bilirubin > 0."""
    context = ALBI_CONTEXT
    log_term = context.multiply(_ALBI_LOG, context.log10(_decimal(bilirubin_umol_l)))
    exact = context.subtract(log_term, context.multiply(_ALBI_ALBUMIN, _decimal(albumin_g_l)))
    if exact <= ALBI_GRADE_1_MAX:
        grade = 1
    elif exact <= ALBI_GRADE_2_MAX:
        grade = 2
    else:
        grade = 3
    # Enough digits to hold every digit left of the point, however large the score.
    rounding = Context(prec=max(context.prec, exact.adjusted() + 4), rounding=ROUND_HALF_UP)
    return AlbiScore(exact.quantize(_HUNDREDTH, context=rounding), grade, exact)
