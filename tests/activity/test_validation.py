"""Every kind of malformed event is refused with a reason that names it."""

from typing import Any

import pytest

from mentorbadges.activity.models import Event, Rejection
from mentorbadges.badges.models import Award
from mentorbadges.programs.models import Program
from tests.conftest import post_events
from tests.history import History, at

BASE: dict[str, dict[str, Any]] = {
    "participant.upserted": {"participant": {"id": "dee", "name": "Dee"}},
    "participant.removed": {"participant": "ana"},
    "loop.started": {
        "loop": "new",
        "kind": "group",
        "members": [{"participant": "ana", "role": "member"}],
    },
    "loop.members_changed": {
        "loop": "l",
        "members": [
            {"participant": "ana", "role": "mentor"},
            {"participant": "ben", "role": "mentee"},
        ],
    },
    "loop.closed": {"loop": "l"},
    "loop.reopened": {"loop": "l"},
    "meeting.completed": {"loop": "l", "meeting": "m-2"},
    "meeting.retracted": {"loop": "l", "meeting": "m-1"},
    "survey.submitted": {
        "loop": "l",
        "survey": "mqs",
        "respondent": "ben",
        "score": 5,
    },
    "survey.retracted": {"response": "r-1"},
    "course.completed": {"participant": "ana", "passed": True},
    "kudos.given": {
        "loop": "l",
        "giver": "ben",
        "recipient": "ana",
        "category": "trust",
    },
}
REQUIRED = {
    "participant.upserted": ["participant"],
    "participant.removed": ["participant"],
    "loop.started": ["loop", "kind", "members"],
    "loop.members_changed": ["loop", "members"],
    "loop.closed": ["loop"],
    "loop.reopened": ["loop"],
    "meeting.completed": ["loop", "meeting"],
    "meeting.retracted": ["loop", "meeting"],
    "survey.submitted": ["loop", "survey", "respondent", "score"],
    "survey.retracted": ["response"],
    "course.completed": ["participant", "passed"],
    "kudos.given": ["loop", "giver", "recipient", "category"],
}


@pytest.fixture
def setting(history: History) -> History:
    history.person("ana")
    history.person("ben")
    history.pair("l", "ana", "ben")
    history.meeting("l", "m-1", day=2)
    history.survey("l", "ana", 4, day=2.5, response="r-1")
    return history


def event_of(kind: str, /, **changes: Any) -> dict[str, Any]:
    event: dict[str, Any] = {"id": "probe", "type": kind, "occurred_at": at(3)}
    event.update(BASE[kind])
    for key, value in changes.items():
        if value is ...:
            event.pop(key, None)
        else:
            event[key] = value
    return event


def refusal(program: Program, setting: History, event: object) -> tuple[str, str]:
    post_events(program, setting.events)
    before = (Event.objects.count(), Award.objects.count())
    outcome = post_events(program, [event])[0]
    assert (Event.objects.count(), Award.objects.count()) == before
    return outcome.reason, outcome.detail


@pytest.mark.parametrize("kind", sorted(BASE))
def test_the_base_event_of_each_type_is_valid(
    program: Program, setting: History, kind: str
) -> None:
    if kind == "loop.reopened":
        setting.add("loop.closed", at(2.8), loop="l")
    post_events(program, setting.events)
    outcome = post_events(program, [event_of(kind)])[0]
    assert (outcome.status, outcome.reason) == ("applied", "")


@pytest.mark.parametrize(
    ("kind", "field"),
    [(kind, field) for kind, fields in REQUIRED.items() for field in fields]
    + [(kind, field) for kind in BASE for field in ("id", "occurred_at")],
)
def test_a_missing_field_is_named(
    program: Program, setting: History, kind: str, field: str
) -> None:
    reason, detail = refusal(program, setting, event_of(kind, **{field: ...}))
    assert reason == "missing_field"
    assert f"'{field}'" in detail


@pytest.mark.parametrize("kind", sorted(BASE))
def test_an_unknown_field_is_named(
    program: Program, setting: History, kind: str
) -> None:
    reason, detail = refusal(program, setting, event_of(kind, colour="blue"))
    assert (reason, "'colour'" in detail) == ("unknown_field", True)


@pytest.mark.parametrize(
    ("kind", "changes", "field"),
    [
        ("survey.submitted", {"score": "5"}, "score"),
        ("survey.submitted", {"score": True}, "score"),
        ("survey.submitted", {"score": 0}, "score"),
        ("survey.submitted", {"score": 6}, "score"),
        ("survey.submitted", {"score": 4.5}, "score"),
        ("survey.submitted", {"survey": "nps"}, "survey"),
        ("course.completed", {"passed": "yes"}, "passed"),
        ("loop.started", {"kind": "trio"}, "kind"),
        ("loop.started", {"members": []}, "members"),
        (
            "loop.started",
            {"members": [{"participant": "ana", "role": "boss"}]},
            "members.0.role",
        ),
        ("meeting.completed", {"attendees": "ana"}, "attendees"),
        ("meeting.completed", {"loop": 7}, "loop"),
        ("meeting.completed", {"meeting": ""}, "meeting"),
        ("meeting.completed", {"meeting": "x" * 201}, "meeting"),
        ("meeting.completed", {"meeting": "a\nb"}, "meeting"),
        (
            "participant.upserted",
            {"participant": {"id": "d", "name": ""}},
            "participant.name",
        ),
        (
            "participant.upserted",
            {"participant": {"id": "d", "name": "D", "email": "nope"}},
            "participant.email",
        ),
        ("kudos.given", {"feedback": "bad\x00byte"}, "feedback"),
        ("kudos.given", {"id": 12}, "id"),
    ],
)
def test_a_field_of_the_wrong_type_or_value_is_named(
    program: Program,
    setting: History,
    kind: str,
    changes: dict[str, Any],
    field: str,
) -> None:
    reason, detail = refusal(program, setting, event_of(kind, **changes))
    assert reason == "invalid_field"
    assert f"'{field}'" in detail


@pytest.mark.parametrize(
    "stamp",
    [
        "2026-01-08T09:00:00",
        "yesterday",
        "2026-13-01T00:00:00Z",
        "1999-12-31T23:59:59Z",
        "2100-01-01T00:00:00Z",
        1767600000,
    ],
)
def test_a_bad_timestamp_is_refused(
    program: Program, setting: History, stamp: object
) -> None:
    reason, detail = refusal(
        program, setting, event_of("loop.closed", occurred_at=stamp)
    )
    assert reason == "invalid_timestamp"
    assert "occurred_at" in detail


@pytest.mark.parametrize(
    ("event", "reason"),
    [
        ([1, 2], "invalid_event"),
        ("text", "invalid_event"),
        ({"id": "x", "occurred_at": at(3)}, "missing_field"),
        ({"id": "x", "type": "loop.exploded", "occurred_at": at(3)}, "unknown_type"),
        ({"id": "x", "type": 5, "occurred_at": at(3)}, "unknown_type"),
    ],
)
def test_an_event_that_is_not_an_event_is_refused(
    program: Program, setting: History, event: object, reason: str
) -> None:
    assert refusal(program, setting, event)[0] == reason


@pytest.mark.parametrize(
    ("kind", "changes", "reason"),
    [
        ("participant.removed", {"participant": "zed"}, "unknown_participant"),
        ("course.completed", {"participant": "zed"}, "unknown_participant"),
        ("loop.started", {"loop": "l"}, "loop_exists"),
        (
            "loop.started",
            {"members": [{"participant": "zed", "role": "member"}]},
            "unknown_participant",
        ),
        (
            "loop.started",
            {
                "kind": "one_to_one",
                "members": [{"participant": "ana", "role": "mentor"}],
            },
            "invalid_members",
        ),
        (
            "loop.started",
            {
                "members": [
                    {"participant": "ana", "role": "member"},
                    {"participant": "ana", "role": "mentor"},
                ]
            },
            "invalid_members",
        ),
        ("loop.members_changed", {"loop": "nowhere"}, "unknown_loop"),
        ("loop.closed", {"occurred_at": at(0.5)}, "before_loop_start"),
        ("loop.reopened", {}, "loop_open"),
        ("meeting.completed", {"attendees": ["zed"]}, "unknown_participant"),
        ("meeting.retracted", {"meeting": "m-9"}, "unknown_meeting"),
        ("survey.submitted", {"respondent": "zed"}, "unknown_participant"),
        (
            "survey.submitted",
            {"response": "r-1", "respondent": "ben"},
            "response_mismatch",
        ),
        ("survey.retracted", {"response": "r-9"}, "unknown_response"),
    ],
)
def test_an_event_that_breaks_the_history_is_refused(
    program: Program,
    setting: History,
    kind: str,
    changes: dict[str, Any],
    reason: str,
) -> None:
    assert refusal(program, setting, event_of(kind, **changes))[0] == reason


def test_a_member_outside_the_loop_cannot_attend_or_answer(
    program: Program, setting: History
) -> None:
    setting.person("cy")
    meeting = event_of("meeting.completed", attendees=["ana", "cy"])
    assert refusal(program, setting, meeting)[0] == "not_a_member"
    survey = event_of("survey.submitted", respondent="cy")
    survey["id"] = "probe-2"
    assert post_events(program, [survey])[0].reason == "not_a_member"


def test_a_closed_loop_cannot_be_closed_again(
    program: Program, setting: History
) -> None:
    setting.add("loop.closed", at(2.8), loop="l")
    assert refusal(program, setting, event_of("loop.closed"))[0] == "loop_closed"


def test_the_same_event_again_is_a_duplicate_and_changes_nothing(
    program: Program, setting: History
) -> None:
    post_events(program, setting.events)
    event = event_of("kudos.given")
    first = post_events(program, [event])[0]
    # The same instant written with another offset is the same content.
    again = dict(event, occurred_at="2026-01-08T10:00:00+01:00")
    second = post_events(program, [again])[0]

    assert (first.status, second.status) == ("applied", "duplicate")
    assert Award.objects.filter(badge="trust").count() == 1


def test_the_same_id_with_other_content_is_a_conflict_and_the_original_stays(
    program: Program, setting: History
) -> None:
    post_events(program, setting.events)
    post_events(program, [event_of("kudos.given")])
    outcome = post_events(program, [event_of("kudos.given", category="expertise")])[0]

    assert (outcome.status, outcome.reason) == ("rejected", "conflict")
    assert list(Award.objects.values_list("badge", flat=True)) == ["trust"]


def test_a_bad_event_in_a_batch_does_not_stop_its_neighbours(
    program: Program, setting: History
) -> None:
    batch = [*setting.events, {"id": "bad"}, event_of("kudos.given")]
    statuses = [o.status for o in post_events(program, batch)]

    assert statuses.count("rejected") == 1
    assert statuses[-1] == "applied"
    assert Rejection.objects.get(program=program).event_id == "bad"


def test_a_refused_event_sent_again_is_kept_once(
    program: Program, setting: History
) -> None:
    post_events(program, setting.events)
    bad = [{"id": "bad"}, event_of("kudos.given", category="kindness")]

    post_events(program, bad)
    again = post_events(program, bad)

    assert [o.reason for o in again] == ["missing_field", "unknown_category"]
    assert Rejection.objects.filter(program=program).count() == 2
