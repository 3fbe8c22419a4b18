"""mentorbadges export --program SLUG [--output FILE]"""

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mentorbadges.programs.management.commands._program import (
    add_program_argument,
    existing_program,
)
from mentorbadges.reports.csv import export_csv


class Command(BaseCommand):
    help = "Write the all-badges CSV of a program."

    def add_arguments(self, parser: CommandParser) -> None:
        add_program_argument(parser)
        parser.add_argument("--output", metavar="FILE", help="file to write")

    def handle(self, *args: Any, **options: Any) -> None:
        program = existing_program(options["program"])
        chunks = export_csv(program)
        if options["output"] is None:
            for chunk in chunks:
                sys.stdout.buffer.write(chunk)
            sys.stdout.buffer.flush()
            return

        path = Path(options["output"])
        try:
            with path.open("wb") as output:
                for chunk in chunks:
                    output.write(chunk)
        except OSError as error:
            raise CommandError(f"Cannot write '{path}': {error.strerror}.") from None
