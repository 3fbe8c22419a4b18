"""Momentum: the 5th, 10th and 15th attended meeting of a loop."""

from mentorbadges.badges.models import Award
from mentorbadges.programs.models import Program
from tests.conftest import import_events
from tests.history import History, at


def momentum(program: Program) -> dict[str, list[tuple[int, str]]]:
    held: dict[str, list[tuple[int, str]]] = {}
    awards = Award.objects.filter(program=program, badge="momentum", revoked_at=None)
    for award in awards.order_by("level"):
        held.setdefault(award.recipient.external_id, []).append(
            (award.level, award.awarded_at.isoformat().replace("+00:00", "Z"))
        )
    return held


def test_a_meeting_reported_twice_counts_once(
    program: Program, history: History
) -> None:
    history.person("ana")
    history.person("ben")
    history.pair("l", "ana", "ben")
    for n in range(1, 5):
        history.meeting("l", f"m-{n}", day=n)
    history.meeting("l", "m-4", day=4)

    import_events(program, history.events)

    assert momentum(program) == {}


def test_listed_attendees_are_the_only_ones_who_attended(
    program: Program, history: History
) -> None:
    for person in ("ana", "ben", "cy"):
        history.person(person)
    history.group("g", "ana", "ben", "cy")
    for n in range(1, 6):
        history.meeting("g", f"m-{n}", day=n, attendees=["ana", "ben"])
    history.meeting("g", "m-6", day=6)

    import_events(program, history.events)

    assert momentum(program) == {"ana": [(1, at(5))], "ben": [(1, at(5))]}


def test_a_meeting_without_attendees_counts_for_the_members_at_its_time(
    program: Program, history: History
) -> None:
    for person in ("ana", "ben", "cy"):
        history.person(person)
    history.group("g", "ana", "ben")
    for n in range(1, 5):
        history.meeting("g", f"m-{n}", day=n)
    history.add(
        "loop.members_changed",
        at(4.5),
        loop="g",
        members=[
            {"participant": "ana", "role": "member"},
            {"participant": "cy", "role": "member"},
        ],
    )
    history.meeting("g", "m-5", day=5)

    import_events(program, history.events)

    assert momentum(program) == {"ana": [(1, at(5))]}


def test_meetings_count_in_meeting_time_order_not_arrival_order(
    program: Program, history: History
) -> None:
    history.person("ana")
    history.person("ben")
    history.pair("l", "ana", "ben")
    for n in (9, 3, 7, 5, 1, 8):
        history.meeting("l", f"m-{n}", day=n)

    import_events(program, history.events)

    assert momentum(program)["ana"] == [(1, at(8))]


def test_a_retracted_meeting_completed_again_counts_again(
    program: Program, history: History
) -> None:
    history.person("ana")
    history.person("ben")
    history.pair("l", "ana", "ben")
    for n in range(1, 6):
        history.meeting("l", f"m-{n}", day=n)
    history.add("meeting.retracted", at(6), loop="l", meeting="m-2")
    history.add("meeting.completed", at(7), loop="l", meeting="m-2")

    import_events(program, history.events)

    assert momentum(program)["ana"] == [(1, at(7))]
