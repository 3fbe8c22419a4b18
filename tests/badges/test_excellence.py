"""Excellence: top MQS ratings of a loop from its other members."""

from mentorbadges.badges.models import Award
from mentorbadges.programs.models import Program
from tests.conftest import import_events, post_events
from tests.history import History, at


def excellence(program: Program) -> set[tuple[str, int, str]]:
    awards = Award.objects.filter(program=program, badge="excellence", revoked_at=None)
    return {
        (
            a.recipient.external_id,
            a.level,
            a.awarded_at.isoformat().replace("+00:00", "Z"),
        )
        for a in awards
    }


def trio(history: History) -> None:
    for person in ("ana", "ben", "cy"):
        history.person(person)
    history.group("g", "ana", "ben", "cy")


def test_each_level_comes_at_the_third_sixth_and_ninth_top_rating(
    program: Program, history: History
) -> None:
    trio(history)
    for n in range(1, 10):
        history.survey("g", "ben" if n % 2 else "cy", 5, day=n, response=f"r{n}")

    import_events(program, history.events)

    assert {(p, lvl) for p, lvl, _ in excellence(program) if p == "ana"} == {
        ("ana", 1),
        ("ana", 2),
        ("ana", 3),
    }
    assert ("ana", 3, at(9)) in excellence(program)


def test_ratings_below_five_do_not_count(program: Program, history: History) -> None:
    trio(history)
    for n, score in enumerate((5, 4, 5, 3, 1), start=1):
        history.survey("g", "ben", score, day=n, response=f"r{n}")

    import_events(program, history.events)

    assert excellence(program) == set()


def test_a_five_changed_to_a_four_no_longer_counts(
    program: Program, history: History
) -> None:
    trio(history)
    for n in range(1, 4):
        history.survey("g", "ben", 5, day=n, response=f"r{n}")
    import_events(program, history.events)
    assert ("ana", 1, at(3)) in excellence(program)

    fix = History("fix")
    fix.survey("g", "ben", 4, day=5, response="r2")
    post_events(program, fix.events)

    assert excellence(program) == set()
    revoked = Award.objects.get(badge="excellence", recipient__external_id="ana")
    assert revoked.revoked_at is not None
    assert "no longer earned" in revoked.revoked_reason


def test_a_four_raised_to_five_counts_from_the_change(
    program: Program, history: History
) -> None:
    trio(history)
    history.survey("g", "ben", 5, day=1, response="r1")
    history.survey("g", "ben", 4, day=2, response="r2")
    history.survey("g", "ben", 5, day=3, response="r3")
    history.survey("g", "ben", 5, day=6, response="r2")

    import_events(program, history.events)

    assert ("ana", 1, at(6)) in excellence(program)


def test_a_retracted_response_stops_counting(
    program: Program, history: History
) -> None:
    trio(history)
    for n in range(1, 4):
        history.survey("g", "ben", 5, day=n, response=f"r{n}")
    history.add("survey.retracted", at(4), response="r1")

    import_events(program, history.events)

    assert excellence(program) == set()


def test_ratings_given_before_someone_joined_do_not_count_for_them(
    program: Program, history: History
) -> None:
    trio(history)
    history.person("dee")
    for n in range(1, 4):
        history.survey("g", "ben", 5, day=n, response=f"r{n}")
    history.add(
        "loop.members_changed",
        at(3.5),
        loop="g",
        members=[{"participant": p, "role": "member"} for p in ("ana", "ben", "dee")],
    )

    import_events(program, history.events)

    holders = {p for p, _, _ in excellence(program)}
    assert holders == {"ana", "cy"}
