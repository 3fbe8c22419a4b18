"""mentorbadges deliver [--once]"""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from mentorbadges.api.webhooks import deliver_due


class Command(BaseCommand):
    help = "Post the webhook messages that are due, retrying failures with backoff."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--once", action="store_true", help="send what is due now, then stop"
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=5.0,
            help="seconds to wait when nothing is due (default 5)",
        )
        parser.add_argument(
            "--limit", type=int, default=100, help="messages per round (default 100)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            attempts = deliver_due(options["limit"])
            failed = sum(1 for attempt in attempts if not attempt.ok)
            if attempts:
                self.stdout.write(
                    f"{len(attempts) - failed} delivered, {failed} to retry."
                )
            if options["once"]:
                return
            if len(attempts) < options["limit"]:
                time.sleep(options["interval"])
