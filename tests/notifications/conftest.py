from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from mentorbadges.programs.models import Participant, Program, StaffRole
from tests.conftest import import_events
from tests.history import History, at

Commit = Callable[..., Any]


@pytest.fixture(autouse=True)
def fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def committed(
    django_capture_on_commit_callbacks: Commit,
) -> Callable[[Callable[[], object]], object]:
    """Run an ingestion and the callbacks its commit would run."""

    def run(action: Callable[[], object]) -> object:
        with django_capture_on_commit_callbacks(execute=True):
            return action()

    return run


def pair_history(history: History) -> History:
    """Ana (no e-mail) mentors Ben (ben@example.org) in loop l1."""
    history.person("ana", "Ana Álvarez")
    history.add(
        "participant.upserted",
        at(0),
        participant={"id": "ben", "name": "Ben", "email": "ben@example.org"},
    )
    history.pair("l1", "ana", "ben")
    return history


def load(program: Program, events: list[dict[str, Any]]) -> None:
    assert not import_events(program, events)


def account(external_id: str, username: str) -> User:
    user = User.objects.create_user(username, password=f"pw-{username}")
    Participant.objects.filter(external_id=external_id).update(user=user)
    return user


def staff(program: Program, username: str, email: str = "") -> User:
    user = User.objects.create_user(username, email=email, password=f"pw-{username}")
    StaffRole.objects.create(program=program, user=user, role=StaffRole.COORDINATOR)
    return user


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client
