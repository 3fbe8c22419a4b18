"""The all-badges CSV: byte-exact to the published format, streamed."""

import csv
import io
from collections.abc import Iterator

from django.db import connection
from django.db.models import F, QuerySet
from django.db.models.functions import Collate

from mentorbadges.badges.catalogue import CATALOGUE, Level
from mentorbadges.badges.models import Award
from mentorbadges.programs.models import Program

HEADER = (
    "awarded_at",
    "type",
    "badge",
    "level",
    "recipient_id",
    "recipient_name",
    "giver_id",
    "giver_name",
    "loop_id",
    "feedback",
)
BOM = "\ufeff".encode()
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_CHUNK = 2000


def guard(cell: str) -> str:
    """Keep a spreadsheet from running a cell as a formula."""
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell


def standing_awards(program: Program) -> QuerySet[Award]:
    """Awards that stand, in award-time order with a content-based tie-break."""
    # Byte order for the tie-break on every database, as the export promises.
    key = (
        Collate(F("stable_key"), "C")
        if connection.vendor == "postgresql"
        else F("stable_key")
    )
    return Award.objects.filter(program=program, revoked_at__isnull=True).order_by(
        "awarded_at", key
    )


def csv_chunks(awards: QuerySet[Award], program: Program) -> Iterator[bytes]:
    """Yield the CSV in pieces, reading rows with a server-side cursor."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    yield BOM + buffer.getvalue().encode()

    rows = awards.values_list(
        "awarded_at",
        "badge",
        "level",
        "recipient__external_id",
        "recipient__name",
        "giver__external_id",
        "giver__name",
        "loop__external_id",
        "feedback",
    )
    tz = program.tz
    pending = 0
    buffer.seek(0)
    buffer.truncate()
    for at, code, level, rid, rname, gid, gname, loop, feedback in rows.iterator(
        chunk_size=_CHUNK
    ):
        badge = CATALOGUE[code]
        writer.writerow(
            (
                at.astimezone(tz).isoformat(timespec="seconds"),
                badge.kind_label,
                badge.name,
                Level(level).label,
                guard(rid),
                guard(rname),
                guard(gid or ""),
                guard(gname or ""),
                guard(loop or "") if badge.per_loop else "",
                guard(feedback),
            )
        )
        pending += 1
        if pending == _CHUNK:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
            pending = 0
    if pending:
        yield buffer.getvalue().encode()


def export_csv(program: Program) -> Iterator[bytes]:
    return csv_chunks(standing_awards(program), program)
