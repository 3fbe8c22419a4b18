"""Finding the program a command works on."""

from django.core.management.base import CommandError, CommandParser

from mentorbadges.programs.models import Program


def add_program_argument(parser: CommandParser) -> None:
    parser.add_argument("--program", required=True, metavar="SLUG", help="program slug")


def existing_program(slug: str) -> Program:
    try:
        return Program.objects.get(slug=slug)
    except Program.DoesNotExist:
        raise CommandError(f"No program with the slug '{slug}' exists.") from None
