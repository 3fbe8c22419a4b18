"""Certified (program-wide) and Champion (every milestone of a loop)."""

from mentorbadges.badges.models import Award
from mentorbadges.programs.models import Program
from tests.conftest import import_events, post_events
from tests.history import History, at


def awards(program: Program, badge: str) -> dict[str, str]:
    rows = Award.objects.filter(program=program, badge=badge, revoked_at=None)
    return {
        a.recipient.external_id: a.awarded_at.isoformat().replace("+00:00", "Z")
        for a in rows
    }


def test_certified_comes_at_the_first_pass_only(
    program: Program, history: History
) -> None:
    history.person("ana")
    history.course("ana", False, day=1)
    history.course("ana", True, day=2)
    history.course("ana", True, day=3)

    import_events(program, history.events)

    assert awards(program, "certified") == {"ana": at(2)}
    assert Award.objects.get(badge="certified").loop is None


def test_a_fail_or_another_course_certifies_nobody(
    program: Program, history: History
) -> None:
    history.person("ana")
    history.course("ana", False, day=1)
    history.course("ana", True, day=2, course="advanced-listening")

    import_events(program, history.events)

    assert awards(program, "certified") == {}


def champion_history(history: History) -> None:
    for person in ("ana", "ben", "cy"):
        history.person(person)
    history.group("g", "ana", "ben", "cy")
    for n in range(1, 16):
        history.meeting("g", f"m-{n}", day=n * 7)
    for n in range(1, 10):
        history.survey("g", "ben", 5, day=n * 7 + 1, response=f"b{n}")
    history.survey("g", "ana", 4, day=8, kind="post_meeting")


def test_champion_lands_with_the_last_milestone_without_more_activity(
    program: Program, history: History
) -> None:
    champion_history(history)
    import_events(program, history.events)
    assert awards(program, "champion") == {}

    course = History("course")
    course.course("ana", True, day=200)
    post_events(program, course.events)

    assert awards(program, "champion") == {"ana": at(200)}


def test_champion_is_stamped_with_the_latest_of_the_four_milestones(
    program: Program, history: History
) -> None:
    champion_history(history)
    history.course("ana", True, day=3)

    import_events(program, history.events)

    # Momentum Gold at the 15th meeting (day 105) is the last milestone.
    assert awards(program, "champion") == {"ana": at(105)}
    assert awards(program, "certified") == {"ana": at(3)}


def test_champion_is_revoked_when_a_milestone_is_corrected_away(
    program: Program, history: History
) -> None:
    champion_history(history)
    history.course("ana", True, day=3)
    import_events(program, history.events)

    fix = History("fix")
    fix.add("meeting.retracted", at(120), loop="g", meeting="m-4")
    post_events(program, fix.events)

    assert awards(program, "champion") == {}
    assert "ana" not in {
        a.recipient.external_id
        for a in Award.objects.filter(badge="momentum", level=3, revoked_at=None)
    }
