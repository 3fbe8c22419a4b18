"""mentorbadges digest [--program SLUG] [--force]: the weekly e-mail to staff."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from mentorbadges.notifications.digest import send_digest
from mentorbadges.programs.management.commands._program import existing_program
from mentorbadges.programs.models import Program


class Command(BaseCommand):
    help = (
        "E-mail each program's staff the week's health highlights. Run it weekly "
        "from cron or a scheduler; a second run in the same week sends nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--program", metavar="SLUG", help="only this program (default: all)"
        )
        parser.add_argument(
            "--force", action="store_true", help="send again if sent this week"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["program"]:
            programs = [existing_program(options["program"])]
        else:
            programs = list(Program.objects.order_by("slug"))

        for program in programs:
            result = send_digest(program, force=options["force"])
            if result.skipped:
                self.stdout.write(f"Skipped '{program.slug}': {result.skipped}.")
            else:
                self.stdout.write(
                    f"Sent the {result.week} digest of '{program.slug}' to "
                    f"{result.sent} staff member{'s' if result.sent != 1 else ''}."
                )
