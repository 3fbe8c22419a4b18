"""Many writers on one loop at once end where one serial import ends."""

import itertools
import threading
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from mentorbadges.activity.services import apply_events, recompute
from mentorbadges.api.models import ApiToken
from mentorbadges.badges.catalogue import KUDOS_CODES
from mentorbadges.badges.models import Award
from mentorbadges.badges.services import KudosRequest, give_kudos
from mentorbadges.programs.models import Loop, Participant, Program
from tests.conftest import import_events, standing
from tests.history import Event, History, at

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor == "sqlite",
        reason="SQLite runs one writer at a time; the race needs PostgreSQL",
    ),
    pytest.mark.django_db(transaction=True),
]

PEOPLE = ("ana", "ben", "cleo", "dan")


def base() -> History:
    history = History("base")
    for person in PEOPLE:
        history.person(person)
    history.group("g1", *PEOPLE)
    history.meeting("g1", "m1", 2)
    return history


def workload() -> list[Event]:
    """Meetings, surveys, courses and kudos enough to reach every level."""
    history = History("work")
    for n in range(2, 17):
        history.meeting("g1", f"m{n}", 2 + n)
    for n, person in enumerate(PEOPLE * 3):
        history.survey("g1", person, 4 + n % 2, 5 + n, kind="post_meeting")
        history.survey("g1", person, 5, 6 + n)
    for person in PEOPLE:
        history.course(person, True, 8)
    pairs = list(itertools.permutations(PEOPLE, 2))
    categories = itertools.cycle(sorted(KUDOS_CODES))
    for n, (giver, recipient) in enumerate(pairs * 2):
        history.kudos("g1", giver, recipient, 3 + n / 3, next(categories), f"#{n}")
    for n, (giver, recipient) in enumerate(pairs):
        history.kudos("g1", giver, recipient, 20 + n, next(categories))
    return history.events


def together(tasks: list[Callable[[], object]]) -> None:
    """Run every task in its own thread and connection, all released at once."""
    start = threading.Barrier(len(tasks))
    errors: list[BaseException] = []

    def run(task: Callable[[], object]) -> None:
        try:
            start.wait()
            task()
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(task,)) for task in tasks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors


def kudos_call(token: str, event: Event) -> Callable[[], Any]:
    def post() -> Any:
        body = {
            "id": event["id"],
            "loop": event["loop"],
            "giver": event["giver"],
            "recipient": event["recipient"],
            "category": event["category"],
            "occurred_at": event["occurred_at"],
        }
        if "feedback" in event:
            body["feedback"] = event["feedback"]
        response = Client().post(
            "/api/v1/programs/north/kudos",
            body,
            content_type="application/json",
            headers={"Authorization": f"Bearer {token}"},
        )
        assert response.status_code == 200, response.content
        assert response.json()["status"] in ("applied", "duplicate")

    return post


def test_parallel_batches_kudos_and_recomputes_match_one_serial_import() -> None:
    north = Program.objects.create(slug="north", name="North")
    south = Program.objects.create(slug="south", name="South")
    assert not import_events(north, base().events)
    events = workload()
    token = ApiToken.issue(north, "Platform")[1]

    batches = [events[n::6] for n in range(6)]
    kudos = [e for e in events if e["type"] == "kudos.given"][::4]
    tasks: list[Callable[[], object]] = [
        *(lambda b=batch: apply_events(north, b) for batch in batches),
        # Every event a second time, in another order: retries crossing.
        *(lambda b=batch: apply_events(north, b[::-1]) for batch in batches[::2]),
        *(kudos_call(token, event) for event in kudos),
        *(lambda: recompute(north) for _ in range(3)),
    ]
    together(tasks)

    assert not import_events(south, [*base().events, *events])
    assert standing(north) == standing(south)
    assert recompute(north) == 0
    earned = {(badge, level) for _, _, badge, level, _ in standing(north)}
    assert {("momentum", 3), ("certified", 0)} <= earned, earned
    assert len(standing(north)) > 40


def test_parallel_web_kudos_never_pass_the_caps(settings: Any) -> None:
    settings.KUDOS_REPEAT_CAP = 3
    north = Program.objects.create(slug="north", name="North")
    history = base()
    history.meeting("g1", "recent", 300)
    assert not import_events(north, history.events)
    loop = Loop.objects.get(program=north)
    ben = Participant.objects.get(program=north, external_id="ben")
    ana = Participant.objects.get(program=north, external_id="ana")

    def kudos() -> None:
        request = KudosRequest(loop, ben, ana, "trust", "", uuid.uuid4().hex)
        give_kudos(north, request)

    together([kudos] * 10)

    assert Award.objects.filter(giver=ben, awarded_at__gt=at(300)).count() == 3
