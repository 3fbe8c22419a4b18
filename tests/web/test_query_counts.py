from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mentorbadges.programs.models import Loop, Participant, Program
from tests.conftest import import_events
from tests.history import History
from tests.scene import mentoring_scene
from tests.web.conftest import link, signed_in

MAX_QUERIES = 20


def staff_urls() -> list[str]:
    ana = Participant.objects.get(external_id="ana").pk
    return [
        "/",
        "/p/north/kudos/",
        "/p/north/kudos/all/",
        "/p/north/kudos/all/?sort=recipient&page=2&per_page=5",
        "/p/north/people/",
        f"/p/north/people/{ana}/",
        "/p/north/rejections/",
    ]


def participant_urls() -> list[str]:
    ana = Participant.objects.get(external_id="ana")
    ben = Participant.objects.get(external_id="ben")
    loop = Loop.objects.get(external_id="l1")
    return [
        "/",
        f"/p/north/people/{ben.pk}/",
        f"/p/north/people/{ana.pk}/",
        f"/p/north/kudos/give/{loop.pk}/{ana.pk}/",
    ]


def counts(user: User, urls: list[str]) -> dict[str, int]:
    client = signed_in(user)
    client.get("/")  # The session's first load is not the page's cost.
    found = {}
    for url in urls:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200, url
        found[url] = len(captured)
    return found


@pytest.mark.parametrize(
    ("who", "urls"), [("staff", staff_urls), ("participant", participant_urls)]
)
def test_pages_issue_as_many_queries_for_many_loops_as_for_two(
    who: str,
    urls: Callable[[], list[str]],
    program: Program,
    coordinator: User,
    django_assert_max_num_queries: Any,
) -> None:
    more = mentoring_scene(program, History(), loops=1)
    more.kudos("nowhere", "ben", "ana", day=22)
    import_events(program, more.events)
    user = coordinator if who == "staff" else link("ben", "ben")
    small = counts(user, urls())

    for n in range(2, 40):
        more.person(f"mentor{n}", f"Mentor {n:04d}")
        more.person(f"mentee{n}", f"Mentee {n:04d}")
        more.pair(f"l{n}", f"mentor{n}", f"mentee{n}")
        more.pair(f"ben-{n}", f"mentor{n}", "ben")
        for day in range(12):
            more.meeting(f"l{n}", f"l{n}-m{day}", day=3 + day)
            more.meeting(f"ben-{n}", f"ben-{n}-m{day}", day=3 + day)
        more.kudos(f"l{n}", f"mentee{n}", f"mentor{n}", day=20, feedback="Thanks!" * 9)
        more.kudos(f"ben-{n}", f"mentor{n}", "ben", day=21, category="expertise")
    more.kudos("nowhere", "ben", "ana", day=23)
    rejected = import_events(program, more.events)
    assert {r.reason for r in rejected} == {"unknown_loop"}
    large = counts(user, urls())

    assert large == small
    client = signed_in(user)
    for url in urls():
        with django_assert_max_num_queries(MAX_QUERIES):
            client.get(url)
