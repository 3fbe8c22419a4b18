from typing import Any

from mentorbadges.programs.models import Program
from tests.api.conftest import Api
from tests.conftest import import_events
from tests.history import History


def _badges(api: Api, who: str) -> Any:
    return api.get(f"/programs/north/participants/{who}/badges")


def test_a_participant_shows_kudos_per_category_levels_and_progress(
    api: Api, program: Program, history: History
) -> None:
    history.person("ana", "Ana Lima")
    history.person("ben")
    history.pair("l1", "ana", "ben")
    for day in range(2, 9):
        history.meeting("l1", f"m{day}", day)
    history.kudos("l1", "ben", "ana", 10, "trust")
    history.kudos("l1", "ben", "ana", 11, "trust")
    history.kudos("l1", "ben", "ana", 12, "creativity")
    history.course("ana", True, 13)
    import_events(program, history.events)

    response = _badges(api, "ana")

    assert response.status_code == 200
    data = response.json()
    assert (data["id"], data["name"], data["active"]) == ("ana", "Ana Lima", True)
    counts = {k["category"]: k["count"] for k in data["kudos"]}
    assert counts == {
        "trust": 2,
        "networking": 0,
        "expertise": 0,
        "commitment": 0,
        "creativity": 1,
    }
    assert data["kudos_total"] == 3
    assert data["certified_at"] is not None
    [loop] = data["loops"]
    assert (loop["loop"], loop["role"], loop["kudos_received"]) == ("l1", "mentor", 3)
    momentum = loop["momentum"]
    assert momentum["level"] == "Bronze"
    assert momentum["count"] == 7
    assert (momentum["next_level"], momentum["next_threshold"]) == ("Silver", 10)
    assert momentum["remaining"] == 3
    assert loop["excellence"]["level"] is None
    assert loop["excellence"]["next_level"] == "Bronze"


def test_an_unknown_participant_is_not_found(api: Api) -> None:
    response = _badges(api, "nobody")

    assert response.status_code == 404
    assert (
        response.json()["detail"] == "No participant 'nobody' is known in this program."
    )


def test_a_participant_of_another_program_is_not_found(
    api: Api, other_program: Program, history: History
) -> None:
    history.person("zoe")
    import_events(other_program, history.events)

    assert _badges(api, "zoe").status_code == 404
