"""Requests racing each other on a real database, each with its own connection."""

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from mentorbadges.api.models import ApiToken
from mentorbadges.badges.models import Award
from mentorbadges.programs.models import Program
from tests.conftest import post_events
from tests.history import History

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor == "sqlite",
        reason="SQLite runs one writer at a time; the race needs PostgreSQL",
    ),
    pytest.mark.django_db(transaction=True),
]

URL = "/api/v1/programs/north/events"


def _race(requests: list[list[dict[str, Any]]], token: str) -> list[Any]:
    """Post each body from its own thread, all released at once."""
    start = threading.Barrier(len(requests))
    answers: list[Any] = [None] * len(requests)

    def post(index: int, events: list[dict[str, Any]]) -> None:
        try:
            start.wait()
            answers[index] = Client().post(
                URL,
                {"events": events},
                content_type="application/json",
                headers={"Authorization": f"Bearer {token}"},
            )
        finally:
            connection.close()

    threads = [
        threading.Thread(target=post, args=(index, events))
        for index, events in enumerate(requests)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


@pytest.fixture
def setup(history: History) -> Callable[[], tuple[Program, str]]:
    def make() -> tuple[Program, str]:
        program = Program.objects.create(slug="north", name="North")
        history.person("ana")
        history.person("ben")
        history.group("g1", "ana", "ben")
        for day in range(2, 6):
            history.meeting("g1", f"m{day}", day)
        post_events(program, history.events)
        return program, ApiToken.issue(program, "Platform")[1]

    return make


def test_the_same_event_posted_twice_at_once_applies_once(
    setup: Callable[[], tuple[Program, str]], history: History
) -> None:
    program, token = setup()
    fifth = history.meeting("g1", "m6", 6)

    answers = _race([[fifth]] * 4, token)

    assert all(answer.status_code == 200 for answer in answers)
    statuses = sorted(answer.json()["results"][0]["status"] for answer in answers)
    assert statuses == ["applied", "duplicate", "duplicate", "duplicate"]
    assert Award.objects.filter(program=program, badge="momentum").count() == 2


def test_two_events_completing_the_fifth_meeting_give_one_bronze_each(
    setup: Callable[[], tuple[Program, str]], history: History
) -> None:
    program, token = setup()
    one = history.meeting("g1", "m6", 6)
    other = history.meeting("g1", "m7", 6.5)

    answers = _race([[one], [other]], token)

    assert [answer.status_code for answer in answers] == [200, 200]
    assert {a.json()["results"][0]["status"] for a in answers} == {"applied"}
    bronzes = Award.objects.filter(program=program, badge="momentum", level=1)
    assert sorted(bronzes.values_list("recipient__external_id", flat=True)) == [
        "ana",
        "ben",
    ]
    produced = [
        award for answer in answers for award in answer.json()["results"][0]["awards"]
    ]
    assert len(produced) == 2
