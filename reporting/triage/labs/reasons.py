"""The sentences of a lab assessment (docs/LABS-2026.2.md section 2, ``reasons``).

Each reason is an ``engine.Reason``: a marked whole-sentence template and flat params (numbers
pre-printed as text, labels and phrases marked for translation), so that the web layer can
store it as JSON and render it later in the reader's language, exactly like symptom reasons.
One sentence per result above routine, then one per rule of section 5 that changed a level.
"""

from __future__ import annotations

from ..engine import _LEVEL_WORDS, Reason
from ..i18n import gettext_noop
from .exact import above, number_text, ratio_text
from .grading import GLUCOSE_HIGH, RATIO_BOUNDS, Graded, Parsed

# --- one result: (plain sentence, sentence with a %(note)s) by kind -------------------------

RESULT_TEMPLATES: dict[str, tuple[str, str]] = {
    "uln": (
        gettext_noop("%(test)s grade %(grade)s (%(ratio)s x ULN): %(level)s."),
        gettext_noop("%(test)s grade %(grade)s (%(ratio)s x ULN): %(level)s; %(note)s."),
    ),
    "abnormal_baseline": (
        gettext_noop(
            "%(test)s grade %(grade)s (%(ratio)s x the patient's abnormal baseline of "
            "%(baseline)s): %(level)s."
        ),
        gettext_noop(
            "%(test)s grade %(grade)s (%(ratio)s x the patient's abnormal baseline of "
            "%(baseline)s): %(level)s; %(note)s."
        ),
    ),
    "floor": (
        gettext_noop(
            "%(test)s grade %(grade)s (%(ratio)s x the patient's abnormal baseline of "
            "%(baseline)s) but %(uln_ratio)s x ULN, so %(level)s whatever the baseline."
        ),
        gettext_noop(
            "%(test)s grade %(grade)s (%(ratio)s x the patient's abnormal baseline of "
            "%(baseline)s) but %(uln_ratio)s x ULN, so %(level)s whatever the baseline; "
            "%(note)s."
        ),
    ),
    "baseline": (
        gettext_noop(
            "%(test)s grade %(grade)s (%(ratio)s x the patient's baseline of %(baseline)s): "
            "%(level)s."
        ),
        gettext_noop(
            "%(test)s grade %(grade)s (%(ratio)s x the patient's baseline of %(baseline)s): "
            "%(level)s; %(note)s."
        ),
    ),
    "below_lln": (
        gettext_noop(
            "%(test)s grade %(grade)s (%(value)s, below the lower limit of %(lln)s): %(level)s."
        ),
        gettext_noop(
            "%(test)s grade %(grade)s (%(value)s, below the lower limit of %(lln)s): "
            "%(level)s; %(note)s."
        ),
    ),
    "value": (
        gettext_noop("%(test)s grade %(grade)s (%(value)s): %(level)s."),
        gettext_noop("%(test)s grade %(grade)s (%(value)s): %(level)s; %(note)s."),
    ),
    "low": (
        gettext_noop("%(test)s grade %(grade)s (%(value)s, low blood sugar): %(level)s."),
        gettext_noop("%(test)s grade %(grade)s (%(value)s, low blood sugar): %(level)s; %(note)s."),
    ),
    "high": (
        gettext_noop(
            "%(test)s %(value)s, above %(limit)s (high blood sugar, not graded): %(level)s; "
            "ketones must be checked."
        ),
        gettext_noop(
            "%(test)s %(value)s, above %(limit)s (high blood sugar, not graded): %(level)s; "
            "possible immune-related diabetes: ketones must be checked."
        ),
    ),
    "range": (
        gettext_noop(
            "%(test)s %(value)s, outside the reference range %(lln)s to %(uln)s (not graded): "
            "%(level)s."
        ),
        gettext_noop(
            "%(test)s %(value)s, outside the reference range %(lln)s to %(uln)s (not graded): "
            "%(level)s; %(note)s."
        ),
    ),
    "pattern": (
        gettext_noop(
            "%(test)s %(value)s with %(other)s %(other_value)s: %(pattern)s (not graded): "
            "%(level)s."
        ),
        gettext_noop(
            "%(test)s %(value)s with %(other)s %(other_value)s: %(pattern)s (not graded): "
            "%(level)s; %(note)s."
        ),
    ),
    # A fallback that the rules of 2026.2 never reach (a result raised without a grade band).
    "ungraded": (
        gettext_noop("%(test)s %(value)s (not graded): %(level)s."),
        gettext_noop("%(test)s %(value)s (not graded): %(level)s; %(note)s."),
    ),
}

SODIUM_GRADE_2_TEMPLATE = gettext_noop(
    "%(test)s grade 2 (%(value)s, below the lower limit of %(lln)s): %(level)s if the patient "
    "has no symptoms; with symptoms (such as confusion, headache, nausea or unsteadiness) it "
    "is grade 3 and urgent."
)

# (irae category or None, AV column or None when the flag is off) -> the closing clause.
NOTES: dict[tuple[str | None, str | None], str] = {
    ("hepatic", None): gettext_noop("possibly immune-related: liver (possible hepatitis)"),
    ("renal", None): gettext_noop("possibly immune-related: kidneys (possible nephritis)"),
    ("endocrine", None): gettext_noop("possibly immune-related: hormone glands"),
    ("hematologic", None): gettext_noop("possibly immune-related: blood cells"),
    (None, "yes"): gettext_noop("a known side effect of anti-VEGF drugs"),
    ("renal", "yes"): gettext_noop(
        "possibly immune-related: kidneys (possible nephritis); also a known side effect of "
        "anti-VEGF drugs"
    ),
    (None, "tki"): gettext_noop("a known side effect of multi-kinase drugs"),
    ("endocrine", "tki"): gettext_noop(
        "possibly immune-related: hormone glands; also a known side effect of multi-kinase drugs"
    ),
}

PATTERN_PHRASES: dict[str, str] = {
    "hypophysitis": gettext_noop(
        "possible hypophysitis (central): cortisol must be checked before any thyroid hormone "
        "is given"
    ),
    "primary_hypothyroidism": gettext_noop("pattern of primary hypothyroidism"),
    "thyrotoxicosis": gettext_noop("pattern of thyrotoxicosis (thyroiditis)"),
}

# --- rules across results (section 5) -------------------------------------------------------

HYS_LAW_TEMPLATE = gettext_noop(
    "Hy's law: ALT or AST at 3 x ULN or more with bilirubin above 2 x ULN, and no ALP above "
    "2 x ULN: possible severe drug- or immune-related liver injury; these results are raised "
    "to emergency (red)."
)
THYROID_TEMPLATES: dict[str, str] = {
    "hypophysitis": gettext_noop(
        "Thyroid pattern: FT4 below its lower limit with TSH not above its upper limit: "
        "possible hypophysitis (central); both are urgent (red), and cortisol must be checked "
        "before any thyroid hormone is given."
    ),
    "primary_hypothyroidism": gettext_noop(
        "Thyroid pattern: FT4 below its lower limit with TSH above its upper limit: primary "
        "hypothyroidism; both are monitor (amber)."
    ),
    "thyrotoxicosis": gettext_noop(
        "Thyroid pattern: FT4 above its upper limit with TSH below its lower limit: "
        "thyrotoxicosis (thyroiditis); both are monitor (amber)."
    ),
}
ALBI_TEMPLATE = gettext_noop(
    "ALBI grade 3 (%(value)s, above -1.39): reduced liver reserve; the panel is raised to "
    "monitor (amber)."
)
RULE_TEMPLATES = frozenset({HYS_LAW_TEMPLATE, ALBI_TEMPLATE, *THYROID_TEMPLATES.values()})


# --- building them --------------------------------------------------------------------------


_RATIO_KINDS = frozenset({"uln", "abnormal_baseline", "floor", "baseline"})


def quantity(number: object, unit: str) -> str:
    """A number of the panel with its unit, as written: "45000 /mm3", "2+ (dipstick)"."""
    if unit == "dipstick":
        return f"{number} (dipstick)"
    text = number_text(number)  # type: ignore[arg-type]
    return text if unit == "ratio" else f"{text} {unit}"


def result_reason(
    parsed: Parsed,
    graded: Graded,
    irae: str | None,
    anti_vegf: bool,
    other: Parsed | None,
) -> Reason:
    """The sentence for one result above routine, at its final level."""
    test, unit, entry = parsed.test, parsed.unit.code, parsed.entry
    kind = graded.kind
    if kind == "normal":
        kind = "value" if graded.grade is not None else "ungraded"
    elif kind == "abnormal_baseline" and graded.floor:
        kind = "floor"
    # Only the params the sentence uses: reasons are stored as JSON with them.
    params: dict[str, str | int | float] = {
        "test": test.short_label,
        "level": _LEVEL_WORDS[graded.rank],
    }
    if graded.grade is not None:
        params["grade"] = graded.grade
    if kind in _RATIO_KINDS:
        bounds = RATIO_BOUNDS[test.code]
        if kind in ("uln", "floor") and graded.r is not None:
            params["ratio" if kind == "uln" else "uln_ratio"] = ratio_text(graded.r, bounds)
        if kind != "uln" and graded.b is not None:
            params["ratio"] = ratio_text(graded.b, bounds)
            params["baseline"] = quantity(entry["baseline"], unit)
    else:
        params["value"] = quantity(parsed.raw, unit)
    if kind in ("below_lln", "range"):
        for limit in ("lln", "uln") if kind == "range" else ("lln",):
            params[limit] = quantity(entry[limit], unit)
    if kind == "high":
        params["limit"] = _glucose_limit(parsed)
    if kind == "pattern" and other is not None and graded.rule is not None:
        params["other"] = other.test.short_label
        params["other_value"] = quantity(other.raw, other.unit.code)
        params["pattern"] = PATTERN_PHRASES[graded.rule]
    if test.code == "sodium" and graded.grade == 2:
        return Reason(SODIUM_GRADE_2_TEMPLATE, params, test=test.code)
    plain, noted = RESULT_TEMPLATES[kind]
    note = NOTES.get((irae, test.anti_vegf if anti_vegf else None))
    if kind == "high":
        return Reason(noted if irae else plain, params, test=test.code)
    if note is None:
        return Reason(plain, params, test=test.code)
    params["note"] = note
    return Reason(noted, params, test=test.code)


def _glucose_limit(parsed: Parsed) -> str:
    """The high-glucose cut-off the value is above ("250 mg/dL" or "500 mg/dL")."""
    value = parsed.value
    assert value is not None
    unit = parsed.unit.code
    passed = [text for text, bound, _rank in GLUCOSE_HIGH[unit] if above(value, bound)]
    return f"{passed[0]} {unit}"
