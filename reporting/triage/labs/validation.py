"""Checks a lab panel against docs/LABS-2026.2.md sections 1 and 6, collecting every problem.

Every malformed panel, whatever its shape, raises ``TriageValidationError`` and nothing else;
each ``FieldError`` names the test (``test``: the code as given; the message: its label), the
field and the result's index in ``results``, or the drug. The fast path (a valid panel) runs
a few type and range checks per key; messages are built only for what fails.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..errors import FieldError, TriageValidationError
from ..i18n import gettext_noop
from ..validation import _regimen as parse_regimen
from ..validation import show
from .catalogue import (
    DIPSTICK_CODES,
    LAB_CATALOGUE,
    OUT_OF_SCOPE,
    RESULT_KEYS,
    LabTestDef,
    UnitDef,
)
from .exact import (
    Pair,
    above,
    at_least,
    is_finite_number,
    non_negative_pair,
    pair_of,
    positive_pair,
)
from .grading import FACTORS, GLUCOSE_MAX_LLN, Parsed

TOP_LEVEL_KEYS = ("regimen", "results")
_TOP_LEVEL = frozenset(TOP_LEVEL_KEYS)
_RESULT_KEYS = frozenset(RESULT_KEYS)
_MISSING: Any = object()

# --- messages -------------------------------------------------------------------------------

_NOT_OBJECT = gettext_noop("The panel must be a JSON object (got %(got)s).")
_UNKNOWN_KEY = gettext_noop(
    "Unknown top-level key %(got)s: only 'regimen' and 'results' are allowed."
)
_RESULTS_MISSING = gettext_noop("'results' is required: a list of one or more results.")
_RESULTS_NOT_LIST = gettext_noop("'results' must be a list of results (got %(got)s).")
_RESULTS_EMPTY = gettext_noop("'results' is empty: a panel needs at least one result.")
_RESULT_NOT_OBJECT = gettext_noop(
    "results[%(index)s] must be an object with a 'test' (got %(got)s)."
)
_TEST_MISSING = gettext_noop("results[%(index)s] has no 'test'.")
_TEST_UNKNOWN = gettext_noop("results[%(index)s]: unknown test %(got)s.")
_TEST_OUT_OF_SCOPE = gettext_noop(
    "results[%(index)s]: the test %(got)s is outside this ruleset (it needs its own pathway)."
)
_DUPLICATE = gettext_noop(
    "%(test)s is in the panel twice (results[%(first)s] and results[%(index)s]); "
    "give each test once."
)
_UNKNOWN_FIELD = gettext_noop("%(test)s (results[%(index)s]): unknown field %(got)s.")
_REQUIRED = gettext_noop("%(test)s (results[%(index)s]): '%(field)s' is required.")
_BAD_UNIT = gettext_noop(
    "%(test)s (results[%(index)s]): 'unit' must be one of %(choices)s (got %(got)s)."
)
_BAD_VALUE = gettext_noop(
    "%(test)s (results[%(index)s]): 'value' must be a finite number, 0 or more (got %(got)s)."
)
_BAD_DIPSTICK = gettext_noop(
    "%(test)s (results[%(index)s]): a dipstick 'value' must be one of %(choices)s (got %(got)s)."
)
_BAD_VALUE_OR_DIPSTICK = gettext_noop(
    "%(test)s (results[%(index)s]): 'value' must be a finite number, 0 or more, or for a "
    "dipstick one of %(choices)s (got %(got)s)."
)
_BAD_POSITIVE = gettext_noop(
    "%(test)s (results[%(index)s]): '%(field)s' must be a finite number above 0 (got %(got)s)."
)
_NO_LIMITS = gettext_noop(
    "%(test)s (results[%(index)s]): '%(field)s' is not allowed: this test takes no reference "
    "limits."
)
_NO_BASELINE = gettext_noop(
    "%(test)s (results[%(index)s]): 'baseline' is not allowed: only ALT, AST, bilirubin, ALP "
    "and creatinine take a baseline."
)
_LLN_NOT_BELOW = gettext_noop(
    "%(test)s (results[%(index)s]): 'lln' must be below 'uln' (got %(lln)s and %(uln)s)."
)
_GLUCOSE_LLN = gettext_noop(
    "%(test)s (results[%(index)s]): 'lln' must not be above %(max)s %(unit)s (got %(got)s)."
)


@dataclass(frozen=True, slots=True)
class _Spec:
    """What validation needs about one test, computed once at import."""

    test: LabTestDef
    units: dict[str, UnitDef]
    unit_choices: str
    required_limits: frozenset[str]
    glucose: bool
    takes_limits: bool
    needs_uln: bool
    needs_lln: bool
    factors: dict[str, Pair | None]


def _quoted(codes: tuple[str, ...]) -> str:
    return ", ".join("'" + code + "'" for code in codes)


_SPECS: dict[str, _Spec] = {
    code: _Spec(
        test,
        {unit.code: unit for unit in test.units},
        _quoted(test.unit_codes),
        frozenset(test.required_limits),
        code == "glucose",
        test.takes_limits,
        "uln" in test.required_limits,
        "lln" in test.required_limits,
        {unit.code: FACTORS[code, unit.code] for unit in test.units},
    )
    for code, test in LAB_CATALOGUE.items()
}
_DIPSTICK_CODES = frozenset(DIPSTICK_CODES)
# The highest LLN of a glucose result, as printed in messages (GLUCOSE_MAX_LLN holds them).
_MAX_LLN_TEXT = {"mg/dL": "250", "mmol/L": "13.9"}
_DIPSTICK_CHOICES = _quoted(DIPSTICK_CODES)


class _Problems:
    """Collects the FieldErrors of one result, each naming its test, field and index."""

    __slots__ = ("code", "errors", "index", "label")

    def __init__(self, test: LabTestDef, index: int, errors: list[FieldError]) -> None:
        self.code, self.label, self.index, self.errors = test.code, test.short_label, index, errors

    def add(self, template: str, field: str, **params: object) -> None:
        params.update(test=self.label, index=self.index, field=field)
        self.errors.append(
            FieldError(
                template % params,
                field=field,
                index=self.index,
                template=template,
                params=params,
                test=self.code,
            )
        )


def _error(template: str, params: dict[str, object], **where: Any) -> FieldError:
    return FieldError(template % params, template=template, params=params, **where)


def field_name(key: object) -> str:
    """A key as a field name; never str() of a huge int (which raises past 4300 digits)."""
    return key if isinstance(key, str) else show(key)


def _positive(value: object) -> bool:
    return is_finite_number(value) and value > 0  # type: ignore[operator]


def _non_negative(value: object) -> bool:
    return is_finite_number(value) and value >= 0  # type: ignore[operator]


# --- one result -----------------------------------------------------------------------------


def _spec_of(
    entry: object, index: int, first_index: dict[str, int], errors: list[FieldError]
) -> _Spec | None:
    """The spec for a result's test, or None after adding why there is none."""
    if not isinstance(entry, dict):
        errors.append(_error(_RESULT_NOT_OBJECT, {"index": index, "got": show(entry)}, index=index))
        return None
    code = entry.get("test", _MISSING)
    if code is _MISSING:
        errors.append(_error(_TEST_MISSING, {"index": index}, field="test", index=index))
        return None
    spec = _SPECS.get(code) if type(code) is str else None
    if spec is None:
        named = code if type(code) is str else None
        template = _TEST_OUT_OF_SCOPE if (named or "").lower() in OUT_OF_SCOPE else _TEST_UNKNOWN
        params = {"index": index, "got": show(code)}
        errors.append(_error(template, params, field="test", index=index, test=named))
        return None
    if code in first_index:
        params = {"test": spec.test.short_label, "first": first_index[code], "index": index}
        errors.append(_error(_DUPLICATE, params, field="test", index=index, test=code))
        # Still check its fields, so that every problem is reported in one go.
    else:
        first_index[code] = index
    return spec


def _value(spec: _Spec, raw: Any, unit: UnitDef | None, problems: _Problems) -> Pair | None:
    """The value as an exact pair (None for a dipstick code); adds a problem if invalid."""
    if unit is not None and unit.is_dipstick:
        if type(raw) is not str or raw not in _DIPSTICK_CODES:
            problems.add(_BAD_DIPSTICK, "value", choices=_DIPSTICK_CHOICES, got=show(raw))
        return None
    if _non_negative(raw):
        return pair_of(raw)
    if unit is None and any(u.is_dipstick for u in spec.units.values()):
        # Unknown unit: the value may be a number or a dipstick code.
        if not (type(raw) is str and raw in _DIPSTICK_CODES):
            problems.add(_BAD_VALUE_OR_DIPSTICK, "value", choices=_DIPSTICK_CHOICES, got=show(raw))
        return None
    problems.add(_BAD_VALUE, "value", got=show(raw))
    return None


def _limits(
    spec: _Spec, entry: dict[Any, Any], problems: _Problems
) -> Iterator[tuple[str, Pair | None]]:
    """(name, exact pair or None) for uln, lln and baseline; adds problems as it goes."""
    test = spec.test
    for name in ("uln", "lln", "baseline"):
        raw = entry.get(name, _MISSING)
        if raw is _MISSING:
            if name in spec.required_limits:
                problems.add(_REQUIRED, name)
            yield name, None
            continue
        if name == "baseline" and not test.baseline_allowed:
            problems.add(_NO_BASELINE, name)
        elif name != "baseline" and not test.takes_limits:
            problems.add(_NO_LIMITS, name)
        elif _positive(raw):
            yield name, pair_of(raw)
            continue
        else:
            problems.add(_BAD_POSITIVE, name, got=show(raw))
        yield name, None


def _parse_result(
    spec: _Spec, entry: dict[Any, Any], index: int, errors: list[FieldError]
) -> Parsed | None:
    """The valid result, or None after adding its problems to ``errors``."""
    before = len(errors)
    problems = _Problems(spec.test, index, errors)
    for name in entry:
        if name not in _RESULT_KEYS:
            problems.add(_UNKNOWN_FIELD, field_name(name), got=show(name))
    raw_unit = entry.get("unit", _MISSING)
    unit = spec.units.get(raw_unit) if type(raw_unit) is str else None
    if raw_unit is _MISSING:
        problems.add(_REQUIRED, "unit")
    elif unit is None:
        problems.add(_BAD_UNIT, "unit", choices=spec.unit_choices, got=show(raw_unit))
    raw = entry.get("value", _MISSING)
    value = None
    if raw is _MISSING:
        problems.add(_REQUIRED, "value")
    else:
        value = _value(spec, raw, unit, problems)
    limits = dict(_limits(spec, entry, problems))
    uln, lln = limits["uln"], limits["lln"]
    if uln is not None and lln is not None and at_least(lln, uln):
        problems.add(_LLN_NOT_BELOW, "lln", lln=show(entry["lln"]), uln=show(entry["uln"]))
    highest = GLUCOSE_MAX_LLN.get(unit.code) if unit is not None and spec.glucose else None
    if lln is not None and highest is not None and above(lln, highest):
        assert unit is not None
        limit = _MAX_LLN_TEXT[unit.code]
        problems.add(_GLUCOSE_LLN, "lln", max=limit, unit=unit.code, got=show(entry["lln"]))
    if len(errors) > before:
        return None
    assert unit is not None
    baseline = limits["baseline"]
    return Parsed(spec.test, unit, raw, value, uln, lln, baseline, entry, spec.factors[unit.code])


def _quick(spec: _Spec, entry: dict[Any, Any]) -> Parsed | None:
    """The result if it is valid, else None: a fast check that builds no message.

    It accepts only what ``_parse_result`` accepts (the property tests hold both to it); on
    None the caller runs ``_parse_result``, which names every problem.
    """
    if not entry.keys() <= _RESULT_KEYS:
        return None
    raw_unit = entry.get("unit")
    unit = spec.units.get(raw_unit) if type(raw_unit) is str else None
    if unit is None:
        return None
    raw = entry.get("value", _MISSING)
    value: Pair | None = None
    if unit.choices:  # a dipstick
        if type(raw) is not str or raw not in _DIPSTICK_CODES:
            return None
    else:
        value = non_negative_pair(raw)
        if value is None:
            return None
    uln = lln = baseline = None
    raw_limit = entry.get("uln", _MISSING)
    if raw_limit is not _MISSING:
        uln = positive_pair(raw_limit) if spec.takes_limits else None
        if uln is None:
            return None
    elif spec.needs_uln:
        return None
    raw_limit = entry.get("lln", _MISSING)
    if raw_limit is not _MISSING:
        lln = positive_pair(raw_limit) if spec.takes_limits else None
        if lln is None:
            return None
    elif spec.needs_lln:
        return None
    raw_limit = entry.get("baseline", _MISSING)
    if raw_limit is not _MISSING:
        baseline = positive_pair(raw_limit) if spec.test.baseline_allowed else None
        if baseline is None:
            return None
    if uln is not None and lln is not None and at_least(lln, uln):
        return None
    if lln is not None and spec.glucose and above(lln, GLUCOSE_MAX_LLN[unit.code]):
        return None
    factor = spec.factors[unit.code]
    return Parsed(spec.test, unit, raw, value, uln, lln, baseline, entry, factor)


def _results(raw: object, errors: list[FieldError]) -> list[Parsed]:
    if raw is _MISSING:
        errors.append(_error(_RESULTS_MISSING, {}, field="results"))
        return []
    if not isinstance(raw, list):
        errors.append(_error(_RESULTS_NOT_LIST, {"got": show(raw)}, field="results"))
        return []
    if not raw:
        errors.append(_error(_RESULTS_EMPTY, {}, field="results"))
        return []
    parsed: list[Parsed] = []
    first_index: dict[str, int] = {}
    for index, entry in enumerate(raw):
        if type(entry) is dict:
            code = entry.get("test")
            spec = _SPECS.get(code) if type(code) is str else None
            if spec is not None and code not in first_index:
                quick = _quick(spec, entry)
                if quick is not None:
                    first_index[spec.test.code] = index
                    parsed.append(quick)
                    continue
        # Something is wrong with this result (or it repeats a test): the full check says what.
        spec = _spec_of(entry, index, first_index, errors)
        if spec is not None:
            result = _parse_result(spec, entry, index, errors)
            if result is not None:
                parsed.append(result)
    return parsed


# --- the panel ------------------------------------------------------------------------------


def parse_panel(panel: object) -> tuple[list[str] | None, list[Parsed]]:
    """Validate ``panel``; return its drug codes (None: unknown) and its parsed results.

    Raises TriageValidationError listing every problem, in panel order.
    """
    if not isinstance(panel, dict):
        raise TriageValidationError([_error(_NOT_OBJECT, {"got": show(panel)})])
    errors: list[FieldError] = []
    for key in panel:
        if key not in _TOP_LEVEL:
            errors.append(_error(_UNKNOWN_KEY, {"got": show(key)}, field=field_name(key)))
    drugs = parse_regimen(panel.get("regimen", None), errors)
    results = _results(panel.get("results", _MISSING), errors)
    if errors:
        raise TriageValidationError(errors)
    return drugs, results


def validate_labs(panel: object) -> None:
    """Raise TriageValidationError listing every problem of ``panel``; return if it is valid."""
    parse_panel(panel)
