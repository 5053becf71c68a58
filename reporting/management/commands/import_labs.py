"""`manage.py import_labs FILE.csv` (or `-` for standard input): the laboratory's export.

All or nothing: with any bad line it names each one (its line number in the file, the header
being line 1, and the field) on standard error, stores nothing and exits 2. Importing the same
file again stores nothing new. Prints how many panels, results and alerts it made.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reporting.services.lab_import import LabImportError, labs_import

INVALID_INPUT = 2


class Command(BaseCommand):
    help = "Import lab results from the laboratory's CSV export (all or nothing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the CSV file, or - for standard input")

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["file"]
        try:
            text = sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"cannot read {name}: {error}", returncode=INVALID_INPUT) from None
        try:
            summary = labs_import(text)
        except LabImportError as error:
            self.stderr.write(f"{name}: refused, nothing was imported:")
            for problem in error.problems:
                self.stderr.write(f"  {problem}")
            raise SystemExit(INVALID_INPUT) from None
        self.stdout.write(
            f"Imported {summary.panels} panels, {summary.results} results, "
            f"{summary.alerts} alerts ({summary.already_there} results were already there)."
        )
