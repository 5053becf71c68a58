"""`python manage.py assess FILE`: triage reports from JSON on the command line.

FILE (or `-` for stdin) holds one report object or a JSON list of them (contract section 1).
Prints the assessment, or the list of assessments, as JSON (section 2) and exits 0. If the
file cannot be read or parsed, or ANY report is invalid, prints nothing to stdout, says on
stderr which report (its index in the list) and why, and exits 2. Never a traceback.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reporting.triage import Assessment, TriageValidationError, assess

INVALID_INPUT = 2


class Command(BaseCommand):
    help = (
        "Assess symptom reports with the triage ruleset. FILE holds one report or a JSON list "
        "of reports ('-' reads stdin); the assessments are printed as JSON."
    )
    # Pure computation: the database and the system checks play no part.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file", help="JSON file with a report or a list of reports; - for stdin"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        document = _load(options["file"])
        batch = isinstance(document, list)
        reports = document if batch else [document]
        assessments, problems = _assess_all(reports, batch)
        if problems:
            raise CommandError("\n".join(problems), returncode=INVALID_INPUT)
        shaped = [assessment.to_dict() for assessment in assessments]
        output = shaped if batch else shaped[0]
        self.stdout.write(json.dumps(output, ensure_ascii=False, indent=2))


def _load(name: str) -> Any:
    where = "stdin" if name == "-" else name
    try:
        text = sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CommandError(f"Cannot read {where}: {error}", returncode=INVALID_INPUT) from None
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as error:
        # ValueError covers JSONDecodeError; absurdly deep nesting raises RecursionError.
        raise CommandError(
            f"{where} is not valid JSON: {error}", returncode=INVALID_INPUT
        ) from None


def _assess_all(reports: list[Any], batch: bool) -> tuple[list[Assessment], list[str]]:
    """Assess every report; on any refusal, the lines that say which and why."""
    assessments: list[Assessment] = []
    problems: list[str] = []
    for index, report in enumerate(reports):
        try:
            assessments.append(assess(report))
        except TriageValidationError as error:
            problems.append(f"Report {index} is invalid:" if batch else "The report is invalid:")
            problems.extend(f"  - {field_error.message}" for field_error in error.errors)
    return assessments, problems
