"""mentorbadges webhook add|list|remove --program SLUG"""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from mentorbadges.api.models import Webhook
from mentorbadges.programs.management.commands._program import (
    add_program_argument,
    existing_program,
)


class Command(BaseCommand):
    help = "Register, list or remove the webhooks a program's awards are posted to."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        add = actions.add_parser("add", help="register a URL and print its secret")
        add_program_argument(add)
        add.add_argument("url", help="http(s) address that receives the posts")
        listing = actions.add_parser("list", help="list a program's webhooks")
        add_program_argument(listing)
        remove = actions.add_parser("remove", help="stop posting to a webhook")
        add_program_argument(remove)
        remove.add_argument("id", type=int, help="the number 'list' shows")

    def handle(self, *args: Any, **options: Any) -> None:
        program = existing_program(options["program"])
        hooks = Webhook.objects.filter(program=program)
        if options["action"] == "add":
            try:
                hook = Webhook.register(program, options["url"])
            except ValidationError:
                raise CommandError(
                    f"'{options['url']}' is not an http or https address."
                ) from None
            self.stdout.write(f"Webhook {hook.pk} registered. Its signing secret:")
            self.stdout.write(hook.secret)
        elif options["action"] == "list":
            for hook in hooks.filter(active=True).order_by("pk"):
                waiting = hook.deliveries.filter(delivered_at__isnull=True).count()
                self.stdout.write(f"{hook.pk}  {hook.url}  {waiting} waiting")
        else:
            updated = hooks.filter(pk=options["id"], active=True).update(active=False)
            if not updated:
                raise CommandError(f"No webhook {options['id']} in this program.")
            self.stdout.write(f"Webhook {options['id']} removed.")
