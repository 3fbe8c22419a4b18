from datetime import date

from mentorbadges.badges.models import Award
from mentorbadges.badges.services import withdraw_kudos
from mentorbadges.programs.models import Participant, Program
from mentorbadges.reports.summary import kudos_summary
from tests.conftest import import_events
from tests.history import History
from tests.scene import mentoring_scene


def test_an_empty_program_has_a_zero_summary(program: Program) -> None:
    summary = kudos_summary(program)

    assert summary.total == 0
    assert [c.count for c in summary.categories] == [0, 0, 0, 0, 0]
    assert summary.top_recipients == summary.top_givers == []
    assert summary.coverage.loops == 0
    assert summary.coverage.share == 0.0
    assert summary.months == summary.quotes == []


def test_totals_count_each_category_in_catalogue_order(
    program: Program, history: History
) -> None:
    mentoring_scene(program, history, loops=3)

    summary = kudos_summary(program)

    assert summary.total == 6
    assert [(c.code, c.count) for c in summary.categories] == [
        ("trust", 3),
        ("networking", 0),
        ("expertise", 0),
        ("commitment", 3),
        ("creativity", 0),
    ]
    assert summary.categories[0].share == 0.5


def test_top_people_rank_by_count_then_name(program: Program, history: History) -> None:
    mentoring_scene(program, history, loops=2)
    history.kudos("l1", "ben", "ana", day=50, category="expertise")
    import_events(program, history.events)

    summary = kudos_summary(program, top=2)

    assert [(p.external_id, p.count) for p in summary.top_recipients] == [
        ("ana", 2),
        ("ben", 1),
    ]
    assert [(p.external_id, p.count) for p in summary.top_givers] == [
        ("ben", 2),
        ("ana", 1),
    ]


def test_coverage_counts_loops_with_at_least_one_kudos(
    program: Program, history: History
) -> None:
    mentoring_scene(program, history, loops=2)

    coverage = kudos_summary(program).coverage

    assert (coverage.loops, coverage.with_kudos, coverage.without_kudos) == (3, 2, 1)
    assert coverage.target == 1.0
    assert not coverage.on_target


def test_months_follow_the_program_time_zone_and_include_empty_months(
    program: Program, history: History
) -> None:
    program.time_zone = "Pacific/Auckland"
    program.save()
    mentoring_scene(program, history)
    # 2026-03-31 13:00 UTC is already April 1st in Auckland.
    history.kudos("l1", "ben", "ana", day=85, category="creativity")
    history.events[-1]["occurred_at"] = "2026-03-31T13:00:00Z"
    import_events(program, history.events)

    months = kudos_summary(program).months

    assert [(m.month, m.count) for m in months] == [
        (date(2026, 1, 1), 1),
        (date(2026, 2, 1), 1),
        (date(2026, 3, 1), 0),
        (date(2026, 4, 1), 1),
    ]


def test_quotes_are_recent_feedback_long_enough_to_tell(
    program: Program, history: History
) -> None:
    mentoring_scene(program, history)
    history.kudos("l1", "ana", "ben", day=60, category="creativity", feedback="Nice!")
    import_events(program, history.events)

    quotes = kudos_summary(program).quotes

    assert [(q.recipient_name, q.giver_name, q.category_name) for q in quotes] == [
        ("Ana Álvarez", "ben Brown", "Trust")
    ]
    assert quotes[0].awarded_at.tzinfo == program.tz


def test_withdrawn_kudos_leave_the_summary(program: Program, history: History) -> None:
    mentoring_scene(program, history)
    ana = Participant.objects.get(external_id="ana")
    withdraw_kudos(Award.objects.get(recipient=ana, badge="trust"), None, "Rude.")

    summary = kudos_summary(program)

    assert summary.total == 1
    assert summary.quotes == []
    assert [p.external_id for p in summary.top_recipients] == ["ben"]
