"""Growing Together: a meeting attended and a post-meeting survey submitted."""

from mentorbadges.badges.models import Award
from mentorbadges.programs.models import Program
from tests.conftest import import_events
from tests.history import History, at


def holders(program: Program) -> dict[str, str]:
    awards = Award.objects.filter(program=program, badge="growing_together")
    return {
        a.recipient.external_id: a.awarded_at.isoformat().replace("+00:00", "Z")
        for a in awards.filter(revoked_at=None)
    }


def pair(history: History) -> None:
    history.person("ana")
    history.person("ben")
    history.pair("l", "ana", "ben")


def test_it_is_awarded_at_the_survey_when_the_meeting_came_first(
    program: Program, history: History
) -> None:
    pair(history)
    history.meeting("l", "m-1", day=2)
    history.survey("l", "ben", 1, day=3, kind="post_meeting")

    import_events(program, history.events)

    assert holders(program) == {"ben": at(3)}


def test_an_mqs_survey_does_not_count(program: Program, history: History) -> None:
    pair(history)
    history.meeting("l", "m-1", day=2)
    history.survey("l", "ben", 5, day=3, kind="mqs")

    import_events(program, history.events)

    assert holders(program) == {}


def test_a_meeting_the_participant_missed_does_not_count(
    program: Program, history: History
) -> None:
    pair(history)
    history.meeting("l", "m-1", day=2, attendees=["ana"])
    history.survey("l", "ben", 4, day=3, kind="post_meeting")

    import_events(program, history.events)

    assert holders(program) == {}


def test_it_is_awarded_once_however_many_surveys_follow(
    program: Program, history: History
) -> None:
    pair(history)
    history.meeting("l", "m-1", day=2)
    for day in (3, 4, 5):
        history.survey("l", "ana", 5, day=day, kind="post_meeting")

    import_events(program, history.events)

    assert Award.objects.filter(badge="growing_together").count() == 1
    assert holders(program) == {"ana": at(3)}
