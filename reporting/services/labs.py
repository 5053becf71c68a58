"""Recording laboratory panels: pick each test's baseline, grade the panel with the engine
(`reporting.triage.assess_labs`, ruleset 2026.2), store it as given, and open (or join) an
alert when it is at monitor or above, through the same outbox as reports.

Numbers stay text from the form or the laboratory's file to the database ("2.10" stays
"2.10"); the engine reads them exactly. A baseline in another unit than the result is never
rounded into it: the result and its baseline are both given to the engine in the test's
canonical unit, where unit factors multiply exactly (mg/dL x 17.1 = umol/L).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext
from fractions import Fraction
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_noop

from reporting.models import BaselineChoice, LabPanel, LabResult, Patient, User
from reporting.selectors.labs import baseline_result_for
from reporting.selectors.people import require_care_team
from reporting.services.alerts import alert_raise_for_lab_panel
from reporting.services.reports import stored_reason
from reporting.triage import LAB_CATALOGUE, FieldError, LabAssessment
from reporting.triage import assess_labs as engine_assess_labs
from reporting.triage.labs.exact import rounded_text

logger = logging.getLogger(__name__)

_NUMBER = re.compile(r"^\d+([.,]\d+)?$")
# Enough for any laboratory value, and few enough that the engine reads the text exactly.
MAX_SIGNIFICANT_DIGITS = 12


@dataclass(frozen=True, slots=True)
class ResultInput:
    """One test of a panel as typed or exported: every number as text."""

    test: str
    value: str
    unit: str
    lln: str = ""
    uln: str = ""


class LabDuplicateError(Exception):
    """A result of this test at this collection time is already recorded for the patient."""


class LabInputError(Exception):
    """The panel is refused and nothing was stored; `problems` are (result index or None,
    field, message), the message in the reader's language when rendered by the caller."""

    def __init__(self, problems: Sequence[FieldError]) -> None:
        super().__init__(problems)
        self.problems = tuple(problems)


# --- numbers -------------------------------------------------------------------------------


def number_of(text: str) -> int | float:
    """A value or limit as the engine takes it: "38,2" and "38.2" alike; ValueError for
    anything that is not a plain non-negative decimal number (the engine refuses negatives
    and zero limits itself, naming the test)."""
    text = text.strip().replace(" ", "")
    if not _NUMBER.match(text):
        raise ValueError(text)
    text = text.replace(",", ".")
    if len(text.replace(".", "").lstrip("0")) > MAX_SIGNIFICANT_DIGITS:
        raise ValueError(text)
    if "." not in text:
        return int(text)
    number = float(text)
    # The engine reads a float through its shortest repr: that must be the number typed.
    if Decimal(repr(number)) != Decimal(text):
        raise ValueError(text)
    return number


def _decimal_text(value: Fraction) -> str:
    """An exact decimal (a terminating fraction: a value times unit factors) as text."""
    with localcontext() as context:
        context.prec = 60
        decimal = Decimal(value.numerator) / Decimal(value.denominator)
    if Fraction(decimal) != value:
        raise ValueError(value)  # not a terminating decimal: no exact text for it
    return format(decimal.normalize(), "f")


def _in_canonical_unit(text: str, test: str, unit: str) -> str:
    factor = LAB_CATALOGUE[test].unit(unit).factor
    if factor is None:
        raise ValueError(unit)
    return _decimal_text(Fraction(text.replace(",", ".")) * factor)


# --- what the engine is given ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Prepared:
    """One result as the engine gets it, and the baseline it was given."""

    entry: dict[str, Any]
    baseline: LabResult | None
    baseline_text: str


def _prepared(result: ResultInput, baseline: LabResult | None, index: int) -> _Prepared:
    test = LAB_CATALOGUE.get(result.test)
    entry: dict[str, Any] = {"test": result.test, "unit": result.unit}
    try:
        if (
            test is not None
            and test.unit_codes
            and result.unit in test.unit_codes
            and (test.unit(result.unit).is_dipstick)
        ):
            entry["value"] = result.value.strip()
        else:
            entry["value"] = number_of(result.value)
        for limit in ("lln", "uln"):
            text = getattr(result, limit)
            if text.strip():
                entry[limit] = number_of(text)
    except ValueError:
        raise LabInputError([_not_a_number(result, index)]) from None
    if baseline is None or test is None:
        return _Prepared(entry, None, "")
    if baseline.unit == result.unit:
        entry["baseline"] = number_of(baseline.value)
        return _Prepared(entry, baseline, baseline.value)
    # Another unit: both in the canonical one, where the factors multiply exactly.
    try:
        converted = {
            "value": _in_canonical_unit(result.value, result.test, result.unit),
            "baseline": _in_canonical_unit(baseline.value, result.test, baseline.unit),
            **{
                limit: _in_canonical_unit(getattr(result, limit), result.test, result.unit)
                for limit in ("lln", "uln")
                if limit in entry
            },
        }
        numbers = {name: number_of(text) for name, text in converted.items()}
    except (ValueError, KeyError):
        return _Prepared(entry, None, "")  # no exact conversion: graded on its limits alone
    return _Prepared(
        {**entry, **numbers, "unit": test.canonical_unit}, baseline, converted["baseline"]
    )


_NOT_A_NUMBER = gettext_noop("%(test)s: write the numbers as digits, e.g. 38.2 or 38,2.")


def _not_a_number(result: ResultInput, index: int) -> FieldError:
    test = LAB_CATALOGUE.get(result.test)
    params = {"test": test.short_label if test is not None else result.test}
    return FieldError(
        _NOT_A_NUMBER % params,
        field="value",
        index=index,
        template=_NOT_A_NUMBER,
        params=params,
        test=result.test,
    )


# --- recording -----------------------------------------------------------------------------


def lab_panel_assess(
    *, patient: Patient, collected_at: dt.datetime, results: Sequence[ResultInput]
) -> tuple[LabAssessment, list[_Prepared]]:
    """Grade a panel as it would be stored, storing nothing. Raises LabInputError (numbers
    that are not numbers) or TriageValidationError (the engine's refusals)."""
    prepared = [
        _prepared(result, baseline_result_for(patient, result.test, collected_at), index)
        if result.test in LAB_CATALOGUE
        else _Prepared({"test": result.test, "unit": result.unit}, None, "")
        for index, result in enumerate(results)
    ]
    panel = {
        "regimen": list(patient.regimen) or None,
        "results": [item.entry for item in prepared],
    }
    return engine_assess_labs(panel), prepared


def lab_panel_record(
    *,
    patient: Patient,
    collected_at: dt.datetime,
    results: Sequence[ResultInput],
    source: str,
    entered_by: User | None = None,
) -> LabPanel:
    """Grade and store one panel, and raise its alert (monitor or above). A nurse enters
    panels only for her care teams' patients; an import has no `entered_by`."""
    if source == LabPanel.Source.ENTERED:
        if entered_by is None:
            raise ValueError("a panel entered by hand needs the nurse who entered it")
        require_care_team(
            entered_by, patient.care_team_id, "Only the patient's care team enters lab results."
        )
    assessment, prepared = lab_panel_assess(
        patient=patient, collected_at=collected_at, results=results
    )
    if LabResult.objects.filter(
        patient=patient, collected_at=collected_at, test__in=[r.test for r in results]
    ).exists():
        raise LabDuplicateError
    try:
        with transaction.atomic():
            panel = LabPanel.objects.create(
                patient=patient,
                collected_at=collected_at,
                source=source,
                entered_by=entered_by,
                regimen=list(patient.regimen),
                level=assessment.level.value,
                suspected_irae=list(assessment.suspected_irae),
                scores=_scores(assessment),
                reasons=[stored_reason(reason) for reason in assessment.reasons],
                ruleset=assessment.ruleset,
            )
            LabResult.objects.bulk_create(
                _result_row(panel, position, given, item, graded)
                for position, (given, item, graded) in enumerate(
                    zip(results, prepared, assessment.results, strict=True)
                )
            )
            alert_raise_for_lab_panel(panel=panel)
    except IntegrityError:  # the same results, recorded at the same moment elsewhere
        raise LabDuplicateError from None
    logger.info("lab panel %s recorded for patient %s (%s)", panel.pk, patient.pk, source)
    return panel


_GRADED_FIELDS = (
    "baseline",
    "baseline_unit",
    "baseline_result",
    "grade",
    "level",
    "irae",
    "anti_vegf",
    "ratio",
    "ratio_to",
)


def lab_panel_extend(*, panel: LabPanel, results: Sequence[ResultInput]) -> LabPanel:
    """Add results of new tests to a panel already stored (the laboratory sent more of the
    same sample) and grade the whole panel again: rules across results need them together.
    Opens the panel's alert if it now needs one."""
    stored = list(panel.results.order_by("position"))
    combined = [ResultInput(r.test, r.value, r.unit, r.lln, r.uln) for r in stored]
    combined += list(results)
    assessment, prepared = lab_panel_assess(
        patient=panel.patient, collected_at=panel.collected_at, results=combined
    )
    rows = [
        _result_row(panel, position, given, item, graded)
        for position, (given, item, graded) in enumerate(
            zip(combined, prepared, assessment.results, strict=True)
        )
    ]
    with transaction.atomic():
        for row, old in zip(rows, stored, strict=False):
            for name in _GRADED_FIELDS:
                setattr(old, name, getattr(row, name))
        LabResult.objects.bulk_update(stored, _GRADED_FIELDS)
        LabResult.objects.bulk_create(rows[len(stored) :])
        panel.level = assessment.level.value
        panel.suspected_irae = list(assessment.suspected_irae)
        panel.scores = _scores(assessment)
        panel.reasons = [stored_reason(reason) for reason in assessment.reasons]
        panel.ruleset = assessment.ruleset
        panel.save(update_fields=["level", "suspected_irae", "scores", "reasons", "ruleset"])
        if panel.alert_id is None:
            alert_raise_for_lab_panel(panel=panel)
    logger.info("lab panel %s extended by %d results", panel.pk, len(results))
    return panel


def _scores(assessment: LabAssessment) -> dict[str, Any]:
    albi = assessment.albi
    if albi is None:
        return {}
    return {"albi": {"value": str(albi.value), "grade": albi.grade}}


def _result_row(
    panel: LabPanel, position: int, given: ResultInput, item: _Prepared, graded: Any
) -> LabResult:
    if graded.baseline_used and graded.baseline_ratio_pair is not None:
        ratio, ratio_to = rounded_text(graded.baseline_ratio_pair), "baseline"
    elif graded.uln_ratio_pair is not None:
        ratio, ratio_to = rounded_text(graded.uln_ratio_pair), "uln"
    else:
        ratio, ratio_to = "", ""
    return LabResult(
        panel=panel,
        patient_id=panel.patient_id,
        collected_at=panel.collected_at,
        position=position,
        test=given.test,
        value=given.value.strip(),
        unit=given.unit,
        lln=given.lln.strip(),
        uln=given.uln.strip(),
        baseline=item.baseline_text,
        baseline_unit=item.entry["unit"] if item.baseline is not None else "",
        baseline_result=item.baseline,
        grade=graded.grade,
        level=graded.level.value,
        irae=graded.irae or "",
        anti_vegf=graded.anti_vegf,
        ratio=ratio,
        ratio_to=ratio_to,
    )


def baseline_choose(*, nurse: User, result: LabResult) -> BaselineChoice:
    """A nurse picks `result` as the patient's baseline for its test, from now on (recorded
    with who and when; panels already graded keep the baseline they were graded with)."""
    require_care_team(nurse, result.patient.care_team_id, "Only the patient's care team does.")
    if not LAB_CATALOGUE[result.test].baseline_allowed:
        raise ValueError(f"{result.test} takes no baseline")
    choice = BaselineChoice.objects.create(
        patient_id=result.patient_id, test=result.test, result=result, chosen_by=nurse
    )
    logger.info(
        "baseline for %s of patient %s set by user %s", result.test, result.patient_id, nurse.pk
    )
    return choice
