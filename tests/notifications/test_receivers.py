from typing import Any

import pytest
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from mentorbadges.activity.models import Event as StoredEvent
from mentorbadges.activity.services import recompute
from mentorbadges.badges.models import Award
from mentorbadges.notifications import services
from mentorbadges.notifications.models import Email, Notification
from mentorbadges.notifications.services import notify_awards
from mentorbadges.programs.models import Participant, Program
from tests.conftest import post_events
from tests.history import Event, History, at
from tests.notifications.conftest import Commit, load, pair_history


def meetings(history: History, count: int, start: int = 0) -> list[Event]:
    return [
        history.meeting("l1", f"m{n}", day=2 + n) for n in range(start, start + count)
    ]


def told(program: Program) -> list[tuple[str, str, str, int]]:
    rows = Notification.objects.filter(program=program).order_by("pk")
    return [
        (n.recipient.external_id, n.kind, n.badge, n.level)
        for n in rows.select_related("recipient")
    ]


def test_an_achievement_level_notifies_each_member_once(
    program: Program, history: History, committed: Commit
) -> None:
    pair_history(history)
    meetings(history, 5)

    committed(lambda: load(program, history.events))

    assert sorted(told(program)) == [
        ("ana", "achievement", "momentum", 1),
        ("ben", "achievement", "momentum", 1),
    ]


def test_a_kudos_notifies_its_recipient(
    program: Program, history: History, committed: Commit
) -> None:
    pair_history(history)
    meetings(history, 1)
    committed(lambda: load(program, history.events))
    kudos = history.kudos("l1", "ana", "ben", day=3, feedback="Thank you")

    committed(lambda: post_events(program, [kudos]))

    assert told(program)[-1] == ("ben", "kudos", "trust", 0)


def test_every_kudos_is_its_own_notification(
    program: Program, history: History, committed: Commit
) -> None:
    pair_history(history)
    meetings(history, 1)
    history.kudos("l1", "ana", "ben", day=3)
    history.kudos("l1", "ana", "ben", day=4)

    committed(lambda: load(program, history.events))

    assert told(program) == [("ben", "kudos", "trust", 0)] * 2


def test_notifications_are_recorded_with_the_awards_and_e_mails_wait_for_commit(
    program: Program, history: History, django_capture_on_commit_callbacks: Commit
) -> None:
    pair_history(history)
    meetings(history, 1)
    history.kudos("l1", "ana", "ben", day=3)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        load(program, history.events)
        assert told(program) == [("ben", "kudos", "trust", 0)]
        assert mail.outbox == []

    for callback in callbacks:
        callback()
    assert [message.to for message in mail.outbox] == [["ben@example.org"]]


def test_a_change_that_rolls_back_leaves_no_notification(
    program: Program, history: History
) -> None:
    pair_history(history)
    meetings(history, 5)

    with pytest.raises(RuntimeError), transaction.atomic():
        load(program, history.events)
        assert told(program)
        raise RuntimeError("the change fails after the awards are written")

    assert not Award.objects.exists()
    assert told(program) == []


def test_awards_whose_notifications_cannot_be_recorded_are_not_stored(
    program: Program, history: History, monkeypatch: pytest.MonkeyPatch
) -> None:
    pair_history(history)
    meetings(history, 5)

    def broken(*args: object) -> int:
        raise RuntimeError("the notifications table is unavailable")

    monkeypatch.setattr(services, "notify_awards", broken)
    with pytest.raises(RuntimeError, match="notifications table"):
        load(program, history.events)

    assert not Award.objects.exists()
    assert not StoredEvent.objects.exists()


def test_reimporting_and_recomputing_tell_nothing_new(
    program: Program, history: History, committed: Commit
) -> None:
    pair_history(history)
    meetings(history, 5)
    committed(lambda: load(program, history.events))
    Notification.objects.update(read_at=None)

    committed(lambda: load(program, history.events))
    committed(lambda: recompute(program))

    assert Notification.objects.count() == 2


def test_a_level_revoked_and_earned_again_is_not_told_twice(
    program: Program, history: History, committed: Commit
) -> None:
    pair_history(history)
    meetings(history, 5)
    committed(lambda: load(program, history.events))
    sent = len(mail.outbox)

    retraction = history.add("meeting.retracted", at(20), loop="l1", meeting="m2")
    committed(lambda: post_events(program, [retraction]))
    again = history.meeting("l1", "m9", day=21)
    outcomes = committed(lambda: post_events(program, [again]))

    assert outcomes[0].awards  # type: ignore[index]
    assert sorted(told(program)) == [
        ("ana", "achievement", "momentum", 1),
        ("ben", "achievement", "momentum", 1),
    ]
    assert len(mail.outbox) == sent


def test_certified_is_told_once_although_it_has_no_loop(
    program: Program, history: History, committed: Commit
) -> None:
    pair_history(history)
    history.course("ben", True, day=3)
    committed(lambda: load(program, history.events))
    committed(lambda: recompute(program))

    assert told(program) == [("ben", "achievement", "certified", 0)]


def test_a_survey_that_prompts_kudos_is_told_in_the_app_only(
    program: Program, history: History, committed: Commit
) -> None:
    pair_history(history)
    meetings(history, 1)
    committed(lambda: load(program, history.events))
    survey = history.survey("l1", "ben", 5, day=4)

    committed(lambda: post_events(program, [survey]))

    prompt = Notification.objects.get(kind=Notification.PROMPT)
    assert prompt.recipient.external_id == "ben"
    assert prompt.partners == [Participant.objects.get(external_id="ana").pk]
    assert not Email.objects.filter(notification=prompt).exists()


def test_the_same_survey_sent_again_prompts_once(
    program: Program, history: History, committed: Commit
) -> None:
    pair_history(history)
    meetings(history, 1)
    committed(lambda: load(program, history.events))
    survey = history.survey("l1", "ben", 5, day=4)

    committed(lambda: post_events(program, [survey]))
    committed(lambda: post_events(program, [survey]))

    assert Notification.objects.filter(kind=Notification.PROMPT).count() == 1


def test_a_large_import_notifies_in_a_bounded_number_of_queries(
    program: Program, history: History, committed: Commit, settings: Any
) -> None:
    settings.NOTIFICATION_EMAILS_PER_COMMIT = 0
    people = [f"p{n}" for n in range(120)]
    for person in people:
        history.person(person)
    for n in range(0, len(people), 2):
        history.pair(f"l{n}", people[n], people[n + 1])
        for m in range(5):
            history.meeting(f"l{n}", f"l{n}-m{m}", day=2 + m)
    load(program, history.events[: len(people)])

    def run() -> None:
        load(program, history.events[len(people) :])

    with CaptureQueriesContext(connection) as queries:
        committed(run)

    assert Notification.objects.count() == 120
    receiver_queries = [
        q for q in queries.captured_queries if "notifications_" in q["sql"]
    ]
    assert len(receiver_queries) <= 10


def test_a_kudos_announced_twice_is_told_and_e_mailed_once(
    program: Program, history: History, committed: Commit
) -> None:
    pair_history(history)
    meetings(history, 1)
    history.kudos("l1", "ana", "ben", day=3)
    committed(lambda: load(program, history.events))
    kudos = Award.objects.get(badge="trust")

    assert notify_awards(program, [kudos]) == 0

    assert Notification.objects.filter(kind=Notification.KUDOS).count() == 1
    assert Email.objects.count() == 1
