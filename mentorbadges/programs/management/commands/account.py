"""mentorbadges account staff|participant|remove-staff --program SLUG …"""

import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from mentorbadges.programs.management.commands._program import (
    add_program_argument,
    existing_program,
)
from mentorbadges.programs.models import Participant, Program, StaffRole


class Command(BaseCommand):
    help = "Give people a sign-in: staff of a program, or a participant."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        staff = actions.add_parser("staff", help="make a user staff of a program")
        add_program_argument(staff)
        staff.add_argument("--username", required=True)
        staff.add_argument(
            "--role", choices=[StaffRole.COORDINATOR, StaffRole.ADMIN], required=True
        )
        staff.add_argument("--email", default="")
        person = actions.add_parser(
            "participant", help="give a participant a sign-in of their own"
        )
        add_program_argument(person)
        person.add_argument("--participant", required=True, metavar="ID")
        person.add_argument("--username", required=True)
        remove = actions.add_parser("remove-staff", help="end a user's staff role")
        add_program_argument(remove)
        remove.add_argument("--username", required=True)

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        program = existing_program(options["program"])
        username = options["username"]
        if options["action"] == "remove-staff":
            removed, _ = StaffRole.objects.filter(
                program=program, user__username=username
            ).delete()
            if not removed:
                raise CommandError(f"'{username}' is not staff of '{program.slug}'.")
            self.stdout.write(f"'{username}' is no longer staff of '{program.slug}'.")
            return

        if options["action"] == "staff":
            user, password = _user(username, options["email"])
            StaffRole.objects.update_or_create(
                program=program, user=user, defaults={"role": options["role"]}
            )
            what = f"{options['role']} of '{program.slug}'"
        else:
            person = _participant(program, options["participant"])
            user, password = _user(username, person.email)
            person.user = user
            person.save(update_fields=["user"])
            what = f"the sign-in of {person.external_id} in '{program.slug}'"

        self.stdout.write(f"'{username}' is {what}.")
        if password:
            self.stdout.write(f"Password (shown once): {password}")


def _user(username: str, email: str) -> tuple[User, str]:
    """Return the user, created with a new password when it did not exist."""
    users: type[User] = get_user_model()
    user = users.objects.filter(username=username).first()
    if user is not None:
        return user, ""

    password = secrets.token_urlsafe(12)
    user = users.objects.create_user(username=username, email=email, password=password)
    return user, password


def _participant(program: Program, external_id: str) -> Participant:
    person = Participant.objects.filter(
        program=program, external_id=external_id
    ).first()
    if person is None:
        raise CommandError(
            f"No participant '{external_id}' is known in the program '{program.slug}'."
        )
    if person.user_id is not None:
        raise CommandError(f"The participant '{external_id}' already has a sign-in.")
    if person.erased_at is not None:
        raise CommandError(f"The participant '{external_id}' was erased.")
    return person
