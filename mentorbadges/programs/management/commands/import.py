"""mentorbadges import --program SLUG FILE"""

import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any, BinaryIO
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.text import slugify
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

from mentorbadges.activity.services import import_file
from mentorbadges.lib.text import counted
from mentorbadges.programs.management.commands._program import (
    add_program_argument,
    ensure_database,
)
from mentorbadges.programs.models import Program


class Command(BaseCommand):
    help = "Apply a JSON Lines event file to a program, creating it if needed."

    def add_arguments(self, parser: CommandParser) -> None:
        add_program_argument(parser)
        parser.add_argument("file", help="JSON Lines file of events ('-' for stdin)")
        parser.add_argument("--name", help="name of a program created by the import")
        parser.add_argument(
            "--time-zone", help="time zone of a program created now (default UTC)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        slug = options["program"]
        if slugify(slug) != slug:
            raise CommandError(
                f"'{slug}' is not a valid slug: use lowercase letters, digits and "
                "hyphens."
            )
        zone = options["time_zone"] or "UTC"
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise CommandError(f"'{zone}' is not a known time zone.") from None
        with _open(options["file"]) as stream:
            ensure_database()

            program, created = Program.objects.get_or_create(
                slug=slug,
                defaults={
                    "name": options["name"] or slug.replace("-", " ").title(),
                    "time_zone": zone,
                },
            )
            if created:
                self.stdout.write(f"Created the program '{slug}'.")
            elif options["name"] or options["time_zone"]:
                self.stderr.write(
                    f"The program '{slug}' exists already: --name and --time-zone "
                    "apply only to a program the import creates; they are ignored."
                )

            console = Console(file=sys.stderr)
            with Progress(
                "[progress.description]{task.description}",
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=console,
                transient=True,
                disable=not console.is_terminal,
            ) as bar:
                task = bar.add_task("Importing", total=None)
                report = import_file(
                    program,
                    stream,
                    progress=lambda done, total: bar.update(
                        task, completed=done, total=total
                    ),
                )

        self.stdout.write(
            f"{report.applied} applied, {report.duplicates} duplicate, "
            f"{len(report.rejections)} rejected; "
            f"{counted(report.granted, 'award')} granted."
        )
        for outcome in report.rejections:
            name = f" ({outcome.event_id})" if outcome.event_id else ""
            self.stdout.write(
                f"line {outcome.line}{name}: {outcome.reason}: {outcome.detail}"
            )


def _open(name: str) -> BinaryIO:
    """The file to import, opened for reading twice; stdin is spooled to disk."""
    if name == "-":
        spool = tempfile.TemporaryFile()  # noqa: SIM115 (the caller closes it)
        shutil.copyfileobj(sys.stdin.buffer, spool)
        spool.seek(0)
        return spool
    path = Path(name)
    if path.is_dir():
        raise CommandError(f"'{name}' is a folder; give the file to import.")
    if not path.is_file():
        raise CommandError(f"The file '{name}' does not exist.")
    try:
        return path.open("rb")
    except OSError as error:
        raise CommandError(f"The file '{name}' cannot be read: {error}.") from None
