from django.test import override_settings

from mentorbadges.api.models import ApiToken
from mentorbadges.programs.models import Program
from tests.api.conftest import Api
from tests.conftest import post_events
from tests.history import History

EVENT = {
    "id": "e1",
    "type": "participant.upserted",
    "occurred_at": "2026-01-05T09:00:00Z",
    "participant": {"id": "ana", "name": "Ana"},
}


def _assert_problem(response: object, status: int, code: str) -> None:
    assert response.status_code == status  # type: ignore[attr-defined]
    assert response["Content-Type"] == "application/problem+json"  # type: ignore[index]
    body = response.json()  # type: ignore[attr-defined]
    assert body["status"] == status
    assert body["code"] == code
    assert body["type"] == f"/api/problems/{code}"
    assert body["detail"].endswith(".")


def test_a_request_without_a_token_is_unauthorized(program: Program) -> None:
    response = Api(None).get("/programs/north/badges.csv")

    _assert_problem(response, 401, "unauthorized")
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_wrong_token_is_unauthorized(program: Program, token: str) -> None:
    response = Api(token[:-2] + "zz").post(
        "/programs/north/events", {"events": [EVENT]}
    )

    _assert_problem(response, 401, "unauthorized")


def test_a_revoked_token_is_unauthorized(program: Program, token: str) -> None:
    ApiToken.objects.get(program=program).revoke()

    response = Api(token).get("/programs/north/badges.csv")

    _assert_problem(response, 401, "unauthorized")


def test_a_token_of_another_program_sees_not_found_and_changes_nothing(
    program: Program, other_api: Api, history: History
) -> None:
    history.person("ana")
    post_events(program, history.events)

    posted = other_api.post("/programs/north/events", {"events": [EVENT]})
    read = other_api.get("/programs/north/badges.csv")
    kudos = other_api.post(
        "/programs/north/kudos",
        {"id": "k", "loop": "l", "giver": "a", "recipient": "b", "category": "trust"},
    )

    _assert_problem(posted, 404, "not_found")
    _assert_problem(read, 404, "not_found")
    _assert_problem(kudos, 404, "not_found")
    assert "Ana" not in read.content.decode()
    assert program.event_set.count() == 1


def test_an_unknown_program_looks_the_same_as_another_programs(api: Api) -> None:
    response = api.get("/programs/nowhere/badges.csv")

    _assert_problem(response, 404, "not_found")
    assert response.json()["detail"] == (
        "No program 'nowhere' is reachable with this token."
    )


def test_a_token_records_when_it_was_last_used(api: Api, program: Program) -> None:
    api.get("/programs/north/badges.csv")

    assert ApiToken.objects.get(program=program).last_used_at is not None


@override_settings(API_RATE_LIMIT=3)
def test_a_token_over_its_rate_limit_is_told_when_to_retry(
    api: Api, other_api: Api
) -> None:
    answers = [api.get("/programs/north/badges.csv") for _ in range(4)]

    assert [a.status_code for a in answers[:3]] == [200, 200, 200]
    _assert_problem(answers[3], 429, "rate_limited")
    assert 1 <= int(answers[3]["Retry-After"]) <= 60
    assert other_api.get("/programs/south/badges.csv").status_code == 200


def test_an_address_outside_the_api_answers_with_a_problem(api: Api) -> None:
    response = api.get("/programs//events")

    _assert_problem(response, 404, "not_found")


def test_a_method_an_address_does_not_take_answers_with_a_problem(api: Api) -> None:
    response = api.get("/programs/north/events")

    _assert_problem(response, 405, "method_not_allowed")
    assert response["Allow"] == "POST"
