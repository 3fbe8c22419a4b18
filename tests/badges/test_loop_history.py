"""A loop's standing meetings stay right however their reports arrive."""

import random
from datetime import UTC, datetime, timedelta

from mentorbadges.badges.rules import LoopHistory, MeetingReport

START = datetime(2026, 1, 1, tzinfo=UTC)


def rebuilt(reports: list[MeetingReport]) -> list[tuple[str, datetime]]:
    """The standing meetings of the reports, read by a history that saw them all."""
    history = LoopHistory("l", "group", START, meetings=list(reports))
    return [(m.meeting, m.at) for m in history.completed_meetings()]


def test_meetings_read_between_reports_match_a_reading_after_them_all() -> None:
    chance = random.Random(7)
    for _ in range(200):
        history = LoopHistory("l", "group", START)
        reports: list[MeetingReport] = []
        for n in range(chance.randint(1, 12)):
            meeting = f"m{chance.randint(1, 6)}"
            at = START + timedelta(days=chance.randint(0, 60))
            report = MeetingReport(
                meeting, at, f"e{n}", retracted=chance.random() < 0.2
            )
            history.add_meeting(report)
            reports.append(report)
            if chance.random() < 0.6:
                seen = [(m.meeting, m.at) for m in history.completed_meetings()]
                assert seen == rebuilt(reports)
        assert [(m.meeting, m.at) for m in history.completed_meetings()] == rebuilt(
            reports
        )


def test_a_new_meeting_earlier_than_the_others_takes_its_place_in_time() -> None:
    history = LoopHistory("l", "group", START)
    history.add_meeting(MeetingReport("b", START + timedelta(days=5), "e1"))
    assert history.has_meeting_by(START + timedelta(days=5))
    history.add_meeting(MeetingReport("a", START + timedelta(days=2), "e2"))

    assert [m.meeting for m in history.completed_meetings()] == ["a", "b"]
    assert history.has_meeting_by(START + timedelta(days=2))
