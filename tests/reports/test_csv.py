"""The all-badges CSV, written by the database, equals a plain Python writing.

The rows here are stored directly, past the event validation, so that every
cell the database could hold is exported the same way on either database.
"""

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection

from mentorbadges.badges.catalogue import CATALOGUE, KUDOS_CODES, Level
from mentorbadges.badges.models import Award
from mentorbadges.programs.models import Loop, Participant, Program
from mentorbadges.reports.csv import BOM, HEADER, csv_chunks, export_csv
from mentorbadges.reports.table import TableQuery, export_awards

NASTY = [
    "plain",
    "",
    "comma, inside",
    'a "quoted" word',
    '"',
    "line\nbreak",
    "windows\r\nbreak",
    "lone\rreturn",
    "\n",
    "=SUM(A1:A2)",
    "+1",
    "-1",
    "@handle",
    "\tindented",
    "\rreturned",
    "'already quoted",
    " spaced ",
    "\\.",
    "back\\slash",
    "Zoë Ørsted 🎉 ليلى",
    "\uffff",
    "mark\uffffa and \uffffb\r and \uffff\n",
    "\u2028separator",
]
FORMULAS = ("=", "+", "-", "@", "\t", "\r")
START = datetime(2024, 3, 31, 0, 59, 59, 999999, tzinfo=UTC)


def guard(cell: str) -> str:
    return "'" + cell if cell.startswith(FORMULAS) else cell


def plain_csv(program: Program, kudos_only: bool = False) -> bytes:
    """Write the export row by row in Python: the meaning of the format."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    awards = Award.objects.filter(program=program, revoked_at__isnull=True)
    if kudos_only:
        awards = awards.filter(badge__in=KUDOS_CODES)
    found = awards.select_related("recipient", "giver", "loop")
    tz = program.tz
    for award in sorted(found, key=lambda a: (a.awarded_at, a.stable_key.encode())):
        badge = CATALOGUE[award.badge]
        giver, loop = award.giver, award.loop
        writer.writerow(
            (
                award.awarded_at.astimezone(tz).isoformat(timespec="seconds"),
                badge.kind_label,
                badge.name,
                Level(award.level).label,
                guard(award.recipient.external_id),
                guard(award.recipient.name),
                guard(giver.external_id) if giver else "",
                guard(giver.name) if giver else "",
                guard(loop.external_id) if loop and badge.per_loop else "",
                guard(award.feedback),
            )
        )
    return BOM + buffer.getvalue().encode()


def rows_of(exported: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(exported.decode("utf-8-sig"))))


def nasty_program(zone: str, times: list[datetime]) -> Program:
    """Store one award per time, cycling through awkward texts in every cell."""
    program = Program.objects.create(slug="nasty", name="Nasty", time_zone=zone)
    people = [
        Participant.objects.create(
            program=program,
            external_id=text or "blank",
            name=text,
            sort_name=text.lower(),
            named_at=START,
        )
        for text in NASTY
    ]
    loops = [
        Loop.objects.create(
            program=program, external_id=text or "none", kind="group", started_at=START
        )
        for text in NASTY
    ]
    codes = list(CATALOGUE)
    awards = []
    for n, at in enumerate(times):
        code = codes[n % len(codes)]
        badge = CATALOGUE[code]
        awards.append(
            Award(
                program=program,
                # Keys that sort differently by bytes than by most collations.
                stable_key=f"{['b', 'B', 'a', 'é', 'Z'][n % 5]}{n}",
                badge=code,
                level=n % 4 if badge.levelled else 0,
                recipient=people[n % len(people)],
                giver=people[(n + 3) % len(people)] if badge.is_kudos else None,
                loop=loops[(n + 5) % len(loops)] if n % 7 else None,
                awarded_at=at,
                feedback=NASTY[(n + 7) % len(NASTY)] if badge.is_kudos else "",
            )
        )
    Award.objects.bulk_create(awards)
    return program


def around(moment: datetime, count: int = 46) -> list[datetime]:
    """Times on both sides of a moment, some sharing a second or a time."""
    return [
        moment + timedelta(minutes=(n - count // 2) * 7, microseconds=(n % 3) * 999)
        for n in range(count)
    ] + [moment] * 5


@pytest.mark.parametrize(
    ("zone", "moment"),
    [
        ("UTC", START),
        ("Europe/Paris", datetime(2024, 3, 31, 1, tzinfo=UTC)),
        ("Europe/Paris", datetime(2024, 10, 27, 1, tzinfo=UTC)),
        ("America/St_Johns", datetime(2024, 11, 3, 4, 30, tzinfo=UTC)),
        ("Asia/Kolkata", datetime(2031, 12, 31, 23, 59, 59, tzinfo=UTC)),
        ("Australia/Lord_Howe", datetime(2025, 4, 5, 15, tzinfo=UTC)),
        # An offset with seconds, from before zones kept to whole minutes.
        ("Europe/Amsterdam", datetime(1937, 7, 1, tzinfo=UTC)),
    ],
)
def test_the_export_equals_the_plain_writing_of_awkward_cells(
    db: None, zone: str, moment: datetime
) -> None:
    program = nasty_program(zone, around(moment))

    exported = b"".join(export_csv(program))

    assert exported == plain_csv(program)
    assert len(rows_of(exported)) == 1 + 46 + 5


def test_the_export_keeps_the_second_and_drops_the_fraction(db: None) -> None:
    program = nasty_program("UTC", [START])

    text = b"".join(export_csv(program)).decode("utf-8-sig")

    assert text.split("\r\n")[1].startswith("2024-03-31T00:59:59+00:00,")


def test_revoked_awards_are_left_out(db: None) -> None:
    program = nasty_program("UTC", around(START, 10))
    Award.objects.filter(pk__in=Award.objects.values("pk")[:4]).update(revoked_at=START)

    exported = b"".join(export_csv(program))

    assert exported == plain_csv(program)
    assert len(rows_of(exported)) == 1 + 15 - 4


def test_a_long_export_comes_in_pieces_that_end_with_whole_rows(db: None) -> None:
    times = [START + timedelta(seconds=n) for n in range(3000)]
    program = nasty_program("Europe/Paris", times)
    Award.objects.filter(program=program).update(feedback="many\nlines, " * 40)

    pieces = list(export_csv(program))

    assert len(pieces) > 3
    assert all(piece.endswith(b"\r\n") for piece in pieces)
    assert b"".join(pieces) == plain_csv(program)


def test_an_export_left_unread_leaves_the_connection_usable(db: None) -> None:
    times = [START + timedelta(seconds=n) for n in range(3000)]
    program = nasty_program("UTC", times)
    Award.objects.filter(program=program).update(feedback="x" * 200)

    pieces = export_csv(program)
    next(pieces)
    next(pieces)
    pieces.close()

    assert Award.objects.filter(program=program).count() == 3000
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


def test_the_export_of_a_filter_equals_the_plain_writing_of_its_rows(
    db: None,
) -> None:
    program = nasty_program("Europe/Paris", around(datetime(2024, 10, 27, tzinfo=UTC)))
    kudos = TableQuery(type="kudos")

    exported = b"".join(csv_chunks(export_awards(program, kudos), program))

    assert {row[1] for row in rows_of(exported)[1:]} == {"Kudos"}
    assert exported == plain_csv(program, kudos_only=True)


@pytest.mark.django_db(transaction=True)
def test_an_export_left_unread_outside_a_transaction_stops_at_once() -> None:
    times = [START + timedelta(seconds=n) for n in range(3000)]
    program = nasty_program("UTC", times)
    Award.objects.filter(program=program).update(feedback="x" * 200)

    pieces = export_csv(program)
    next(pieces)
    next(pieces)
    pieces.close()

    assert b"".join(export_csv(program)) == plain_csv(program)


def test_an_export_inside_a_transaction_leaves_the_planner_as_it_was(
    db: None,
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("only PostgreSQL's planner is tuned for the export")
    program = nasty_program("UTC", around(START, 10))

    b"".join(export_csv(program))

    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_nestloop")
        assert cursor.fetchone() == ("on",)
