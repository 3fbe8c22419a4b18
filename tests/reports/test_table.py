from datetime import date

from mentorbadges.badges.models import Award
from mentorbadges.badges.services import withdraw_kudos
from mentorbadges.programs.models import Program
from mentorbadges.reports.csv import csv_chunks
from mentorbadges.reports.table import TableQuery, badge_table, export_awards
from tests.conftest import import_events
from tests.history import History
from tests.scene import mentoring_scene


def names(program: Program, query: TableQuery) -> list[str]:
    return [row.recipient_name for row in badge_table(program, query).rows]


def test_the_default_view_is_every_standing_award_newest_first(
    program: Program, history: History
) -> None:
    mentoring_scene(program, history)

    page = badge_table(program, TableQuery())

    times = [row.awarded_at for row in page.rows]
    assert times == sorted(times, reverse=True)
    assert page.total == Award.objects.filter(program=program).count()
    assert {row.type_label for row in page.rows} == {"Kudos", "Achievement"}
    assert all(row.awarded_at.tzinfo == program.tz for row in page.rows)


def test_recipient_sort_ignores_case_and_accents(
    program: Program, history: History
) -> None:
    for pid, name in [("z", "zoe"), ("e", "Émile"), ("a", "adam"), ("b", "Bea")]:
        history.person(pid, name)
    history.group("g", "z", "e", "a", "b")
    history.meeting("g", "m1", day=2)
    for pid in ("z", "e", "a", "b"):
        giver = "a" if pid != "a" else "b"
        history.kudos("g", giver, pid, day=3)
    import_events(program, history.events)

    query = TableQuery(type="kudos", sort="recipient", descending=False)

    assert names(program, query) == ["adam", "Bea", "Émile", "zoe"]


def test_pages_sorted_by_recipient_neither_overlap_nor_skip(
    program: Program, history: History
) -> None:
    mentoring_scene(program, history, loops=6)
    every = badge_table(program, TableQuery(sort="recipient", per_page=1000)).rows

    seen = []
    for number in range(1, 100):
        page = badge_table(
            program, TableQuery(sort="recipient", page=number, per_page=3)
        )
        seen.extend(row.award_id for row in page.rows)
        if not page.has_next:
            break

    assert seen == [row.award_id for row in every]
    assert len(set(seen)) == len(seen)


def test_filters_by_type_badge_and_dates_in_the_program_time_zone(
    program: Program, history: History
) -> None:
    mentoring_scene(program, history)

    kudos = badge_table(program, TableQuery(type="kudos")).rows
    trust = badge_table(program, TableQuery(badge="trust")).rows
    january = badge_table(
        program,
        TableQuery(type="kudos", since=date(2026, 1, 1), until=date(2026, 1, 31)),
    ).rows

    assert {row.badge for row in kudos} == {"trust", "commitment"}
    assert [row.badge for row in trust] == ["trust"]
    assert [row.badge for row in january] == ["trust"]


def test_params_are_read_leniently() -> None:
    query = TableQuery.from_params(
        {
            "type": "nope",
            "badge": "<b>",
            "since": "yesterday",
            "page": "-4",
            "sort": "x",
        }
    )

    assert query == TableQuery()


def test_a_page_past_the_end_shows_the_last_page(
    program: Program, history: History
) -> None:
    mentoring_scene(program, history)

    page = badge_table(program, TableQuery(page=999, per_page=5))

    assert page.number == page.num_pages
    assert page.rows


def test_the_export_of_a_filter_holds_only_its_rows(
    program: Program, history: History
) -> None:
    mentoring_scene(program, history)
    withdrawn = Award.objects.get(badge="commitment")
    withdraw_kudos(withdrawn, None, "Inappropriate.")

    query = TableQuery(type="kudos")
    text = b"".join(csv_chunks(export_awards(program, query), program)).decode()

    lines = text.strip().split("\r\n")
    assert len(lines) == 2
    assert ",Kudos,Trust," in lines[1]


def test_days_outside_the_years_of_events_are_read_as_their_ends() -> None:
    query = TableQuery.from_params({"since": "0001-01-01", "until": "9999-12-31"})

    assert (query.since, query.until) == (date(2000, 1, 1), date(2099, 12, 31))
