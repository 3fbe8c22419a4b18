"""The cast of the security tests: one person of each role, in two programs."""

from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import Client

from mentorbadges.programs.models import Participant, Program, StaffRole
from tests.conftest import import_events
from tests.history import History
from tests.scene import mentoring_scene


@pytest.fixture(autouse=True)
def fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fresh_rate_limits() -> None:
    cache.clear()


def staff(program: Program, username: str, role: str) -> User:
    user = User.objects.create_user(username, password=f"pw-{username}")
    StaffRole.objects.create(program=program, user=user, role=role)
    return user


def participant_user(program: Program, external_id: str, username: str) -> User:
    user = User.objects.create_user(username, password=f"pw-{username}")
    Participant.objects.filter(program=program, external_id=external_id).update(
        user=user
    )
    return user


def signed_in(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@dataclass
class Cast:
    """North has the scene; South has a participant and a coordinator of its own."""

    north: Program
    south: Program
    participant: User
    other_participant: User
    coordinator: User
    other_coordinator: User
    admin: User

    def user(self, role: str) -> User | None:
        return None if role == "anonymous" else getattr(self, role)


@pytest.fixture
def cast(program: Program, other_program: Program, history: History) -> Cast:
    mentoring_scene(program, history)
    south = History()
    south.person("sam", "Sam South")
    south.person("sue", "Sue South")
    south.pair("s1", "sam", "sue")
    assert not import_events(other_program, south.events)
    return Cast(
        north=program,
        south=other_program,
        participant=participant_user(program, "ben", "ben"),
        other_participant=participant_user(other_program, "sam", "sam"),
        coordinator=staff(program, "coordinator", StaffRole.COORDINATOR),
        other_coordinator=staff(other_program, "outsider", StaffRole.COORDINATOR),
        admin=staff(program, "admin", StaffRole.ADMIN),
    )
