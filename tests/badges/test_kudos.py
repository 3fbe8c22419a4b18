"""Kudos: when one is accepted, and the reason when it is not."""

import pytest

from mentorbadges.activity.models import Rejection
from mentorbadges.badges.models import Award
from mentorbadges.programs.models import Program
from tests.conftest import post_events
from tests.history import History, at


@pytest.fixture
def loop_with_meeting(history: History) -> History:
    for person in ("ana", "ben", "cy"):
        history.person(person)
    history.pair("l", "ana", "ben")
    history.pair("other", "cy", "ben")
    history.meeting("l", "m-1", day=2)
    return history


def give(program: Program, history: History, **fields: object) -> tuple[str, str]:
    event = history.add("kudos.given", at(3), **fields)
    outcome = post_events(program, history.events)[-1]
    assert outcome.event_id == event["id"]
    return outcome.status, outcome.reason


def kudos(**overrides: object) -> dict[str, object]:
    fields: dict[str, object] = {
        "loop": "l",
        "giver": "ben",
        "recipient": "ana",
        "category": "trust",
    }
    fields.update(overrides)
    return fields


def test_an_accepted_kudos_keeps_its_trimmed_feedback(
    program: Program, loop_with_meeting: History
) -> None:
    status = give(program, loop_with_meeting, **kudos(feedback="  Thank you!  \n"))

    assert status == ("applied", "")
    award = Award.objects.get(program=program, badge="trust")
    assert (award.giver.external_id, award.feedback) == ("ben", "Thank you!")


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"recipient": "ben"}, "self_kudos"),
        ({"recipient": "cy"}, "not_a_member"),
        ({"giver": "cy"}, "not_a_member"),
        ({"loop": "nowhere"}, "unknown_loop"),
        ({"recipient": "zed"}, "unknown_participant"),
        ({"category": "kindness"}, "unknown_category"),
        ({"feedback": "x" * 1001}, "feedback_too_long"),
        ({"loop": "other", "giver": "cy", "recipient": "ben"}, "no_meeting_yet"),
    ],
)
def test_a_kudos_breaking_a_rule_is_refused_with_its_reason(
    program: Program,
    loop_with_meeting: History,
    overrides: dict[str, object],
    reason: str,
) -> None:
    assert give(program, loop_with_meeting, **kudos(**overrides)) == (
        "rejected",
        reason,
    )
    assert not Award.objects.filter(program=program, badge="trust").exists()
    assert Rejection.objects.get(program=program).reason == reason


def test_feedback_of_exactly_the_limit_after_trimming_is_accepted(
    program: Program, loop_with_meeting: History
) -> None:
    note = "  " + "é" * 1000 + "  "
    assert give(program, loop_with_meeting, **kudos(feedback=note)) == ("applied", "")


def test_no_kudos_in_a_closed_loop(
    program: Program, loop_with_meeting: History
) -> None:
    loop_with_meeting.add("loop.closed", at(2.5), loop="l")
    assert give(program, loop_with_meeting, **kudos()) == ("rejected", "loop_closed")


def test_kudos_again_once_the_loop_is_reopened(
    program: Program, loop_with_meeting: History
) -> None:
    loop_with_meeting.add("loop.closed", at(2.5), loop="l")
    loop_with_meeting.add("loop.reopened", at(2.7), loop="l")
    assert give(program, loop_with_meeting, **kudos()) == ("applied", "")


def test_a_removed_participant_can_neither_give_nor_receive(
    program: Program, loop_with_meeting: History
) -> None:
    loop_with_meeting.add("participant.removed", at(2.5), participant="ana")
    assert give(program, loop_with_meeting, **kudos()) == (
        "rejected",
        "participant_inactive",
    )


def test_closing_a_loop_or_removing_someone_keeps_their_badges(
    program: Program, loop_with_meeting: History
) -> None:
    give(program, loop_with_meeting, **kudos())
    more = History("more")
    more.add("loop.closed", at(4), loop="l")
    more.add("participant.removed", at(5), participant="ana")
    post_events(program, more.events)

    assert Award.objects.filter(program=program, revoked_at=None).count() == 1


def test_kudos_can_be_given_again_and_each_counts(
    program: Program, loop_with_meeting: History
) -> None:
    give(program, loop_with_meeting, **kudos())
    give(program, loop_with_meeting, **kudos())

    assert Award.objects.filter(program=program, badge="trust").count() == 2


def test_a_top_survey_score_offers_kudos_to_the_other_members(
    program: Program, loop_with_meeting: History
) -> None:
    loop_with_meeting.survey("l", "ben", 4, day=3)
    prompt = post_events(program, loop_with_meeting.events)[-1].kudos_prompt

    assert prompt is not None
    assert (prompt.loop, prompt.giver, prompt.recipients) == ("l", "ben", ["ana"])
    assert not Award.objects.filter(program=program, badge__in=["trust"]).exists()


@pytest.mark.parametrize("score", [1, 2, 3])
def test_a_lower_survey_score_offers_nothing(
    program: Program, loop_with_meeting: History, score: int
) -> None:
    loop_with_meeting.survey("l", "ben", score, day=3)
    assert post_events(program, loop_with_meeting.events)[-1].kudos_prompt is None


def test_a_top_score_before_the_first_meeting_offers_nothing(
    program: Program, loop_with_meeting: History
) -> None:
    loop_with_meeting.survey("other", "cy", 5, day=3)
    assert post_events(program, loop_with_meeting.events)[-1].kudos_prompt is None
