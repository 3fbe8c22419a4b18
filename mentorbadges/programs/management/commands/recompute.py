"""mentorbadges recompute --program SLUG"""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from mentorbadges.activity.services import recompute
from mentorbadges.lib.text import counted
from mentorbadges.programs.management.commands._program import (
    add_program_argument,
    existing_program,
)


class Command(BaseCommand):
    help = "Derive every achievement of a program again from its recorded activity."

    def add_arguments(self, parser: CommandParser) -> None:
        add_program_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        program = existing_program(options["program"])
        granted = recompute(program)
        granted_text = counted(granted, "award")
        self.stdout.write(f"Recomputed '{program.slug}': {granted_text} granted.")
