from datetime import date

from mentorbadges.badges.models import Award
from mentorbadges.badges.services import withdraw_kudos
from mentorbadges.programs.models import Program
from mentorbadges.sharing.figures import Period, share_figures
from tests.conftest import post_events
from tests.history import History, at

JANUARY = Period(date(2026, 1, 1), date(2026, 1, 31))


def counts(program: Program, period: Period) -> dict[str, int]:
    figures = share_figures(program, period)
    found = {c.code: c.count for c in figures.categories if c.count}
    found.update({h.name: h.count for h in figures.highlights})
    return found


def test_figures_count_every_standing_award_when_no_period_is_chosen(
    program: Program, scene: History
) -> None:
    figures = share_figures(program, Period())

    assert figures.kudos_total == 2
    assert counts(program, Period()) == {
        "trust": 1,
        "commitment": 1,
        "Momentum Bronze": 2,
        "Growing Together": 1,
        "Certified": 1,
    }
    assert figures.participants_recognised == 2
    assert figures.loops_recognised == 1
    assert figures.achievements_total == 4


def test_a_period_keeps_the_awards_of_its_whole_days(
    program: Program, scene: History
) -> None:
    figures = share_figures(program, JANUARY)

    assert counts(program, JANUARY) == {
        "trust": 1,
        "Growing Together": 1,
        "Certified": 1,
    }
    assert figures.participants_recognised == 2
    assert figures.period.label == "1 January 2026 to 31 January 2026"


def test_days_are_those_of_the_programs_time_zone(
    program: Program, scene: History
) -> None:
    # Ben's Commitment kudos is at 09:00 UTC on 14 February: still the 13th
    # in Honolulu.
    program.time_zone = "Pacific/Honolulu"
    program.save()

    assert counts(program, Period(ends_on=date(2026, 2, 13)))["commitment"] == 1
    assert "commitment" not in counts(program, Period(date(2026, 2, 14)))


def test_withdrawn_kudos_and_revoked_achievements_leave_the_figures(
    program: Program, scene: History
) -> None:
    kudos = Award.objects.get(program=program, badge="trust")
    withdraw_kudos(kudos, None, "Not about mentoring.")
    retractions = [
        scene.add("meeting.retracted", at(60), loop="l1", meeting=f"l1-m{n}")
        for n in (1, 2)
    ]
    post_events(program, retractions)

    found = counts(program, Period())

    assert "trust" not in found
    assert "Momentum Bronze" not in found


def test_the_quote_shows_names_only_when_chosen(
    program: Program, scene: History
) -> None:
    kudos = Award.objects.get(program=program, badge="trust")

    anonymous = share_figures(program, Period(), kudos, quote_names=False).quote
    named = share_figures(program, Period(), kudos, quote_names=True).quote

    assert anonymous is not None and named is not None
    assert anonymous.feedback == kudos.feedback
    assert (anonymous.recipient_name, anonymous.giver_name) == ("", "")
    assert (named.recipient_name, named.giver_name) == ("Ana Álvarez", "ben Brown")


def test_a_withdrawn_quote_is_no_longer_shown(program: Program, scene: History) -> None:
    kudos = Award.objects.get(program=program, badge="trust")
    withdraw_kudos(kudos, None, "Not about mentoring.")
    kudos.refresh_from_db()

    assert share_figures(program, Period(), kudos).quote is None


def test_an_empty_program_has_zero_figures(program: Program) -> None:
    figures = share_figures(program, Period())

    assert figures.kudos_total == 0
    assert figures.highlights == []
    assert [c.count for c in figures.categories] == [0, 0, 0, 0, 0]
    assert figures.headline == "0 kudos shared, 0 participants recognised"
