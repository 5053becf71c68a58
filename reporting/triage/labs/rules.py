"""The rules across results of docs/LABS-2026.2.md section 5: Hy's law (rule 1) and the
thyroid pattern (rule 2). ALBI (rule 3) is in ``albi.py``; ``engine.py`` applies them in
order and takes the panel's level (rule 4).
"""

from __future__ import annotations

from .exact import above, at_least, pair_of_text
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
