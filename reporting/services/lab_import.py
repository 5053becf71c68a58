"""Importing the hospital laboratory's export: a CSV of results, all or nothing.

Header row (line 1), exactly these columns: `hospital_number,collected_at,test,value,unit,
lln,uln`. `collected_at` is an ISO 8601 date or date and time, in the configured time zone
unless it carries its own offset; `lln`/`uln` are empty where the test needs none. Rows with
the same hospital number and collected_at form one panel.

Every row is checked, and every panel graded, before anything is stored: one bad line (an
unknown patient, test or unit, a value that is not a number...) and nothing at all is stored;
the problems name each line by its number in the file and its field. A result is identified
by patient, test and collected_at: importing the same file again stores nothing new, and
results new to a sample already imported join its panel, which is graded again as a whole
(Hy's law needs the ALT and the bilirubin of one sample together).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from reporting.models import Alert, LabPanel, LabResult, Patient
from reporting.services.labs import (
    LabInputError,
    ResultInput,
    lab_panel_assess,
    lab_panel_extend,
    lab_panel_record,
)
from reporting.triage import FieldError, TriageValidationError

COLUMNS = ("hospital_number", "collected_at", "test", "value", "unit", "lln", "uln")


@dataclass(frozen=True, slots=True)
class LineProblem:
    line: int  # in the file; the header is line 1
    field: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.field}: {self.message}"


class LabImportError(Exception):
    """The file is refused, nothing was stored; `problems` says where and why."""

    def __init__(self, problems: Iterable[LineProblem]) -> None:
        self.problems = sorted(problems, key=lambda problem: (problem.line, problem.field))
        super().__init__("; ".join(str(problem) for problem in self.problems))


@dataclass
class _Group:
    patient: Patient
    collected_at: dt.datetime
    lines: list[int] = field(default_factory=list)
    results: list[ResultInput] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ImportSummary:
    panels: int
    results: int
    alerts: int
    already_there: int


def _collected_at(text: str) -> dt.datetime | None:
    text = text.strip()
    when = parse_datetime(text)
    if when is None:
        day = parse_date(text)
        if day is None:
            return None
        when = dt.datetime.combine(day, dt.time.min)
    if timezone.is_naive(when):
        when = timezone.make_aware(when)
    return when


def _read(text: str) -> tuple[list[_Group], list[LineProblem]]:
    reader = csv.reader(io.StringIO(text))
    header = [cell.strip() for cell in next(reader, [])]
    if tuple(header) != COLUMNS:
        wanted = ",".join(COLUMNS)
        return [], [LineProblem(1, "header", f"the header must be exactly: {wanted}")]
    patients: dict[str, Patient | None] = {}
    groups: dict[tuple[int, dt.datetime], _Group] = {}
    problems: list[LineProblem] = []
    for line, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(COLUMNS):
            problems.append(LineProblem(line, "row", f"{len(row)} columns, not {len(COLUMNS)}"))
            continue
        cells = dict(zip(COLUMNS, (cell.strip() for cell in row), strict=True))
        number = cells["hospital_number"]
        if number.lower() not in patients:  # hospital numbers are unique whatever their case
            patients[number.lower()] = Patient.objects.filter(
                hospital_number__iexact=number
            ).first()
        patient = patients[number.lower()]
        when = _collected_at(cells["collected_at"])
        if patient is None:
            problems.append(LineProblem(line, "hospital_number", "no patient has this number"))
        if when is None:
            problems.append(
                LineProblem(line, "collected_at", "not an ISO 8601 date or date and time")
            )
        if patient is None or when is None:
            continue
        group = groups.setdefault((patient.pk, when), _Group(patient, when))
        group.lines.append(line)
        group.results.append(
            ResultInput(
                test=cells["test"],
                value=cells["value"],
                unit=cells["unit"],
                lln=cells["lln"],
                uln=cells["uln"],
            )
        )
    return list(groups.values()), problems


def _new_results(group: _Group) -> tuple[list[int], list[ResultInput], int]:
    """The lines and results not yet stored, and how many already were."""
    stored = set(
        LabResult.objects.filter(
            patient=group.patient, collected_at=group.collected_at
        ).values_list("test", flat=True)
    )
    keep = [
        (line, r)
        for line, r in zip(group.lines, group.results, strict=True)
        if r.test not in stored
    ]
    return [line for line, _r in keep], [r for _line, r in keep], len(group.results) - len(keep)


def _problems_of(
    group: _Group, lines: list[int], errors: Iterable[FieldError]
) -> list[LineProblem]:
    found = []
    for error in errors:
        line = (
            lines[error.index]
            if error.index is not None and error.index < len(lines)
            else (lines[0])
        )
        found.append(LineProblem(line, error.field or "test", error.message))
    return found


def _check(group: _Group, lines: list[int], results: list[ResultInput]) -> list[LineProblem]:
    """The problems grading the group would meet (nothing stored)."""
    seen: dict[str, int] = {}
    problems = []
    for line, result in zip(lines, results, strict=True):
        if result.test in seen:
            problems.append(LineProblem(line, "test", f"the same test as line {seen[result.test]}"))
        seen.setdefault(result.test, line)
    if problems:
        return problems
    existing = LabPanel.objects.filter(
        patient=group.patient, collected_at=group.collected_at
    ).first()
    combined = (
        [ResultInput(r.test, r.value, r.unit, r.lln, r.uln) for r in existing.results.all()]
        if existing is not None
        else []
    )
    offset = len(combined)
    try:
        lab_panel_assess(
            patient=group.patient, collected_at=group.collected_at, results=combined + results
        )
    except (LabInputError, TriageValidationError) as error:
        errors = error.problems if isinstance(error, LabInputError) else error.errors
        shifted = [
            FieldError(
                e.message,
                field=e.field,
                index=(e.index - offset) if e.index is not None else None,
                test=e.test,
            )
            for e in errors
        ]
        return _problems_of(group, lines, shifted)
    return []


def labs_import(text: str) -> ImportSummary:
    """Import a laboratory CSV, all or nothing. Raises LabImportError naming every bad line."""
    groups, problems = _read(text)
    planned = []
    already_there = 0
    for group in groups:
        lines, results, stored = _new_results(group)
        already_there += stored
        if not results:
            continue
        problems += _check(group, lines, results)
        planned.append((group, results))
    if problems:
        raise LabImportError(problems)
    panels = results_count = 0
    alerts_before = Alert.objects.count()
    with transaction.atomic():
        for group, results in planned:
            existing = LabPanel.objects.filter(
                patient=group.patient, collected_at=group.collected_at
            ).first()
            if existing is None:
                lab_panel_record(
                    patient=group.patient,
                    collected_at=group.collected_at,
                    results=results,
                    source=LabPanel.Source.IMPORTED,
                )
                panels += 1
            else:
                lab_panel_extend(panel=existing, results=results)
            results_count += len(results)
    # Alerts opened (a panel may also join one already open: that is not a new one).
    alerts = Alert.objects.count() - alerts_before
    return ImportSummary(panels, results_count, alerts, already_there)
