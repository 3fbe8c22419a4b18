"""mentorbadges demo: a realistic program on the local database, served."""

import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.db.models import Count, Q

from mentorbadges.activity.services import import_lines
from mentorbadges.demo.generator import generate, to_json_lines
from mentorbadges.lib.server import serve
from mentorbadges.lib.text import counted
from mentorbadges.programs.models import Participant, Program, StaffRole

SLUG = "demo"


class Command(BaseCommand):
    help = "Load a realistic demo program (once) and serve the web app."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--participants",
            type=int,
            default=300,
            help="how many people the demo program has (first run only)",
        )
        parser.add_argument(
            "--bind", default="127.0.0.1:8000", help="address to serve on"
        )
        parser.add_argument(
            "--no-serve", action="store_true", help="load the data and stop"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", verbosity=0)
        program = Program.objects.filter(slug=SLUG).first()
        if program is None:
            program = self._load(options["participants"])
        else:
            self.stdout.write(f"Reusing the demo program '{program.name}'.")
        accounts = _accounts(program)

        host = options["bind"]
        self.stdout.write("")
        self.stdout.write(f"mentorbadges demo: http://{host}/")
        for role, username, password in accounts:
            self.stdout.write(f"  {role:<14} user {username:<12} password {password}")
        self.stdout.write("")
        if not options["no_serve"]:
            # Links in the demo's e-mails lead to where it is served.
            settings.PUBLIC_URL = settings.PUBLIC_URL or f"http://{host}"
            serve(host, workers=2)

    def _load(self, participants: int) -> Program:
        self.stdout.write(f"Generating a year of activity for {participants} people…")
        start = (datetime.now(UTC) - timedelta(days=365)).replace(
            hour=0, minute=0, second=0, microsecond=0
        )
        lines = to_json_lines(generate(participants, months=12, seed=7, start=start))
        program = Program.objects.create(
            slug=SLUG, name="Northwind Mentoring", time_zone="Europe/London"
        )
        report = import_lines(program, lines)
        self.stdout.write(
            f"Imported {counted(report.applied, 'event')}; "
            f"{counted(report.granted, 'award')} granted."
        )
        return program


@transaction.atomic
def _accounts(program: Program) -> list[tuple[str, str, str]]:
    """Create or refresh the demo sign-ins, with new passwords each run."""
    users = get_user_model()
    accounts = []
    for username, role in (("coordinator", StaffRole.COORDINATOR), ("admin", "admin")):
        user, _ = users.objects.get_or_create(
            username=username, defaults={"email": f"{username}@example.org"}
        )
        password = secrets.token_urlsafe(9)
        user.set_password(password)
        user.save()
        StaffRole.objects.update_or_create(
            program=program, user=user, defaults={"role": role}
        )
        label = "Coordinator" if role == StaffRole.COORDINATOR else "Program admin"
        accounts.append((label, username, password))

    user, _ = users.objects.get_or_create(username="participant")
    password = secrets.token_urlsafe(9)
    user.set_password(password)
    user.save()
    person = Participant.objects.filter(user=user).first() or _showcase(program)
    person.user = user
    person.save(update_fields=["user"])
    accounts.append((f"Participant ({person.name})", "participant", password))
    return accounts


def _showcase(program: Program) -> Participant:
    """Pick an active participant with current loops and many badges."""
    candidates = (
        Participant.objects.filter(
            program=program, active=True, membership__left_at__isnull=True
        )
        .annotate(
            held=Count(
                "awards", filter=Q(awards__revoked_at__isnull=True), distinct=True
            )
        )
        .order_by("-held", "external_id")
    )
    return candidates[0]
