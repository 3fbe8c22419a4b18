"""mentorbadges serve: the web app and API behind gunicorn."""

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from mentorbadges.lib.server import serve


class Command(BaseCommand):
    help = "Serve the web app and API with a production server."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default="127.0.0.1:8000")
        parser.add_argument(
            "--workers", type=int, default=2, help="processes (about one per core)"
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=4,
            help="requests each process handles at once",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", verbosity=0)
        serve(options["bind"], options["workers"], options["threads"])
