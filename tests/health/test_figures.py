from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mentorbadges.activity.ingest import Outcome
from mentorbadges.health.figures import (
    AGE_BANDS,
    loops_without_kudos,
    near_next_level,
    program_figures,
    quiet_loops,
)
from mentorbadges.programs.models import Program
from tests.conftest import import_events, post_events
from tests.history import History, at


def instant(day: float) -> datetime:
    return datetime.fromisoformat(at(day))


def applied(outcomes: list[Outcome]) -> bool:
    return all(outcome.status == "applied" for outcome in outcomes)


def three_loops(history: History) -> History:
    """Ana and Ben meet five times; Cleo and Dan once; Eve and Ana never."""
    for pid in ("ana", "ben", "cleo", "dan", "eve"):
        history.person(pid)
    history.pair("l1", "ana", "ben")
    history.pair("l2", "cleo", "dan")
    history.group("l3", "eve", "ana")
    for week in range(5):
        history.meeting("l1", f"l1-m{week}", day=3 + week * 7)
    history.survey("l1", "ben", 4, day=4, kind="post_meeting")
    history.kudos("l1", "ben", "ana", day=5)
    history.meeting("l2", "l2-m0", day=10)
    history.course("ana", True, day=10)
    return history


@pytest.fixture
def loaded(program: Program, history: History) -> Program:
    assert not import_events(program, three_loops(history).events)
    return program


def share_of(figures: object, label: str) -> tuple[int, int]:
    for item in figures.achievements:  # type: ignore[attr-defined]
        if item.label == label:
            return item.overall.count, item.overall.total
    raise AssertionError(label)


def test_kudos_coverage_counts_loops_with_at_least_one_kudos(loaded: Program) -> None:
    figures = program_figures(loaded, now=instant(100))

    assert figures.loops == 3
    assert (figures.kudos_coverage.count, figures.kudos_coverage.total) == (1, 3)
    assert figures.kudos_coverage.percent == 33


def test_achievement_shares_count_each_current_member_of_each_loop(
    loaded: Program,
) -> None:
    figures = program_figures(loaded, now=instant(100))

    assert figures.seats == 6
    assert share_of(figures, "Momentum Bronze") == (2, 6)
    assert share_of(figures, "Momentum Silver") == (0, 6)
    assert share_of(figures, "Growing Together") == (1, 6)
    assert share_of(figures, "Certified") == (2, 6)
    assert share_of(figures, "Champion") == (0, 6)


def test_achievement_shares_are_split_by_how_long_the_loop_has_run(
    loaded: Program,
) -> None:
    figures = program_figures(loaded, now=instant(100))
    momentum = next(a for a in figures.achievements if a.label == "Momentum Bronze")

    assert AGE_BANDS[1].label == "3 to 6 months"
    assert figures.seats_by_age == (0, 6, 0, 0)
    assert [(s.count, s.total) for s in momentum.by_age] == [
        (0, 0),
        (2, 6),
        (0, 0),
        (0, 0),
    ]
    assert momentum.by_age[0].percent is None


def test_median_time_to_first_badge_runs_from_each_loops_start(
    loaded: Program,
) -> None:
    figures = program_figures(loaded, now=instant(100))

    assert figures.loops_with_badges == 1
    assert figures.median_first_badge == timedelta(days=3)


def test_monthly_trend_counts_kudos_and_achievements_apart(loaded: Program) -> None:
    figures = program_figures(loaded, now=instant(100))
    months = {m.month: (m.kudos, m.achievements) for m in figures.months}

    assert len(figures.months) == 12
    assert figures.months[-1].month == date(2026, 4, 1)
    assert months[date(2026, 1, 1)] == (1, 2)
    assert months[date(2026, 2, 1)] == (0, 2)
    assert months[date(2026, 3, 1)] == (0, 0)


def test_monthly_trend_counts_up_to_now_within_its_quarter_hour(
    program: Program, history: History
) -> None:
    three_loops(history)
    history.kudos("l1", "ana", "ben", day=5, category="expertise")
    history.events[-1]["occurred_at"] = "2026-01-10T09:12:00Z"
    assert not import_events(program, history.events)
    # Ben's kudos stands at 09:00, Ana's at 09:12: between them is "now".
    now = datetime.fromisoformat("2026-01-10T09:10:00+00:00")

    months = {m.month: m.kudos for m in program_figures(program, now=now).months}
    later = {
        m.month: m.kudos
        for m in program_figures(program, now=now + timedelta(minutes=2)).months
    }

    assert months[date(2026, 1, 1)] == 1
    assert later[date(2026, 1, 1)] == 2


def test_revoked_awards_leave_the_figures(loaded: Program, history: History) -> None:
    history.add("meeting.retracted", at(40), loop="l1", meeting="l1-m2")
    assert applied(post_events(loaded, history.events[-1:]))

    figures = program_figures(loaded, now=instant(100))

    assert share_of(figures, "Momentum Bronze") == (0, 6)


def test_champion_rate_counts_loops_of_a_year_or_more(
    program: Program, history: History
) -> None:
    history.person("ana")
    history.person("ben")
    history.pair("l1", "ana", "ben")
    for n in range(15):
        history.meeting("l1", f"m{n}", day=2 + n)
    for n in range(9):
        history.survey("l1", "ben", 5, day=20 + n)
    history.survey("l1", "ana", 3, day=30, kind="post_meeting")
    history.course("ana", True, day=31)
    assert not import_events(program, history.events)

    young = program_figures(program, now=instant(200))
    old = program_figures(program, now=instant(400))

    assert (young.champion_at_12_months.count, young.champion_at_12_months.total) == (
        0,
        0,
    )
    assert (old.champion_at_12_months.count, old.champion_at_12_months.total) == (1, 2)


def test_figures_are_computed_in_a_fixed_number_of_queries(
    loaded: Program,
) -> None:
    with CaptureQueriesContext(connection) as queries:
        program_figures(loaded, now=instant(100))

    assert len(queries) == 6


def test_loops_with_a_meeting_but_no_kudos_are_listed(loaded: Program) -> None:
    found = loops_without_kudos(loaded, now=instant(100))

    assert found.total == 1
    assert [(i.loop, i.members) for i in found.items] == [("l2", ("Cleo", "Dan"))]
    assert found.items[0].last_meeting == instant(10)


def test_a_retracted_meeting_does_not_count_as_a_meeting(
    loaded: Program, history: History
) -> None:
    history.add("meeting.retracted", at(12), loop="l2", meeting="l2-m0")
    assert applied(post_events(loaded, history.events[-1:]))

    assert loops_without_kudos(loaded, now=instant(100)).total == 0


def test_quiet_loops_are_measured_from_the_latest_meeting(loaded: Program) -> None:
    found = quiet_loops(loaded, now=instant(60))

    assert [(i.loop, i.last_meeting) for i in found.items] == [
        ("l3", None),
        ("l2", instant(10)),
    ]


def test_a_meeting_reported_again_after_a_retraction_counts_again(
    loaded: Program, history: History
) -> None:
    history.add("meeting.retracted", at(12), loop="l2", meeting="l2-m0")
    history.meeting("l2", "l2-m0", day=30)
    assert applied(post_events(loaded, history.events[-2:]))

    found = quiet_loops(loaded, now=instant(60))

    assert [i.loop for i in found.items] == ["l3"]


def test_quiet_loops_are_capped_but_counted(loaded: Program) -> None:
    found = quiet_loops(loaded, now=instant(100), limit=2)

    assert found.total == 3
    assert [i.loop for i in found.items] == ["l3", "l2"]


def test_participants_one_meeting_or_rating_away_are_listed(
    program: Program, history: History
) -> None:
    history.person("ana")
    history.person("ben")
    history.pair("l1", "ana", "ben")
    for n in range(4):
        history.meeting("l1", f"m{n}", day=2 + n * 7)
    history.survey("l1", "ben", 5, day=3)
    history.survey("l1", "ben", 5, day=10)
    history.survey("l1", "ben", 4, day=11, kind="post_meeting")
    assert not import_events(program, history.events)

    found = near_next_level(program, now=instant(30))

    assert {(s.participant, s.label, s.have, s.need) for s in found.items} == {
        ("ana", "Momentum Bronze", 4, 5),
        ("ben", "Momentum Bronze", 4, 5),
        ("ana", "Excellence Bronze", 2, 3),
        ("ana", "Growing Together", 1, 2),
    }
    assert found.loops_considered == 1


def test_loops_quiet_for_six_weeks_are_not_searched_for_next_steps(
    program: Program, history: History
) -> None:
    history.person("ana")
    history.person("ben")
    history.pair("l1", "ana", "ben")
    for n in range(4):
        history.meeting("l1", f"m{n}", day=2 + n)
    assert not import_events(program, history.events)

    assert near_next_level(program, now=instant(60)).total == 0


def test_a_participant_missing_only_the_course_is_one_step_from_champion(
    program: Program, history: History
) -> None:
    history.person("ana")
    history.person("ben")
    history.pair("l1", "ana", "ben")
    for n in range(15):
        history.meeting("l1", f"m{n}", day=2 + n)
    for n in range(9):
        history.survey("l1", "ben", 5, day=20 + n)
    history.survey("l1", "ana", 3, day=30, kind="post_meeting")
    history.survey("l1", "ben", 3, day=30, kind="post_meeting")
    assert not import_events(program, history.events)

    found = near_next_level(program, now=instant(31))

    assert [(s.participant, s.label, s.step) for s in found.items] == [
        ("ana", "Champion", "passing the participant course")
    ]
