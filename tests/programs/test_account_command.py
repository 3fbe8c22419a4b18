"""Giving staff and participants a sign-in from the command line."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from mentorbadges.programs.models import Participant, Program, StaffRole
from tests.conftest import import_events
from tests.history import History


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("account", *args, stdout=out)
    return out.getvalue()


def password_in(out: str) -> str:
    return out.split("Password (shown once): ")[1].strip()


def test_a_new_coordinator_gets_a_password_that_signs_in(program: Program) -> None:
    out = run(
        "staff", "--program", "north", "--username", "cora", "--role", "coordinator"
    )

    user = get_user_model().objects.get(username="cora")
    assert user.check_password(password_in(out))
    assert StaffRole.objects.get(program=program, user=user).role == "coordinator"


def test_an_existing_user_changes_role_without_a_new_password(program: Program) -> None:
    run("staff", "--program", "north", "--username", "cora", "--role", "coordinator")
    out = run("staff", "--program", "north", "--username", "cora", "--role", "admin")

    assert "Password" not in out
    assert StaffRole.objects.get(program=program).role == "admin"


def test_a_participant_gets_a_sign_in_linked_to_them(
    program: Program, history: History
) -> None:
    history.person("ana", "Ana")
    import_events(program, history.events)

    out = run(
        "participant", "--program", "north", "--participant", "ana", "--username", "ana"
    )

    person = Participant.objects.get(external_id="ana")
    assert person.user is not None
    assert person.user.check_password(password_in(out))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            [
                "participant",
                "--program",
                "north",
                "--participant",
                "zed",
                "--username",
                "z",
            ],
            "No participant 'zed'",
        ),
        (
            ["remove-staff", "--program", "north", "--username", "nobody"],
            "'nobody' is not staff",
        ),
        (
            ["staff", "--program", "nowhere", "--username", "x", "--role", "admin"],
            "No program with the slug 'nowhere'",
        ),
    ],
)
def test_bad_account_requests_are_refused_clearly(
    program: Program, args: list[str], message: str
) -> None:
    with pytest.raises(CommandError, match=message):
        run(*args)
    assert not get_user_model().objects.exists()


def test_removing_staff_ends_the_role(program: Program) -> None:
    run("staff", "--program", "north", "--username", "cora", "--role", "coordinator")

    assert "no longer staff" in run(
        "remove-staff", "--program", "north", "--username", "cora"
    )
    assert not StaffRole.objects.exists()
