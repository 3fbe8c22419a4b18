from mentorbadges.programs.models import Program
from tests.api.conftest import Api
from tests.conftest import import_events
from tests.history import History


def _program_with_kudos(program: Program, history: History) -> None:
    history.person("ana", "Ana")
    history.person("ben", "Ben")
    history.pair("l1", "ana", "ben")
    history.pair("l2", "ben", "ana")
    history.meeting("l1", "m1", 2)
    history.kudos(
        "l1", "ben", "ana", 3, "trust", "A long and thoughtful thank-you note."
    )
    history.kudos("l1", "ana", "ben", 4, "trust")
    history.kudos("l1", "ben", "ana", 5, "expertise")
    import_events(program, history.events)


def test_the_summary_has_the_kudos_page_figures(
    api: Api, program: Program, history: History
) -> None:
    _program_with_kudos(program, history)

    response = api.get("/programs/north/kudos/summary")

    assert response.status_code == 200
    data = response.json()
    assert data["total"] == 3
    assert [(c["category"], c["count"]) for c in data["categories"]] == [
        ("trust", 2),
        ("networking", 0),
        ("expertise", 1),
        ("commitment", 0),
        ("creativity", 0),
    ]
    assert data["top_recipients"][0] == {"id": "ana", "name": "Ana", "count": 2}
    assert data["coverage"] == {
        "loops": 2,
        "with_kudos": 1,
        "share": 0.5,
        "target": 1.0,
    }
    assert data["months"] == [{"month": "2026-01-01", "count": 3}]
    assert data["quotes"][0]["feedback"] == "A long and thoughtful thank-you note."


def test_the_summary_of_an_empty_program_is_all_zero(api: Api) -> None:
    data = api.get("/programs/north/kudos/summary").json()

    assert data["total"] == 0
    assert data["coverage"]["loops"] == 0
    assert data["top_givers"] == []


def test_health_has_the_programs_figures_against_its_aims(
    api: Api, program: Program, history: History
) -> None:
    _program_with_kudos(program, history)

    response = api.get("/programs/north/health")

    assert response.status_code == 200
    data = response.json()
    assert data["loops"] == 2
    assert data["kudos_coverage"]["count"] == 1
    assert data["kudos_coverage"]["total"] == 2
    assert len(data["loop_ages"]) == len(data["seats_by_loop_age"])
    labels = [item["label"] for item in data["achievements"]]
    assert labels[0] == "Momentum Bronze"
    assert "Champion" in labels


def test_reads_of_another_program_are_not_found(other_api: Api) -> None:
    for path in ("kudos/summary", "health", "badges", "participants/ana/badges"):
        response = other_api.get(f"/programs/north/{path}")
        assert response.status_code == 404, path
