from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from mentorbadges.programs.models import Participant, Program, StaffRole
from tests.history import History
from tests.scene import mentoring_scene


@pytest.fixture(autouse=True)
def fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def scene(program: Program, history: History) -> History:
    return mentoring_scene(program, history)


@pytest.fixture
def coordinator(program: Program) -> User:
    user = User.objects.create_user("coordinator", password="pw-coordinator")
    StaffRole.objects.create(program=program, user=user, role=StaffRole.COORDINATOR)
    return user


@pytest.fixture
def outsider(other_program: Program) -> User:
    """A coordinator of another program."""
    user = User.objects.create_user("outsider", password="pw-outsider")
    StaffRole.objects.create(
        program=other_program, user=user, role=StaffRole.COORDINATOR
    )
    return user


def link(external_id: str, username: str) -> User:
    user = User.objects.create_user(username, password=f"pw-{username}")
    Participant.objects.filter(external_id=external_id).update(user=user)
    return user


@pytest.fixture
def ben(scene: History) -> User:
    """Ben, the mentee of loop l1, as a signed-up participant."""
    return link("ben", "ben")


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client
