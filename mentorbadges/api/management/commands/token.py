"""mentorbadges token create|list|revoke --program SLUG"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mentorbadges.api.models import PREFIX_LENGTH, ApiToken
from mentorbadges.programs.management.commands._program import (
    add_program_argument,
    existing_program,
)
from mentorbadges.programs.models import Program


class Command(BaseCommand):
    help = "Create, list or revoke a program's API tokens."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="create a token and print it once")
        add_program_argument(create)
        create.add_argument("--name", default="API token", help="what it is for")
        listing = actions.add_parser("list", help="list the tokens of a program")
        add_program_argument(listing)
        revoke = actions.add_parser("revoke", help="revoke a token")
        add_program_argument(revoke)
        revoke.add_argument("prefix", help="the token's visible prefix, or the token")

    def handle(self, *args: Any, **options: Any) -> None:
        program = existing_program(options["program"])
        action = options["action"]
        if action == "create":
            _, raw = ApiToken.issue(program, options["name"])
            self.stdout.write(raw)
            self.stderr.write(
                "Keep this token now: it is shown once and cannot be read back."
            )
        elif action == "list":
            tokens = ApiToken.objects.filter(program=program).order_by("created_at")
            for token in tokens:
                state = (
                    f"revoked {token.revoked_at:%Y-%m-%d}"
                    if token.revoked_at
                    else "live"
                )
                self.stdout.write(
                    f"{token.prefix}  {token.created_at:%Y-%m-%d}  {state}  "
                    f"{token.name}"
                )
        else:
            self._revoke(program, options["prefix"])

    def _revoke(self, program: Program, given: str) -> None:
        prefix = given[:PREFIX_LENGTH]
        if len(prefix) < PREFIX_LENGTH:
            raise CommandError(
                f"Give the whole {PREFIX_LENGTH}-character prefix 'list' shows."
            )
        live = ApiToken.objects.filter(
            program=program, prefix=prefix, revoked_at__isnull=True
        )
        found = list(live)
        if not found:
            raise CommandError(f"No live token starting '{prefix}' in this program.")
        for token in found:
            token.revoke()
        self.stdout.write(f"Revoked {len(found)} token(s) starting '{prefix}'.")
