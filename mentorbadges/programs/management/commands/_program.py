"""Finding the program a command works on."""

from django.core.management import call_command
from django.core.management.base import CommandError, CommandParser
from django.db import connection

from mentorbadges.programs.models import Program


def add_program_argument(parser: CommandParser) -> None:
    parser.add_argument("--program", required=True, metavar="SLUG", help="program slug")


def ensure_database() -> None:
    """Create the tables on first run, as the data folder is created then."""
    if Program._meta.db_table not in connection.introspection.table_names():
        call_command("migrate", verbosity=0)


def existing_program(slug: str) -> Program:
    ensure_database()
    try:
        return Program.objects.get(slug=slug)
    except Program.DoesNotExist:
        raise CommandError(f"No program with the slug '{slug}' exists.") from None
