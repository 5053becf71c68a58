"""Property tests. The strategies are built from the catalogue, so a new symptom, field or
choice is covered without touching this file."""

from __future__ import annotations

import copy
import json
import math
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from reporting.triage import (
    CATALOGUE,
    DRUGS,
    Assessment,
    DrugClass,
    FieldDef,
    Level,
    SymptomDef,
    TriageValidationError,
    assess,
)
from reporting.triage.catalogue import NO_BEARING, WORSE_WHEN_LOWER
from reporting.triage.engine import COLITIS_TEMPLATE, TWO_AMBERS_TEMPLATE, WORSENING_TEMPLATE

RULES = {COLITIS_TEMPLATE, WORSENING_TEMPLATE, TWO_AMBERS_TEMPLATE}
CODES = list(CATALOGUE)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# --- strategies from the catalogue ---------------------------------------------------------


def values_of(field: FieldDef) -> st.SearchStrategy[Any]:
    low, high = field.min_value, field.max_value
    if field.kind == "int":
        return st.integers(int(low or 0), int(high or 0))
    if field.kind == "float":
        assert low is not None and high is not None
        # JSON numbers: floats and whole numbers both count.
        return st.floats(low, high) | st.integers(math.ceil(low), math.floor(high))
    if field.kind == "bool":
        return st.booleans()
    if field.kind == "text":
        longest = field.max_length or 1
        return st.text(min_size=1, max_size=longest).filter(lambda text: bool(text.strip()))
    return st.sampled_from(field.choice_codes)


def filled(symptom: SymptomDef, entry: dict[str, Any]) -> dict[str, Any]:
    values = {f.name: f.default for f in symptom.fields if f.optional}
    values.update(entry)
    return values


def meets_rules(symptom: SymptomDef, entry: dict[str, Any]) -> bool:
    """The catalogue's own rules between fields (diastolic below systolic, groups)."""
    values = filled(symptom, entry)
    return all(check.test(values) for check in symptom.checks) and symptom.is_reported(values)


def entries(code: str) -> st.SearchStrategy[dict[str, Any]]:
    symptom = CATALOGUE[code]
    required = {f.name: values_of(f) for f in symptom.fields if not f.optional}
    optional = {f.name: values_of(f) for f in symptom.fields if f.optional}
    return st.fixed_dictionaries({"code": st.just(code), **required}, optional=optional).filter(
        lambda entry: meets_rules(symptom, entry)
    )


def symptom_lists(min_size: int = 0) -> st.SearchStrategy[list[dict[str, Any]]]:
    codes = st.lists(st.sampled_from(CODES), unique=True, min_size=min_size, max_size=6)
    return codes.flatmap(lambda chosen: st.tuples(*(entries(code) for code in chosen)).map(list))


regimens = st.none() | st.lists(st.sampled_from(sorted(DRUGS)), max_size=4)
previous_grades = st.dictionaries(st.sampled_from(CODES), st.none() | st.integers(0, 4))


@st.composite
def reports(draw: st.DrawFn, min_symptoms: int = 0) -> dict[str, Any]:
    report: dict[str, Any] = {"symptoms": draw(symptom_lists(min_symptoms))}
    if draw(st.booleans()):
        report["regimen"] = draw(regimens)
    if draw(st.booleans()):
        report["previous"] = draw(st.none() | previous_grades)
    return report


# --- any valid report ----------------------------------------------------------------------


def check_consistent(report: dict[str, Any], result: Assessment) -> None:
    levels = [s.level for s in result.symptoms]
    two_ambers = (
        len(levels) >= 2 and max(levels) is Level.MONITOR and levels.count(Level.MONITOR) >= 2
    )
    if two_ambers:
        assert result.level is Level.URGENT
    else:
        assert result.level is max(levels, default=Level.ROUTINE)
    assert list(result.suspected_irae) == sorted({s.irae for s in result.symptoms if s.irae})
    assert [s.code for s in result.symptoms] == [e["code"] for e in report["symptoms"]]

    drugs = {DRUGS[d] for d in report.get("regimen") or []}
    ici_possible = not drugs or DrugClass.ICI in drugs
    for symptom in result.symptoms:
        definition = CATALOGUE[symptom.code]
        assert (symptom.grade is None) is definition.lab_graded
        assert symptom.grade is None or 0 <= symptom.grade <= 4
        if symptom.irae is not None:
            assert symptom.irae == definition.irae and ici_possible
            assert symptom.level >= Level.MONITOR
        elif ici_possible and definition.irae and symptom.level >= Level.MONITOR:
            assert symptom.grade is not None and symptom.grade < definition.irae_min_grade
        anti_vegf = definition.anti_vegf_typical and DrugClass.ANTI_VEGF in drugs
        assert symptom.anti_vegf is anti_vegf

    above = [s.code for s in result.symptoms if s.level > Level.ROUTINE]
    assert [r.symptom for r in result.reasons if r.template not in RULES] == above
    assert (TWO_AMBERS_TEMPLATE in {r.template for r in result.reasons}) is two_ambers
    # The JSON shape serialises, and every reason renders.
    json.dumps(result.to_dict())
    assert all(str(reason) for reason in result.reasons)


@SETTINGS
@given(reports())
def test_any_valid_report_is_assessed_consistently(report: dict[str, Any]) -> None:
    before = copy.deepcopy(report)
    result = assess(report)
    check_consistent(report, result)
    assert report == before  # the engine never changes its input


# --- raising a severity input never lowers a level -----------------------------------------


def raised(field: FieldDef, current: Any) -> st.SearchStrategy[Any]:
    """Values at least as severe as ``current`` for this field."""
    if field.kind == "bool":
        return st.just(True)
    if field.kind == "choice":
        return st.sampled_from(field.choice_codes[field.choice_codes.index(current) :])
    low, high = field.min_value, field.max_value
    assert low is not None and high is not None
    if field.severity == WORSE_WHEN_LOWER:
        return st.integers(int(low), int(current))
    if field.kind == "int":
        return st.integers(int(current), int(high))
    return st.floats(float(current), float(high))


@SETTINGS
@given(data=st.data(), report=reports(min_symptoms=1))
def test_raising_a_severity_input_never_lowers_a_level(
    data: st.DataObject, report: dict[str, Any]
) -> None:
    index = data.draw(st.integers(0, len(report["symptoms"]) - 1))
    entry = report["symptoms"][index]
    symptom = CATALOGUE[entry["code"]]
    candidates = [f for f in symptom.fields if f.severity != NO_BEARING]
    field = data.draw(st.sampled_from(candidates))
    current = filled(symptom, entry)[field.name]
    assume(current is not None)  # an optional reading left out: nothing to raise
    new_entry = {**entry, field.name: data.draw(raised(field, current))}
    assume(meets_rules(symptom, new_entry))
    worse = {
        **report,
        "symptoms": [*report["symptoms"][:index], new_entry, *report["symptoms"][index + 1 :]],
    }

    before, after = assess(report), assess(worse)
    assert after.level >= before.level
    assert after.symptoms[index].level >= before.symptoms[index].level
    if before.symptoms[index].grade is not None:
        assert after.symptoms[index].grade >= before.symptoms[index].grade  # type: ignore[operator]


# --- malformed reports ---------------------------------------------------------------------

WRONG_TYPES: dict[str, list[Any]] = {
    "int": [True, False, 5.0, "5", None, [], {}],
    "float": [True, "38.2", None, float("nan"), float("inf"), float("-inf"), []],
    "bool": [1, 0, "true", None, 1.0, []],
    "text": [5, None, "", "   ", "x" * 501, ["text"]],
    "choice": [None, 1, True, "SEVERE", " mild", "unknown_choice"],
}


def out_of_range(field: FieldDef) -> st.SearchStrategy[Any]:
    low, high = field.min_value, field.max_value
    assert low is not None and high is not None
    if field.kind == "int":
        return (
            st.integers(max_value=int(low) - 1)
            | st.integers(min_value=int(high) + 1)
            | st.sampled_from([10**400, -(10**5000)])
        )
    return st.floats(max_value=low, exclude_max=True) | st.floats(min_value=high, exclude_min=True)


@st.composite
def field_mutations(draw: st.DrawFn) -> tuple[dict[str, Any], tuple[str, str | None]]:
    """A valid report with one field of one symptom spoiled; and (symptom, field) to blame."""
    report = draw(reports(min_symptoms=1))
    index = draw(st.integers(0, len(report["symptoms"]) - 1))
    entry = dict(report["symptoms"][index])
    symptom = CATALOGUE[entry["code"]]
    field = draw(st.sampled_from(symptom.fields))
    how = draw(st.sampled_from(["wrong_type", "out_of_range", "unknown_field", "missing"]))
    if how == "out_of_range" and field.kind in ("int", "float"):
        entry[field.name] = draw(out_of_range(field))
    elif how == "unknown_field":
        entry["not_a_field"] = draw(st.booleans())
        field = FieldDef("not_a_field", "bool", "")
    elif how == "missing" and not field.optional:
        del entry[field.name]
    else:
        entry[field.name] = draw(st.sampled_from(WRONG_TYPES[field.kind]))
    report["symptoms"][index] = entry
    return report, (symptom.code, field.name)


@SETTINGS
@given(field_mutations())
def test_a_spoiled_field_is_refused_and_named(
    mutation: tuple[dict[str, Any], tuple[str, str | None]],
) -> None:
    report, blame = mutation
    with pytest.raises(TriageValidationError) as caught:
        assess(report)
    assert blame in {(error.symptom, error.field) for error in caught.value.errors}


@st.composite
def report_mutations(draw: st.DrawFn) -> Any:
    """A valid report spoiled in one of the other ways of contract section 7."""
    report = draw(reports(min_symptoms=1))
    symptoms = report["symptoms"]
    how = draw(
        st.sampled_from(
            [
                "unknown_code",
                "duplicate",
                "unknown_drug",
                "unknown_key",
                "entry_not_dict",
                "symptoms_not_list",
                "no_code",
                "bad_previous",
                "not_a_dict",
            ]
        )
    )
    if how == "unknown_code":
        index = draw(st.integers(0, len(symptoms) - 1))
        symptoms[index] = {
            **symptoms[index],
            "code": draw(st.text().filter(lambda c: c not in CATALOGUE)),
        }
    elif how == "duplicate":
        symptoms.append(copy.deepcopy(draw(st.sampled_from(symptoms))))
    elif how == "unknown_drug":
        drug = draw(st.text().filter(lambda d: d not in DRUGS) | st.integers() | st.none())
        report["regimen"] = [*(report.get("regimen") or []), drug]
    elif how == "unknown_key":
        report[draw(st.text().filter(lambda k: k not in ("regimen", "symptoms", "previous")))] = 1
    elif how == "entry_not_dict":
        symptoms.insert(draw(st.integers(0, len(symptoms))), draw(st.text() | st.integers()))
    elif how == "symptoms_not_list":
        report["symptoms"] = draw(st.none() | st.text() | st.just({"code": "rash"}))
    elif how == "no_code":
        del symptoms[draw(st.integers(0, len(symptoms) - 1))]["code"]
    elif how == "bad_previous":
        bad = st.integers(5) | st.integers(max_value=-1) | st.booleans() | st.floats() | st.text()
        report["previous"] = {draw(st.sampled_from(CODES)): draw(bad)}
    else:
        return draw(st.lists(st.integers()) | st.text() | st.none() | st.integers())
    return report


@SETTINGS
@given(report_mutations())
def test_a_malformed_report_raises_only_a_validation_error(report: Any) -> None:
    with pytest.raises(TriageValidationError) as caught:
        assess(report)
    assert caught.value.errors
    assert all(error.message for error in caught.value.errors)


@SETTINGS
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
        lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
        max_leaves=20,
    )
)
def test_arbitrary_json_is_assessed_or_refused_cleanly(document: Any) -> None:
    try:
        result = assess(document)
    except TriageValidationError as error:
        assert error.errors
    else:
        assert isinstance(result, Assessment)
