"""mentorbadges send_emails [--limit N]: send the queued notification e-mails."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from mentorbadges.notifications.services import send_queued

BATCH = 100


class Command(BaseCommand):
    help = (
        "Send the notification e-mails waiting in the outbox (those not sent right "
        "after their awards were committed). Run it every few minutes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--limit", type=int, default=10_000, help="send at most this many"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        limit: int = options["limit"]
        sent = 0
        while sent < limit:
            batch = send_queued(min(BATCH, limit - sent))
            if not batch:
                break
            sent += batch
        self.stdout.write(f"Sent {sent} e-mail{'s' if sent != 1 else ''}.")
