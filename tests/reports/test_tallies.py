"""The award tallies equal a plain recount of the awards after every kind of write.

The database keeps the tallies by triggers, so each test changes awards by
one of the paths that write them (file import, API, web kudos, withdrawal,
revocation by a retraction, recompute, erasure, deletion, a bulk ORM update)
and compares every tally, the summary and the table's counts with figures
counted from the award rows themselves.
"""

from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone

from mentorbadges.activity.services import recompute
from mentorbadges.api.listing import cursor_page
from mentorbadges.badges.catalogue import KUDOS, KUDOS_CODES
from mentorbadges.badges.models import (
    Award,
    BadgeTally,
    LoopTally,
    PersonTally,
    TimeTally,
)
from mentorbadges.badges.services import KudosRequest, give_kudos, withdraw_kudos
from mentorbadges.privacy.erasure import erase_participant
from mentorbadges.programs.models import Loop, Participant, Program
from mentorbadges.reports.summary import kudos_summary
from mentorbadges.reports.table import (
    TableQuery,
    badge_table,
    count_awards,
    table_awards,
)
from tests.conftest import import_events, post_events
from tests.history import History, at
from tests.scene import mentoring_scene


def _quarter_hour(moment: datetime) -> datetime:
    moment = moment.astimezone(UTC)
    return moment.replace(minute=moment.minute // 15 * 15, second=0, microsecond=0)


def recount() -> dict[str, Counter[tuple[object, ...]]]:
    """Count every tally's figures from the standing awards of every program."""
    found: dict[str, Counter[tuple[object, ...]]] = {
        name: Counter() for name in ("badge", "person", "loop", "time")
    }
    standing = Award.objects.filter(revoked_at__isnull=True)
    for award in standing:
        kudos = award.badge in KUDOS_CODES
        program = award.program_id
        found["badge"][(program, award.badge, "awards")] += 1
        at = _quarter_hour(award.awarded_at)
        found["time"][(program, at, "kudos" if kudos else "achievements")] += 1
        if not kudos:
            continue
        found["person"][(program, award.recipient_id, "received")] += 1
        if award.giver_id is not None:
            found["person"][(program, award.giver_id, "given")] += 1
        if award.loop_id is not None:
            found["loop"][(program, award.loop_id, "kudos")] += 1
    return found


def kept() -> dict[str, Counter[tuple[object, ...]]]:
    """Read the tallies the database kept, zeros left out as a recount has none."""
    found: dict[str, Counter[tuple[object, ...]]] = {
        name: Counter() for name in ("badge", "person", "loop", "time")
    }
    for b in BadgeTally.objects.all():
        found["badge"][(b.program_id, b.badge, "awards")] = b.awards
    for p in PersonTally.objects.all():
        found["person"][(p.program_id, p.participant_id, "received")] = p.received
        found["person"][(p.program_id, p.participant_id, "given")] = p.given
    for loop in LoopTally.objects.all():
        found["loop"][(loop.program_id, loop.loop_id, "kudos")] = loop.kudos
    for t in TimeTally.objects.all():
        found["time"][(t.program_id, t.at, "kudos")] = t.kudos
        found["time"][(t.program_id, t.at, "achievements")] = t.achievements
    for counter in found.values():
        for key in [key for key, value in counter.items() if value == 0]:
            del counter[key]
    return found


def plain_summary(program: Program, top: int = 5) -> dict[str, object]:
    """The summary's figures counted row by row from the standing kudos."""
    kudos = list(
        Award.objects.filter(
            program=program, revoked_at__isnull=True, badge__in=KUDOS_CODES
        ).select_related("recipient", "giver")
    )
    by_badge = Counter(award.badge for award in kudos)
    months = Counter(
        award.awarded_at.astimezone(program.tz).date().replace(day=1) for award in kudos
    )

    def ranked(people: Counter[Participant]) -> list[tuple[str, int]]:
        order = sorted(people.items(), key=lambda p: (-p[1], p[0].sort_name, p[0].pk))
        return [(person.external_id, n) for person, n in order[:top]]

    return {
        "total": len(kudos),
        "categories": [(badge.code, by_badge[badge.code]) for badge in KUDOS],
        "top_recipients": ranked(Counter(award.recipient for award in kudos)),
        "top_givers": ranked(
            Counter(award.giver for award in kudos if award.giver is not None)
        ),
        "coverage": (
            Loop.objects.filter(program=program).count(),
            len({award.loop_id for award in kudos if award.loop_id is not None}),
        ),
        "months": {month: n for month, n in months.items()},
    }


def fast_summary(program: Program, top: int = 5) -> dict[str, object]:
    summary = kudos_summary(program, top=top)
    return {
        "total": summary.total,
        "categories": [(c.code, c.count) for c in summary.categories],
        "top_recipients": [(p.external_id, p.count) for p in summary.top_recipients],
        "top_givers": [(p.external_id, p.count) for p in summary.top_givers],
        "coverage": (summary.coverage.loops, summary.coverage.with_kudos),
        "months": {m.month: m.count for m in summary.months if m.count},
    }


QUERIES = [
    TableQuery(),
    TableQuery(sort="recipient", descending=False),
    TableQuery(type="kudos"),
    TableQuery(type="achievement"),
    TableQuery(badge="momentum"),
    TableQuery(since=date(2026, 1, 20)),
    TableQuery(until=date(2026, 2, 1), type="kudos"),
    TableQuery(since=date(2026, 1, 10), until=date(2026, 2, 20), type="achievement"),
    TableQuery(since=date(2026, 1, 10), badge="trust"),
    TableQuery(type="kudos", badge="momentum"),
    TableQuery(type="achievement", badge="trust"),
    TableQuery(type="kudos", badge="trust"),
]


def assert_figures_match(program: Program) -> None:
    assert kept() == recount()
    assert fast_summary(program) == plain_summary(program)
    assert fast_summary(program, top=2) == plain_summary(program, top=2)
    for query in QUERIES:
        assert count_awards(program, query) == table_awards(program, query).count()


@pytest.fixture
def busy(program: Program, history: History) -> History:
    """Three loops with meetings, achievements and kudos, and a tied ranking."""
    program.time_zone = "Asia/Kathmandu"  # +05:45: months begin off the hour.
    program.save()
    mentoring_scene(program, history, loops=3)
    history.kudos("l2", "mentee2", "mentor2", day=26, category="expertise")
    history.kudos("l1", "ben", "ana", day=26, category="creativity")
    # 2026-01-31 18:20 UTC is already February in Kathmandu.
    history.kudos("l3", "mentor3", "mentee3", day=25, category="networking")
    history.events[-1]["occurred_at"] = "2026-01-31T18:20:00Z"
    import_events(program, history.events[-3:])
    return history


def test_tallies_count_what_an_import_awarded(program: Program, busy: History) -> None:
    assert BadgeTally.objects.filter(program=program).exists()
    assert_figures_match(program)


def test_tallies_follow_kudos_sent_over_the_api_and_the_web(
    program: Program, busy: History
) -> None:
    more = History(prefix="api")
    more.kudos("l1", "ana", "ben", day=30, category="expertise")
    more.kudos("l2", "mentor2", "mentee2", day=31, category="trust")
    assert {o.status for o in post_events(program, more.events)} == {"applied"}
    ana = Participant.objects.get(external_id="ana")
    ben = Participant.objects.get(external_id="ben")
    request = KudosRequest(
        Loop.objects.get(external_id="l1"), ben, ana, "networking", "Thank you", "k1"
    )

    assert give_kudos(program, request).status == "applied"
    assert_figures_match(program)


def test_tallies_drop_withdrawn_kudos(program: Program, busy: History) -> None:
    ben = Participant.objects.get(external_id="ben")
    for award in Award.objects.filter(recipient=ben, badge__in=KUDOS_CODES):
        withdraw_kudos(award, None, "Not appropriate.")

    assert not PersonTally.objects.filter(participant=ben, received__gt=0).exists()
    assert_figures_match(program)


def test_tallies_drop_achievements_a_retraction_revokes(
    program: Program, busy: History
) -> None:
    more = History(prefix="fix")
    for day in range(3):
        more.add("meeting.retracted", at(40), loop="l1", meeting=f"l1-m{day}")
    import_events(program, more.events)

    assert Award.objects.filter(
        badge="momentum", loop__external_id="l1", revoked_at__isnull=False
    ).exists()
    assert_figures_match(program)


def test_tallies_follow_a_bulk_update_and_the_recompute_that_restores_it(
    program: Program, busy: History
) -> None:
    achievements = Award.objects.filter(program=program).exclude(badge__in=KUDOS_CODES)
    achievements.update(revoked_at=timezone.now(), revoked_reason="Tampered.")
    assert_figures_match(program)

    recompute(program)

    assert achievements.filter(revoked_at__isnull=True).exists()
    assert_figures_match(program)


def test_tallies_move_with_an_award_given_a_new_time_recipient_or_badge(
    program: Program, busy: History
) -> None:
    award = Award.objects.filter(badge="trust").order_by("pk").first()
    assert award is not None
    award.awarded_at += timedelta(days=40, minutes=7)
    award.recipient = Participant.objects.get(external_id="cleo")
    award.badge = "creativity"
    award.save()

    assert_figures_match(program)


def test_tallies_keep_counts_when_a_participant_is_erased(
    program: Program, busy: History
) -> None:
    before = fast_summary(program)

    erase_participant(Participant.objects.get(external_id="ana"), None)

    assert fast_summary(program) == before
    assert_figures_match(program)


def test_tallies_empty_when_awards_are_deleted(
    program: Program, other_program: Program, busy: History
) -> None:
    mentoring_scene(other_program, History(prefix="other"))
    Participant.objects.get(program=program, external_id="ben").delete()
    assert_figures_match(program)
    assert_figures_match(other_program)

    gone = program.pk
    program.delete()

    assert not BadgeTally.objects.filter(program_id=gone).exists()
    assert not TimeTally.objects.filter(program_id=gone).exists()
    assert kept() == recount()
    assert_figures_match(other_program)


def add_twins(program: Program) -> None:
    """Two people with one name: their awards interleave by date."""
    more = History(prefix="twin")
    more.person("sam1", "Sam Same")
    more.person("sam2", "Sam Same")
    more.pair("twins", "sam1", "sam2", day=2)
    for day in range(6):
        more.meeting("twins", f"twins-m{day}", day=3 + day)
        more.kudos("twins", "sam1", "sam2", day=3.5 + day, category="expertise")
        more.kudos("twins", "sam2", "sam1", day=3.6 + day, category="trust")
    assert not import_events(program, more.events)


@pytest.mark.parametrize("kind", ["", "kudos", "achievement"])
@pytest.mark.parametrize("descending", [False, True])
def test_pages_sorted_by_recipient_equal_the_plain_sort(
    program: Program, busy: History, kind: str, descending: bool
) -> None:
    add_twins(program)
    everything = TableQuery(sort="recipient", descending=descending, type=kind)
    expected = [award.pk for award in table_awards(program, everything)]

    for per_page in (1, 3, 7):
        shown: list[int] = []
        for number in range(1, len(expected) // per_page + 2):
            query = TableQuery(
                sort="recipient",
                descending=descending,
                type=kind,
                page=number,
                per_page=per_page,
            )
            page = badge_table(program, query)
            assert page.total == len(expected)
            if page.number == number:
                shown += [row.award_id for row in page.rows]

        assert shown == expected


@pytest.mark.parametrize("kind", ["", "kudos", "achievement"])
@pytest.mark.parametrize("descending", [False, True])
def test_api_cursor_pages_sorted_by_recipient_equal_the_plain_sort(
    program: Program, busy: History, kind: str, descending: bool
) -> None:
    add_twins(program)
    query = TableQuery(sort="recipient", descending=descending, type=kind)
    expected = [award.pk for award in table_awards(program, query)]

    for limit in (1, 3, 7):
        shown: list[int] = []
        cursor: str | None = None
        while True:
            page = cursor_page(program, query, limit=limit, cursor=cursor)
            assert page.total == len(expected)
            shown += [award.pk for award in page.awards]
            cursor = page.next_cursor
            if cursor is None:
                break

        assert shown == expected
