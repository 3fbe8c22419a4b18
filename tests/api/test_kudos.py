from typing import Any

import pytest
from django.test import override_settings

from mentorbadges.programs.models import Program
from tests.api.conftest import Api
from tests.conftest import post_events
from tests.history import History

URL = "/programs/north/kudos"


@pytest.fixture
def loop(program: Program, history: History) -> None:
    history.person("ana")
    history.person("ben")
    history.pair("l1", "ana", "ben")
    history.meeting("l1", "m1", 2)
    post_events(program, history.events)


def _kudos(**changes: Any) -> dict[str, Any]:
    return {
        "id": "k1",
        "loop": "l1",
        "giver": "ben",
        "recipient": "ana",
        "category": "trust",
        "feedback": "Thank you.",
        **changes,
    }


def test_a_kudos_given_for_a_participant_is_awarded(api: Api, loop: None) -> None:
    response = api.post(URL, _kudos())

    assert response.status_code == 200
    result = response.json()
    assert result["status"] == "applied"
    [award] = result["awards"]
    assert award["badge"] == "trust"
    assert award["recipient"]["id"] == "ana"
    assert award["giver"]["id"] == "ben"
    assert award["feedback"] == "Thank you."


def test_the_same_kudos_sent_twice_is_awarded_once(api: Api, loop: None) -> None:
    api.post(URL, _kudos())

    again = api.post(URL, _kudos()).json()

    assert again["status"] == "duplicate"
    assert again["awards"] == []
    csv = api.get("/programs/north/badges.csv").getvalue().decode("utf-8-sig")
    assert csv.count("Trust") == 1


def test_a_kudos_breaking_a_rule_is_rejected_with_its_reason(
    api: Api, loop: None
) -> None:
    result = api.post(URL, _kudos(recipient="ben")).json()

    assert result["status"] == "rejected"
    assert result["reason"] == "self_kudos"
    assert result["awards"] == []


def test_a_kudos_before_the_first_meeting_is_refused_like_on_the_web_page(
    api: Api, loop: None
) -> None:
    result = api.post(URL, _kudos(occurred_at="2026-01-06T12:00:00Z")).json()

    assert result["reason"] == "no_meeting_yet"


def test_an_unknown_category_is_rejected(api: Api, loop: None) -> None:
    result = api.post(URL, _kudos(category="charm")).json()

    assert result["reason"] == "unknown_category"


def test_a_kudos_request_missing_a_field_is_refused(api: Api, loop: None) -> None:
    body = _kudos()
    del body["giver"]

    response = api.post(URL, body)

    assert response.status_code == 422
    assert response.json()["detail"] == "The field 'giver' is required."


def test_an_id_with_control_characters_is_refused(api: Api, loop: None) -> None:
    response = api.post(URL, _kudos(giver="be\x00n"))

    assert response.status_code == 422
    assert response.json()["detail"].startswith("The field 'giver' is not valid")


@override_settings(KUDOS_REPEAT_CAP=1)
def test_a_giver_past_the_repeat_cap_is_told_to_wait(api: Api, loop: None) -> None:
    api.post(URL, _kudos())

    response = api.post(URL, _kudos(id="k2"))

    assert response.status_code == 429
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "repeat_cap"
    assert api.post(URL, _kudos()).json()["status"] == "duplicate"
