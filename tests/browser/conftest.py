from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page

from mentorbadges.programs.models import Participant, Program, StaffRole


@pytest.fixture(autouse=True)
def fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def browser_program(transactional_db: None) -> Program:
    return Program.objects.create(
        slug="north", name="North Mentoring", time_zone="Europe/Paris"
    )


def make_coordinator(program: Program) -> User:
    user = User.objects.create_user("coordinator", password="coordinator-pw")
    StaffRole.objects.create(program=program, user=user, role=StaffRole.COORDINATOR)
    return user


def make_participant(external_id: str, username: str) -> User:
    user = User.objects.create_user(username, password=f"{username}-pw")
    Participant.objects.filter(external_id=external_id).update(user=user)
    return user


def sign_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(f"{username}-pw")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base_url}/")
