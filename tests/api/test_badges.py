from typing import Any

import pytest

from mentorbadges.programs.models import Program
from tests.api.conftest import Api
from tests.conftest import import_events
from tests.history import History

URL = "/programs/north/badges"


@pytest.fixture
def awards(program: Program, history: History) -> None:
    history.person("ana", "Ana")
    history.person("ben", "Ben")
    history.person("cleo", "Cléo")
    history.group("g1", "ana", "ben", "cleo")
    for day in range(2, 8):
        history.meeting("g1", f"m{day}", day)
    history.kudos("g1", "ben", "ana", 9, "trust", "Thanks")
    history.kudos("g1", "ana", "cleo", 10, "expertise")
    history.kudos("g1", "cleo", "ben", 11, "trust")
    import_events(program, history.events)


def _all(api: Api, **params: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        response = api.get(URL, **query)
        assert response.status_code == 200, response.content
        page = response.json()
        items.extend(page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            return items


def test_all_badges_newest_first_by_default(api: Api, awards: None) -> None:
    page = api.get(URL).json()

    assert page["total"] == 6
    assert page["next_cursor"] is None
    times = [item["awarded_at"] for item in page["items"]]
    assert times == sorted(times, reverse=True)
    assert page["items"][0]["badge"] == "trust"


def test_pages_follow_each_other_without_gaps_or_repeats(
    api: Api, awards: None
) -> None:
    everything = api.get(URL, limit=100).json()["items"]

    paged = _all(api, limit=2)

    assert [item["id"] for item in paged] == [item["id"] for item in everything]


@pytest.mark.parametrize(
    "sort", ["recipient", "giver", "badge", "level", "loop", "type"]
)
@pytest.mark.parametrize("order", ["asc", "desc"])
def test_every_sort_pages_through_every_award_once(
    api: Api, awards: None, sort: str, order: str
) -> None:
    whole = api.get(URL, sort=sort, order=order, limit=100).json()["items"]

    paged = _all(api, sort=sort, order=order, limit=1)

    assert [item["id"] for item in paged] == [item["id"] for item in whole]
    assert len(paged) == 6


def test_sorting_by_recipient_ignores_accents_and_case(api: Api, awards: None) -> None:
    items = api.get(URL, sort="recipient", limit=100).json()["items"]

    names = [item["recipient"]["name"] for item in items]
    assert names == ["Ana", "Ana", "Ben", "Ben", "Cléo", "Cléo"]


def test_a_new_award_does_not_shift_the_next_page(
    api: Api, awards: None, program: Program, history: History
) -> None:
    first = api.get(URL, limit=3).json()
    history.kudos("g1", "ben", "cleo", 20, "networking")
    import_events(program, history.events)

    second = api.get(URL, limit=3, cursor=first["next_cursor"]).json()

    seen = {item["id"] for item in first["items"]}
    assert not seen & {item["id"] for item in second["items"]}
    assert len(second["items"]) == 3


def test_filters_narrow_the_list(api: Api, awards: None) -> None:
    kudos = api.get(URL, type="kudos").json()
    trust = api.get(URL, badge="trust").json()
    for_ana = api.get(URL, recipient="ana").json()
    in_january = api.get(URL, since="2026-01-14", until="2026-01-15").json()

    assert kudos["total"] == 3
    assert {item["kind"] for item in kudos["items"]} == {"kudos"}
    assert trust["total"] == 2
    assert {item["recipient"]["id"] for item in for_ana["items"]} == {"ana"}
    assert [item["badge"] for item in in_january["items"]] == ["expertise", "trust"]


def test_an_unknown_filter_value_is_refused(api: Api) -> None:
    response = api.get(URL, badge="charm")

    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"].startswith("The field 'badge' is not valid")


def test_a_cursor_from_another_sort_is_refused(api: Api, awards: None) -> None:
    cursor = api.get(URL, limit=1).json()["next_cursor"]

    response = api.get(URL, sort="recipient", cursor=cursor)

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_cursor"


def test_a_garbled_cursor_is_refused(api: Api) -> None:
    response = api.get(URL, cursor="not-a-cursor")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_cursor"
