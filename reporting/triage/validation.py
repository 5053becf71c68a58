"""Checks a report against contract sections 1, 3 and 7, collecting every problem.

The fast path (a valid report) only runs precomputed per-field predicates; messages are built
only for values that fail, so validating costs little next to rating.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from .catalogue import CATALOGUE, FieldDef, SymptomDef
from .drugs import DRUGS, Regimen, regimen_of
from .errors import FieldError, TriageValidationError
from .i18n import gettext_noop

TOP_LEVEL_KEYS = ("regimen", "symptoms", "previous")
_TOP_LEVEL = frozenset(TOP_LEVEL_KEYS)
MAX_PREVIOUS_GRADE = 4
_MISSING = object()

# (regimen facts, [(symptom, values with defaults filled)], previous grades by code)
ParsedReport = tuple[Regimen, list[tuple[SymptomDef, dict[str, Any]]], Mapping[str, Any]]

# Read-only, so the shared empty default can never be changed by a caller.
_NO_PREVIOUS: Mapping[str, Any] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class _Spec:
    """What validation needs about one symptom, computed once at import."""

    symptom: SymptomDef
    accepts: dict[str, Callable[[object], bool]]
    fields: dict[str, FieldDef]
    required: tuple[str, ...]
    defaults: dict[str, object]


# --- messages ------------------------------------------------------------------------------

_NOT_OBJECT = gettext_noop("The report must be a JSON object (got %(got)s).")
_UNKNOWN_KEY = gettext_noop(
    "Unknown top-level key %(got)s: only 'regimen', 'symptoms' and 'previous' are allowed."
)
_SYMPTOMS_MISSING = gettext_noop("'symptoms' is required: a list of entries, maybe empty.")
_SYMPTOMS_NOT_LIST = gettext_noop("'symptoms' must be a list of symptom entries (got %(got)s).")
_ENTRY_NOT_OBJECT = gettext_noop(
    "symptoms[%(index)s] must be an object with a 'code' (got %(got)s)."
)
_CODE_MISSING = gettext_noop("symptoms[%(index)s] has no 'code'.")
_CODE_UNKNOWN = gettext_noop("symptoms[%(index)s]: unknown symptom code %(got)s.")
_DUPLICATE = gettext_noop(
    "%(symptom)s is reported twice (symptoms[%(first)s] and symptoms[%(index)s]); "
    "report each symptom once."
)
_UNKNOWN_FIELD = gettext_noop("%(symptom)s: unknown field %(got)s.")
_REQUIRED = gettext_noop("%(symptom)s: '%(field)s' is required.")
_BAD_INT = gettext_noop(
    "%(symptom)s: '%(field)s' must be a whole number from %(min)s to %(max)s (got %(got)s)."
)
_BAD_FLOAT = gettext_noop(
    "%(symptom)s: '%(field)s' must be a number from %(min)s to %(max)s (got %(got)s)."
)
_BAD_BOOL = gettext_noop("%(symptom)s: '%(field)s' must be true or false (got %(got)s).")
_BAD_TEXT = gettext_noop(
    "%(symptom)s: '%(field)s' must be text of 1 to %(max)s characters, not counting spaces "
    "at either end (got %(got)s)."
)
_BAD_CHOICE = gettext_noop("%(symptom)s: '%(field)s' must be one of %(choices)s (got %(got)s).")
_GROUP = gettext_noop("%(symptom)s: at least one of %(fields)s must be true.")
_REGIMEN_NOT_LIST = gettext_noop("'regimen' must be a list of drug codes, or null (got %(got)s).")
_UNKNOWN_DRUG = gettext_noop("Unknown drug %(got)s in 'regimen'.")
_PREVIOUS_NOT_OBJECT = gettext_noop(
    "'previous' must be an object of symptom codes and grades, or null (got %(got)s)."
)
_PREVIOUS_UNKNOWN = gettext_noop("'previous' has an unknown symptom code %(got)s.")
_PREVIOUS_BAD = gettext_noop(
    "%(symptom)s: the previous grade must be a whole number from 0 to 4, or null (got %(got)s)."
)

_KIND_TEMPLATES = {
    "int": _BAD_INT,
    "float": _BAD_FLOAT,
    "bool": _BAD_BOOL,
    "text": _BAD_TEXT,
    "choice": _BAD_CHOICE,
}


def show(value: object) -> str:
    """A short, JSON-flavoured rendering of a rejected value for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        # Long texts are cut: the message names the problem, it need not echo the input.
        return "'" + (value if len(value) <= 40 else value[:37] + "...") + "'"
    if isinstance(value, int):
        # Huge ints overflow float() and, past 4300 digits, even repr(): describe them instead.
        return repr(value) if value.bit_length() <= 64 else "a very large number"
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        return repr(value) if math.isfinite(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return "a " + type(value).__name__


def _error(template: str, params: Mapping[str, object], **where: Any) -> FieldError:
    return FieldError(template % params, template=template, params=params, **where)


# --- per-field predicates ------------------------------------------------------------------


def _acceptor(field: FieldDef) -> Callable[[object], bool]:
    """A fast predicate for one field's valid values (exact types: JSON gives exact types)."""
    if field.kind in ("int", "float"):
        low, high = field.min_value, field.max_value
        if low is None or high is None:
            # Without bounds, inf would slip through the range test below.
            raise ValueError(f"numeric field {field.name!r} needs min_value and max_value")
        if field.kind == "int":
            # type() and not isinstance(): a bool is an int in Python but not in the contract.
            return lambda value: type(value) is int and low <= value <= high
        # NaN fails every comparison, infinities fail the bounds: both are refused here.
        return lambda value: type(value) in (float, int) and low <= value <= high  # type: ignore[operator]
    if field.kind == "bool":
        return lambda value: type(value) is bool
    if field.kind == "text":
        longest = field.max_length or 0
        return lambda value: type(value) is str and 1 <= len(value.strip()) <= longest
    if field.kind == "choice":
        codes = frozenset(field.choice_codes)
        return lambda value: type(value) is str and value in codes
    raise ValueError(f"unknown field kind {field.kind!r}")


def _spec(symptom: SymptomDef) -> _Spec:
    return _Spec(
        symptom=symptom,
        accepts={field.name: _acceptor(field) for field in symptom.fields},
        fields={field.name: field for field in symptom.fields},
        required=tuple(field.name for field in symptom.fields if not field.optional),
        defaults={field.name: field.default for field in symptom.fields if field.optional},
    )


_SPECS: dict[str, _Spec] = {code: _spec(symptom) for code, symptom in CATALOGUE.items()}


def _field_error(symptom: SymptomDef, field: FieldDef, value: object, index: int) -> FieldError:
    params: dict[str, object] = {
        "symptom": symptom.short_label,
        "field": field.name,
        "got": show(value),
        "min": field.min_value,
        "max": field.max_length if field.kind == "text" else field.max_value,
        "choices": ", ".join("'" + code + "'" for code in field.choice_codes),
    }
    return _error(
        _KIND_TEMPLATES[field.kind], params, symptom=symptom.code, field=field.name, index=index
    )


# --- one symptom entry ---------------------------------------------------------------------


def _entry_values(
    spec: _Spec, entry: dict[Any, Any], index: int, errors: list[FieldError]
) -> dict[str, Any] | None:
    """The entry's values with defaults filled, or None after adding its errors."""
    symptom = spec.symptom
    values = dict(spec.defaults)
    bad: set[str] = set()
    for name, value in entry.items():
        if name == "code":
            continue
        accept = spec.accepts.get(name)
        if accept is None:
            params = {"symptom": symptom.short_label, "got": show(name)}
            errors.append(
                _error(_UNKNOWN_FIELD, params, symptom=symptom.code, field=str(name), index=index)
            )
            bad.add(name)
        elif accept(value):
            values[name] = value
        else:
            errors.append(_field_error(symptom, spec.fields[name], value, index))
            bad.add(name)
    for name in spec.required:
        if name not in entry:
            params = {"symptom": symptom.short_label, "field": name}
            errors.append(_error(_REQUIRED, params, symptom=symptom.code, field=name, index=index))
            bad.add(name)
    if bad:
        # Rules between fields would only repeat the problem in other words.
        return None
    _check_across_fields(symptom, values, index, errors)
    return values


def _check_across_fields(
    symptom: SymptomDef, values: dict[str, Any], index: int, errors: list[FieldError]
) -> None:
    label = symptom.short_label
    for check in symptom.checks:
        if not check.test(values):
            params: dict[str, object] = {"symptom": label}
            params.update((name, show(values[name])) for name in check.uses)
            errors.append(
                _error(check.template, params, symptom=symptom.code, field=check.field, index=index)
            )
    if not symptom.is_reported(values):
        template = symptom.requirement_message or _GROUP
        fields = ", ".join("'" + name + "'" for name in symptom.requires_one_of)
        params = {"symptom": label, "fields": fields}
        # field=None: the problem belongs to the whole group, shown above the symptom's fields.
        errors.append(_error(template, params, symptom=symptom.code, field=None, index=index))


def _symptoms(raw: object, errors: list[FieldError]) -> list[tuple[SymptomDef, dict[str, Any]]]:
    if raw is _MISSING:
        errors.append(_error(_SYMPTOMS_MISSING, {}, field="symptoms"))
        return []
    if not isinstance(raw, list):
        errors.append(_error(_SYMPTOMS_NOT_LIST, {"got": show(raw)}, field="symptoms"))
        return []
    parsed: list[tuple[SymptomDef, dict[str, Any]]] = []
    first_index: dict[str, int] = {}
    for index, entry in enumerate(raw):
        spec = _entry_spec(entry, index, first_index, errors)
        if spec is not None:
            values = _entry_values(spec, entry, index, errors)
            if values is not None:
                parsed.append((spec.symptom, values))
    return parsed


def _entry_spec(
    entry: object, index: int, first_index: dict[str, int], errors: list[FieldError]
) -> _Spec | None:
    """The spec for an entry's code, or None after adding why there is none."""
    if not isinstance(entry, dict):
        errors.append(_error(_ENTRY_NOT_OBJECT, {"index": index, "got": show(entry)}, index=index))
        return None
    code = entry.get("code", _MISSING)
    if code is _MISSING:
        errors.append(_error(_CODE_MISSING, {"index": index}, field="code", index=index))
        return None
    spec = _SPECS.get(code) if type(code) is str else None
    if spec is None:
        symptom = code if type(code) is str else None
        params = {"index": index, "got": show(code)}
        errors.append(_error(_CODE_UNKNOWN, params, symptom=symptom, field="code", index=index))
        return None
    if code in first_index:
        params = {"symptom": spec.symptom.short_label, "first": first_index[code], "index": index}
        errors.append(_error(_DUPLICATE, params, symptom=code, field="code", index=index))
        # Still check its fields, so that every problem is reported in one go.
    else:
        first_index[code] = index
    return spec


# --- regimen and previous ------------------------------------------------------------------


def _regimen(raw: object, errors: list[FieldError]) -> list[str] | None:
    if raw is _MISSING or raw is None:
        return None
    if not isinstance(raw, list):
        errors.append(_error(_REGIMEN_NOT_LIST, {"got": show(raw)}, field="regimen"))
        return None
    ok = True
    for drug in raw:
        if type(drug) is not str or drug not in DRUGS:
            name = drug if type(drug) is str else None
            errors.append(_error(_UNKNOWN_DRUG, {"got": show(drug)}, field="regimen", drug=name))
            ok = False
    return raw if ok else None


def _previous(raw: object, errors: list[FieldError]) -> Mapping[str, Any]:
    # Null is read like absent: "no previous report" is what a caller without one means.
    if raw is _MISSING or raw is None:
        return _NO_PREVIOUS
    if not isinstance(raw, dict):
        errors.append(_error(_PREVIOUS_NOT_OBJECT, {"got": show(raw)}, field="previous"))
        return _NO_PREVIOUS
    for code, grade in raw.items():
        spec = _SPECS.get(code) if type(code) is str else None
        if spec is None:
            symptom = code if type(code) is str else None
            params = {"got": show(code)}
            errors.append(_error(_PREVIOUS_UNKNOWN, params, symptom=symptom, field="previous"))
        elif grade is not None and not (type(grade) is int and 0 <= grade <= MAX_PREVIOUS_GRADE):
            params = {"symptom": spec.symptom.short_label, "got": show(grade)}
            errors.append(_error(_PREVIOUS_BAD, params, symptom=code, field="previous"))
    return raw


# --- the report ----------------------------------------------------------------------------


def parse(report: object) -> ParsedReport:
    """Validate ``report`` and return what the engine needs; raise with every problem."""
    if not isinstance(report, dict):
        raise TriageValidationError([_error(_NOT_OBJECT, {"got": show(report)})])
    errors: list[FieldError] = []
    for key in report:
        if key not in _TOP_LEVEL:
            errors.append(_error(_UNKNOWN_KEY, {"got": show(key)}, field=str(key)))
    drugs = _regimen(report.get("regimen", _MISSING), errors)
    symptoms = _symptoms(report.get("symptoms", _MISSING), errors)
    previous = _previous(report.get("previous", _MISSING), errors)
    if errors:
        raise TriageValidationError(errors)
    return regimen_of(drugs), symptoms, previous


def validate(report: object) -> None:
    """Raise TriageValidationError listing every problem of ``report``; return if it is valid."""
    parse(report)
