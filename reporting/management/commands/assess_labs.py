"""`python manage.py assess_labs FILE`: triage laboratory panels from JSON on the command line.

FILE (or `-` for stdin) holds one panel object or a JSON list of them (docs/LABS-2026.2.md
section 1). Prints the assessment, or the list of assessments, as JSON (section 2) and exits 0.
If the file cannot be read or parsed, or ANY panel is invalid, prints nothing to stdout, says
on stderr which panel (its index in the list) and why (the test, its result index and the
field, or the drug), and exits 2. Never a traceback. Same shape and exit codes as `assess`.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reporting.management.commands.assess import INVALID_INPUT, _load
from reporting.triage import LabAssessment, TriageValidationError, assess_labs


class Command(BaseCommand):
    help = (
        "Assess laboratory panels with the lab ruleset. FILE holds one panel or a JSON list "
        "of panels ('-' reads stdin); the assessments are printed as JSON."
    )
    # Pure computation: the database and the system checks play no part.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="JSON file with a panel or a list of panels; - for stdin")

    def handle(self, *args: Any, **options: Any) -> None:
        document = _load(options["file"])
        batch = isinstance(document, list)
        panels = document if batch else [document]
        assessments, problems = _assess_all(panels, batch)
        if problems:
            raise CommandError("\n".join(problems), returncode=INVALID_INPUT)
        shaped = [assessment.as_dict() for assessment in assessments]
        output = shaped if batch else shaped[0]
        self.stdout.write(json.dumps(output, ensure_ascii=False, indent=2))


def _assess_all(panels: list[Any], batch: bool) -> tuple[list[LabAssessment], list[str]]:
    """Assess every panel; on any refusal, the lines that say which and why."""
    assessments: list[LabAssessment] = []
    problems: list[str] = []
    for index, panel in enumerate(panels):
        try:
            assessments.append(assess_labs(panel))
        except TriageValidationError as error:
            problems.append(f"Panel {index} is invalid:" if batch else "The panel is invalid:")
            problems.extend(f"  - {field_error.message}" for field_error in error.errors)
    return assessments, problems
