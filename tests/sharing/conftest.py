from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from mentorbadges.programs.models import Program, StaffRole
from tests.conftest import post_events
from tests.history import History, at
from tests.scene import mentoring_scene

ANA_EMAIL = "Ana.Alvarez@example.org"


@pytest.fixture(autouse=True)
def fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def issuer_email(settings: Any) -> None:
    settings.ISSUER_EMAIL = "badges@north.example.org"


@pytest.fixture
def scene(program: Program, history: History) -> History:
    """Ana (mentor) and Ben (mentee) in loop l1: see tests/scene.py.

    Ana holds Trust (9 Jan), Certified (15 Jan) and Momentum Bronze (5 Feb);
    Ben holds Growing Together (9 Jan), Momentum Bronze and Commitment
    (14 Feb). Ana's address is known to the program.
    """
    mentoring_scene(program, history)
    ana = {"id": "ana", "name": "Ana Álvarez", "email": ANA_EMAIL}
    post_events(program, [history.add("participant.upserted", at(50), participant=ana)])
    return history


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def staff_user(program: Program, username: str) -> User:
    user = User.objects.create_user(username, password=f"pw-{username}")
    StaffRole.objects.create(program=program, user=user, role=StaffRole.COORDINATOR)
    return user


def participant_user(program: Program, external_id: str) -> User:
    user = User.objects.create_user(external_id, password=f"pw-{external_id}")
    program.participant_set.filter(external_id=external_id).update(user=user)
    return user


@pytest.fixture
def coordinator(program: Program) -> Client:
    return signed_in(staff_user(program, "coordinator"))


@pytest.fixture
def outsider(other_program: Program) -> Client:
    """A coordinator of another program."""
    return signed_in(staff_user(other_program, "outsider"))


@pytest.fixture
def ana(scene: History, program: Program) -> Client:
    return signed_in(participant_user(program, "ana"))


@pytest.fixture
def ben(scene: History, program: Program) -> Client:
    return signed_in(participant_user(program, "ben"))
