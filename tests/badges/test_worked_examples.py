"""The worked examples of the badge rules, end to end through ingestion."""

from mentorbadges.badges.models import Award, AwardChange
from mentorbadges.programs.models import Program
from tests.conftest import import_events, post_events, standing
from tests.history import History, at


def ana_and_ben(history: History) -> None:
    history.person("ana", "Ana")
    history.person("ben", "Ben")
    history.pair("loop-1", "ana", "ben")


def test_kudos_before_the_first_meeting_is_refused_and_after_it_counts(
    program: Program, history: History
) -> None:
    ana_and_ben(history)
    early = history.kudos("loop-1", "ben", "ana", day=2)
    history.meeting("loop-1", "m-1", day=3)
    later = history.kudos("loop-1", "ben", "ana", day=4)

    outcomes = post_events(program, history.events)

    results = {o.event_id: (o.status, o.reason) for o in outcomes}
    assert results[early["id"]] == ("rejected", "no_meeting_yet")
    assert results[later["id"]] == ("applied", "")
    kudos = Award.objects.get(program=program, badge="trust")
    assert kudos.recipient.external_id == "ana"
    assert kudos.awarded_at.isoformat() == "2026-01-09T09:00:00+00:00"


def test_sixteen_meetings_at_once_award_every_momentum_level_at_its_meeting(
    program: Program, history: History
) -> None:
    ana_and_ben(history)
    for n in range(1, 17):
        history.meeting("loop-1", f"m-{n}", day=n * 7)

    import_events(program, history.events)

    for person in ("ana", "ben"):
        levels = Award.objects.filter(
            recipient__external_id=person, badge="momentum"
        ).values_list("level", "awarded_at")
        assert {(level, when.isoformat()) for level, when in levels} == {
            (1, at(35).replace("Z", "+00:00")),
            (2, at(70).replace("Z", "+00:00")),
            (3, at(105).replace("Z", "+00:00")),
        }


def test_excellence_counts_only_the_other_members_top_ratings(
    program: Program, history: History
) -> None:
    ana_and_ben(history)
    for n in range(3):
        history.survey("loop-1", "ben", 5, day=10 + n, response=f"ben-{n}")
        history.survey("loop-1", "ana", 4, day=10 + n, response=f"ana-{n}")

    import_events(program, history.events)

    excellence = Award.objects.filter(program=program, badge="excellence")
    assert [(a.recipient.external_id, a.level) for a in excellence] == [("ana", 1)]
    assert excellence[0].awarded_at.isoformat() == at(12).replace("Z", "+00:00")


def test_growing_together_waits_for_the_late_meeting_report(
    program: Program, history: History
) -> None:
    ana_and_ben(history)
    history.survey("loop-1", "ben", 3, day=5, kind="post_meeting")
    post_events(program, history.events)
    assert not Award.objects.filter(badge="growing_together").exists()

    late = History("late")
    late.meeting("loop-1", "m-1", day=4)
    late.meeting("loop-1", "m-1", day=4)
    post_events(program, late.events)

    award = Award.objects.get(badge="growing_together")
    assert award.recipient.external_id == "ben"
    assert award.awarded_at.isoformat() == at(5).replace("Z", "+00:00")


def test_retracting_a_meeting_revokes_momentum_and_a_new_one_gives_it_back(
    program: Program, history: History
) -> None:
    ana_and_ben(history)
    for n in range(1, 6):
        history.meeting("loop-1", f"m-{n}", day=n * 7)
    import_events(program, history.events)
    assert Award.objects.filter(badge="momentum", revoked_at=None).count() == 2

    correction = History("fix")
    correction.add("meeting.retracted", at(40), loop="loop-1", meeting="m-3")
    post_events(program, correction.events)
    assert Award.objects.filter(badge="momentum", revoked_at=None).count() == 0
    assert AwardChange.objects.filter(action="revoked").count() == 2

    again = History("again")
    again.meeting("loop-1", "m-6", day=42)
    post_events(program, again.events)

    bronze = Award.objects.filter(badge="momentum", revoked_at=None)
    assert bronze.count() == 2
    assert {a.awarded_at.isoformat() for a in bronze} == {at(42).replace("Z", "+00:00")}
    assert Award.objects.filter(badge="momentum").count() == 2
    assert ("ana", "loop-1", "momentum", 1, at(42).replace("Z", "+00:00")) in (
        standing(program)
    )
