from typing import Any

import pytest
from django.test import override_settings

from mentorbadges.programs.models import Program
from tests.api.conftest import Api
from tests.history import History

URL = "/programs/north/events"


def _post(api: Api, events: list[Any]) -> list[dict[str, Any]]:
    response = api.post(URL, {"events": events})
    assert response.status_code == 200, response.content
    results: list[dict[str, Any]] = response.json()["results"]
    return results


def test_each_event_gets_a_result_in_the_order_given(
    api: Api, history: History
) -> None:
    history.person("ana")
    history.person("ben")
    history.pair("l1", "ana", "ben")

    results = _post(api, history.events)

    assert [r["id"] for r in results] == [e["id"] for e in history.events]
    assert {r["status"] for r in results} == {"applied"}


def test_an_event_sent_again_is_a_duplicate(api: Api, history: History) -> None:
    history.person("ana")
    _post(api, history.events)

    [result] = _post(api, history.events)

    assert result["status"] == "duplicate"
    assert result["awards"] == []


def test_a_bad_event_is_rejected_alone_with_its_reason(
    api: Api, history: History
) -> None:
    ana = history.person("ana")
    stray = history.meeting("nowhere", "m1", 2)
    ben = history.person("ben", day=3)

    results = _post(api, [ana, stray, ben, {"id": "x"}])

    assert [r["status"] for r in results] == [
        "applied",
        "rejected",
        "applied",
        "rejected",
    ]
    assert results[1]["reason"] == "unknown_loop"
    assert "nowhere" in results[1]["detail"]
    assert results[3]["reason"] == "missing_field"
    assert results[0]["reason"] is None


def test_the_fifth_meeting_answers_with_the_momentum_bronze_it_produced(
    api: Api, history: History
) -> None:
    history.person("ana", "Ana Lima")
    history.person("ben")
    history.pair("l1", "ana", "ben")
    for day in range(2, 7):
        history.meeting("l1", f"m{day}", day)

    results = _post(api, history.events)

    awards = results[-1]["awards"]
    assert {(a["recipient"]["id"], a["badge"], a["level"]) for a in awards} == {
        ("ana", "momentum", "Bronze"),
        ("ben", "momentum", "Bronze"),
    }
    ana = next(a for a in awards if a["recipient"]["id"] == "ana")
    assert ana["recipient"]["name"] == "Ana Lima"
    assert ana["kind"] == "achievement"
    assert ana["loop"] == "l1"
    assert ana["awarded_at"] == "2026-01-11T09:00:00Z"
    assert all(r["awards"] == [] for r in results[:-1])


def test_a_retraction_answers_with_the_awards_it_took_back(
    api: Api, history: History
) -> None:
    history.person("ana")
    history.person("ben")
    history.pair("l1", "ana", "ben")
    for day in range(2, 7):
        history.meeting("l1", f"m{day}", day)
    _post(api, history.events)
    retraction = {
        "id": "r1",
        "type": "meeting.retracted",
        "occurred_at": "2026-01-20T09:00:00Z",
        "loop": "l1",
        "meeting": "m3",
    }

    [result] = _post(api, [retraction])

    assert {(a["recipient"]["id"], a["badge"]) for a in result["revoked"]} == {
        ("ana", "momentum"),
        ("ben", "momentum"),
    }


def test_a_high_survey_score_offers_a_kudos_prompt(api: Api, history: History) -> None:
    history.person("ana")
    history.person("ben")
    history.pair("l1", "ana", "ben")
    history.meeting("l1", "m1", 2)
    history.survey("l1", "ben", 5, 3, kind="post_meeting")
    history.survey("l1", "ben", 3, 4, kind="post_meeting")

    results = _post(api, history.events)

    assert results[-2]["kudos_prompt"] == {
        "loop": "l1",
        "giver": "ben",
        "recipients": ["ana"],
    }
    assert results[-1]["kudos_prompt"] is None


def test_a_kudos_event_answers_with_the_kudos_awarded(
    api: Api, history: History
) -> None:
    history.person("ana")
    history.person("ben")
    history.pair("l1", "ana", "ben")
    history.meeting("l1", "m1", 2)
    history.kudos("l1", "ben", "ana", 3, "expertise", "  Clear advice.  ")

    [award] = _post(api, history.events)[-1]["awards"]

    assert award["kind"] == "kudos"
    assert award["badge"] == "expertise"
    assert award["level"] is None
    assert award["giver"] == {"id": "ben", "name": "Ben"}
    assert award["feedback"] == "Clear advice."


def test_a_body_without_events_is_refused_whole(api: Api, program: Program) -> None:
    response = api.post(URL, {"events": []})

    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["code"] == "invalid_request"
    assert problem["type"] == "/api/problems/invalid_request"
    assert problem["status"] == 422
    assert problem["detail"] == "The field 'events' must hold from 1 to 1,000 events."


def test_more_than_a_thousand_events_are_refused_whole(
    api: Api, history: History
) -> None:
    events = [history.person(f"p{n}") for n in range(1001)]

    response = api.post(URL, {"events": events})

    assert response.status_code == 422
    assert response.json()["code"] == "invalid_request"


def test_a_body_that_is_not_json_is_refused_whole(api: Api) -> None:
    response = api.post(URL, "{not json")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_json"
    assert "not valid JSON" in response.json()["detail"]


def test_events_that_are_not_objects_are_refused_whole(api: Api) -> None:
    response = api.post(URL, {"events": [1, "two"]})

    assert response.status_code == 422
    assert response.json()["detail"].startswith("The field 'events.0' is not valid")


def test_a_body_without_the_events_field_is_refused_whole(api: Api) -> None:
    response = api.post(URL, {"items": []})

    assert response.status_code == 422
    assert response.json()["detail"] == "The field 'events' is required."


@pytest.mark.parametrize("body", [b"", b"  \n"])
def test_an_empty_body_is_named_as_such(api: Api, body: bytes) -> None:
    response = api.client.post(
        f"/api/v1{URL}", body, content_type="application/json", headers=api.headers
    )

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_json"
    assert response.json()["detail"] == "The request body is empty; send a JSON object."


def test_ids_with_a_nul_character_are_rejected_alone(
    api: Api, history: History
) -> None:
    ana = history.person("ana")
    odd = history.meeting("l\x00", "m\x00", 2, attendees=["a\x00"])
    odd["id"] = "bad\x00id"

    results = _post(api, [ana, odd])

    assert [r["status"] for r in results] == ["applied", "rejected"]
    assert results[1]["reason"] == "invalid_field"


def test_a_member_list_of_the_wrong_shape_is_rejected_alone(
    api: Api, history: History
) -> None:
    started = history.pair("l1", "ana", "ben")
    started["members"] = 5

    [result] = _post(api, [started])

    assert result["status"] == "rejected"
    assert result["reason"] == "invalid_field"


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1_572_864)
def test_a_body_larger_than_the_server_takes_is_refused(
    api: Api, history: History
) -> None:
    events = [dict(history.person("p1"), padding="x" * 2_000_000)]

    response = api.post(URL, {"events": events})

    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
    assert "(1.5 MB); send fewer events a request." in response.json()["detail"]
