"""Entry points for applying events: a batch from the API, a file, a recompute."""

from __future__ import annotations

import io
import logging
import re
from array import array
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import BinaryIO

from django.conf import settings
from django.db import connection, transaction

from mentorbadges.activity import events as ev
from mentorbadges.activity import kept
from mentorbadges.activity.events import Refusal
from mentorbadges.activity.ingest import Ingestor, Outcome
from mentorbadges.activity.models import Event
from mentorbadges.badges.models import Award
from mentorbadges.badges.signals import (
    awards_granted,
    awards_revoked,
    kudos_prompted,
)
from mentorbadges.programs.locks import lock_for_change
from mentorbadges.programs.models import Participant, Program

logger = logging.getLogger(__name__)


@dataclass
class ImportReport:
    applied: int = 0
    duplicates: int = 0
    rejections: list[Outcome] = field(default_factory=list)
    granted: int = 0


def _announce(
    program: Program, awards: list[Award], revoked: list[Award] | None = None
) -> None:
    if awards:
        awards_granted.send(sender=Program, program=program, awards=awards)
    if revoked:
        awards_revoked.send(sender=Program, program=program, awards=revoked)


def apply_events(
    program: Program, items: Sequence[object], *, source: str = "api"
) -> list[Outcome]:
    """Apply events in the order given, each judged on its own."""
    with transaction.atomic():
        revision = lock_for_change(program)
        state = kept.take_up(program, revision)
        ingestor = Ingestor(program, source=source, state=state)
        ingestor.prefetch(list(items))
        outcomes = [ingestor.submit(item) for item in items]
        _announce(program, ingestor.finish(), ingestor.book.revoked)
        kept.keep(program, revision, ingestor.ledger, ingestor.book)
        prompts = [
            (outcome.event_id, outcome.kudos_prompt)
            for outcome in outcomes
            if outcome.kudos_prompt is not None and outcome.event_id is not None
        ]
        if prompts:
            kudos_prompted.send(sender=Program, program=program, prompts=prompts)
    return outcomes


def import_lines(
    program: Program,
    lines: Iterable[bytes],
    *,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Apply JSON Lines held in memory; see `import_file`."""
    return import_file(program, io.BytesIO(b"\n".join(lines)), progress=progress)


def import_file(
    program: Program,
    stream: BinaryIO,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Apply a JSON Lines file in event-time order (ties keep file order).

    The file is read twice and never held whole: the first pass notes each
    line's time and where it starts, the second reads the lines back in
    order. `stream` must be seekable; `progress` hears (done, total).
    """
    report = ImportReport()
    with transaction.atomic():
        lock_for_change(program)
        ingestor = Ingestor(program, source="file", complete=True)
        order, starts = _index(ingestor, stream, report)
        order.sort()

        batch = settings.IMPORT_BATCH_SIZE
        total = len(order)
        for done, key in enumerate(order, start=1):
            number = key & _NUMBER_MASK
            stream.seek(starts[number - 1])
            text = _text(stream.readline(), number)
            try:
                data = ev.parse_json(text)
            except Refusal as refusal:
                _refuse(ingestor, report, None, refusal, number, text)
            else:
                outcome = ingestor.submit(data, line=number, text=text)
                if outcome.status == "rejected":
                    report.rejections.append(outcome)
            if done % batch == 0:
                ingestor.flush()
                if progress:
                    progress(done, total)
        if progress:
            progress(total, total)
        del order, starts
        granted = ingestor.finish()
        _refresh_statistics(len(granted) + ingestor.counts["applied"])
        _announce(program, granted, ingestor.book.revoked)

    report.applied = ingestor.counts["applied"]
    report.duplicates = ingestor.counts["duplicate"]
    report.granted = len(granted)
    report.rejections.sort(key=lambda outcome: outcome.line or 0)
    logger.info(
        "Imported into %s: %d applied, %d duplicates, %d rejected",
        program.slug,
        report.applied,
        report.duplicates,
        len(report.rejections),
    )
    return report


# Past this many rows written, the planner's statistics are refreshed before
# the statements that read the new rows back.
_BULK = 10_000


def _refresh_statistics(written: int) -> None:
    """Let PostgreSQL's planner see the rows a bulk write just added.

    Until autovacuum gets to them, the planner takes a table that was empty
    at its last ANALYZE to be empty still, and reads every award of the
    program where a look-up by key would do. ANALYZE in the transaction
    counts its own new rows; SQLite plans without statistics.
    """
    if written < _BULK or connection.vendor != "postgresql":
        return
    tables = (model._meta.db_table for model in (Award, Event, Participant))
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {', '.join(tables)}")


# A line's place in the order is one integer: microseconds since the earliest
# instant an event may state, then the line number in the low 32 bits. A
# million lines cost about 40 MB this way, not the text of the file.
_NUMBER_BITS = 32
_NUMBER_MASK = (1 << _NUMBER_BITS) - 1


def _index(
    ingestor: Ingestor, stream: BinaryIO, report: ImportReport
) -> tuple[list[int], array[int]]:
    """Note where each line starts and the key to order it by.

    Lines that are not UTF-8 are refused here; blank lines are skipped.
    """
    order: list[int] = []
    starts = array("q")
    offset = stream.tell()
    for number, raw in enumerate(stream, start=1):
        starts.append(offset)
        offset += len(raw)
        try:
            text = _text(raw, number)
        except UnicodeDecodeError as error:
            text = raw.decode("utf-8", errors="replace").strip()
            refusal = Refusal(
                "invalid_encoding",
                f"The line is not valid UTF-8 (at its byte {error.start + 1}).",
            )
            _refuse(ingestor, report, None, refusal, number, text)
            continue
        if text:
            order.append(_sort_key(text) << _NUMBER_BITS | number)
    return order, starts


def _text(raw: bytes, number: int) -> str:
    text = raw.decode("utf-8")
    if number == 1:
        text = text.removeprefix("\ufeff")
    return text.strip()


# The time is read from the text so that each line is parsed as JSON once,
# when its turn comes. A key written with escapes is found by parsing.
_STAMP = re.compile(r'"occurred_at"\s*:\s*"([^"\\]*)"')


def _sort_key(text: str) -> int:
    """Microseconds from the earliest instant to the line's own (0 if it has none)."""
    match = _STAMP.search(text)
    try:
        if match is not None:
            at = ev.parse_instant(match.group(1))
        else:
            data = ev.parse_json(text)
            fields = data if isinstance(data, dict) else {}
            at = ev.parse_instant(fields.get("occurred_at"))
    except Exception:
        # Reading the line in its turn names the problem.
        return 0
    return (at - ev.EARLIEST) // _MICROSECOND


_MICROSECOND = timedelta(microseconds=1)


def _refuse(
    ingestor: Ingestor,
    report: ImportReport,
    data: object,
    refusal: Refusal,
    number: int,
    text: str,
) -> None:
    ingestor.reject(data, refusal, line=number, text=text)
    report.rejections.append(
        Outcome(None, "rejected", refusal.reason, refusal.detail, number)
    )


def recompute(program: Program) -> int:
    """Derive every achievement again from the recorded activity.

    Return how many awards were granted; a history already in line grants none.
    """
    with transaction.atomic():
        lock_for_change(program)
        ingestor = Ingestor(program, source="recompute", complete=True)
        ingestor.mark_everything_dirty()
        granted = ingestor.finish()
        _refresh_statistics(len(granted))
        _announce(program, granted, ingestor.book.revoked)
    return len(granted)
