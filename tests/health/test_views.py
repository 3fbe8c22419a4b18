import csv
import io
from datetime import UTC, datetime
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from mentorbadges.programs.models import Participant, Program, StaffRole
from tests.conftest import import_events
from tests.history import History


@pytest.fixture(autouse=True)
def fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def days_ago(days: int) -> float:
    """Return the day number (as History counts them) ``days`` before today."""
    start = datetime(2026, 1, 5, tzinfo=UTC)
    return (datetime.now(UTC) - start).days - days


def loops(program: Program, history: History, count: int = 2) -> None:
    """Loop n pairs mentor n and mentee n; all met five times, only l0 has kudos."""
    start = days_ago(100)
    for n in range(count):
        history.person(f"mentor{n}", f"Mentor {n}")
        history.person(f"mentee{n}", f"Mentee {n}")
        history.pair(f"l{n}", f"mentor{n}", f"mentee{n}", day=start)
        for m in range(5):
            history.meeting(f"l{n}", f"l{n}-m{m}", day=start + 1 + m)
    history.kudos("l0", "mentee0", "mentor0", day=start + 7, feedback="<b>hi</b>")
    assert not import_events(program, history.events)


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def coordinator(program: Program) -> Client:
    user = User.objects.create_user("coord", password="pw-coord")
    StaffRole.objects.create(program=program, user=user, role=StaffRole.COORDINATOR)
    return client_for(user)


def test_staff_see_the_figures_against_the_aims(
    program: Program, history: History, coordinator: Client
) -> None:
    loops(program, history)

    response = coordinator.get("/p/north/health/")

    assert response.status_code == 200
    text = response.content.decode()
    assert "50%" in text and "(1 of 2)" in text
    assert "Momentum Bronze" in text


def test_each_chart_comes_with_a_text_alternative(
    program: Program, history: History, coordinator: Client
) -> None:
    loops(program, history)

    text = coordinator.get("/p/north/health/").content.decode()

    assert text.count('role="img"') == 2
    assert '<desc id="trend-chart-desc">' in text
    assert '<desc id="levels-chart-desc">' in text
    assert "Badges awarded per month</caption>" in text
    assert "by how long their loop has run</caption>" in text


def test_the_lists_to_act_on_name_the_loops(
    program: Program, history: History, coordinator: Client
) -> None:
    loops(program, history)

    text = coordinator.get("/p/north/health/").content.decode()

    assert "Met, but no kudos yet (1)" in text
    assert "Mentee 1, Mentor 1" in text
    assert "Quiet for over six weeks (2)" in text


def test_an_empty_program_says_so(program: Program, coordinator: Client) -> None:
    text = coordinator.get("/p/north/health/").content.decode()

    assert "No loops yet" in text


def recent_loops(program: Program, history: History, numbers: range) -> None:
    for n in numbers:
        history.person(f"mentor{n}")
        history.person(f"mentee{n}")
        history.pair(f"l{n}", f"mentor{n}", f"mentee{n}", day=days_ago(20))
        history.meeting(f"l{n}", f"l{n}-m", day=days_ago(10))
        history.kudos(f"l{n}", f"mentor{n}", f"mentee{n}", day=days_ago(9))
    assert not import_events(program, history.events[-len(numbers) * 5 :])


def test_the_page_costs_the_same_queries_however_many_loops(
    program: Program, history: History, coordinator: Client
) -> None:
    loops(program, history, count=2)
    recent_loops(program, history, range(2, 4))
    with CaptureQueriesContext(connection) as few:
        coordinator.get("/p/north/health/")
    recent_loops(program, history, range(4, 40))

    with CaptureQueriesContext(connection) as many:
        coordinator.get("/p/north/health/")

    assert len(many) == len(few)


def test_the_figures_download_as_csv(
    program: Program, history: History, coordinator: Client
) -> None:
    loops(program, history)

    response = coordinator.get("/p/north/health/figures.csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="health-north.csv"' in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["figure", "group", "value", "count", "total"]
    assert ["Loops with at least one kudos (%)", "All loops", "50", "1", "2"] in rows
    assert ["Momentum Bronze held (%)", "All loops", "100", "4", "4"] in rows
    assert text.endswith("\r\n")


def test_participants_of_the_program_find_no_health_page(
    program: Program, history: History
) -> None:
    loops(program, history)
    user = User.objects.create_user("mentee0", password="pw")
    Participant.objects.filter(external_id="mentee0").update(user=user)

    client = client_for(user)

    assert client.get("/p/north/health/").status_code == 404
    assert client.get("/p/north/health/figures.csv").status_code == 404


def test_staff_of_another_program_find_no_health_page(
    program: Program, other_program: Program
) -> None:
    user = User.objects.create_user("south", password="pw")
    StaffRole.objects.create(program=other_program, user=user, role="admin")

    client = client_for(user)

    assert client.get("/p/north/health/").status_code == 404
    assert client.get("/p/south/health/").status_code == 200


def test_anonymous_visitors_are_asked_to_sign_in(program: Program) -> None:
    response = Client().get("/p/north/health/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
