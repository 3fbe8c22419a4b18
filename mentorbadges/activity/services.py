"""Entry points for applying events: a batch from the API, a file, a recompute."""

import logging
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db import transaction

from mentorbadges.activity import events as ev
from mentorbadges.activity import kept
from mentorbadges.activity.events import Refusal
from mentorbadges.activity.ingest import Ingestor, Outcome
from mentorbadges.badges.models import Award
from mentorbadges.badges.signals import (
    awards_granted,
    awards_revoked,
    kudos_prompted,
)
from mentorbadges.programs.locks import lock_for_change
from mentorbadges.programs.models import Program

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
        transaction.on_commit(
            lambda: awards_granted.send(sender=Program, program=program, awards=awards)
        )
    if revoked:
        transaction.on_commit(
            lambda: awards_revoked.send(sender=Program, program=program, awards=revoked)
        )


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
            transaction.on_commit(
                lambda: kudos_prompted.send(
                    sender=Program, program=program, prompts=prompts
                )
            )
    return outcomes


@dataclass(order=True)
class _Line:
    at: datetime
    number: int
    text: str = field(compare=False)


def import_lines(
    program: Program,
    lines: Iterable[bytes],
    *,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Apply a JSON Lines file in event-time order (ties keep file order)."""
    report = ImportReport()
    with transaction.atomic():
        lock_for_change(program)
        ingestor = Ingestor(program, source="file", complete=True)
        ordered = _read(ingestor, lines, report)
        ordered.sort()

        batch = settings.IMPORT_BATCH_SIZE
        for done, line in enumerate(ordered, start=1):
            try:
                data = ev.parse_json(line.text)
            except Refusal as refusal:
                _refuse(ingestor, report, None, refusal, line.number, line.text)
            else:
                outcome = ingestor.submit(data, line=line.number, text=line.text)
                if outcome.status == "rejected":
                    report.rejections.append(outcome)
            if done % batch == 0:
                ingestor.flush()
                if progress:
                    progress(batch)
        if progress:
            progress(len(ordered) % batch)
        granted = ingestor.finish()
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


def _read(
    ingestor: Ingestor, lines: Iterable[bytes], report: ImportReport
) -> list[_Line]:
    """Parse each line enough to order it; refuse the lines that cannot be read."""
    ordered: list[_Line] = []
    for number, raw in enumerate(lines, start=1):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            text = raw.decode("utf-8", errors="replace")
            refusal = Refusal(
                "invalid_encoding",
                f"The line is not valid UTF-8 (byte {error.start + 1}).",
            )
            _refuse(ingestor, report, None, refusal, number, text)
            continue
        if number == 1:
            text = text.removeprefix("\ufeff")
        text = text.strip()
        if not text:
            continue

        ordered.append(_Line(_sort_time(text), number, text))
    return ordered


# The time is read from the text so that each line is parsed as JSON once,
# when its turn comes. A key written with escapes is found by parsing.
_STAMP = re.compile(r'"occurred_at"\s*:\s*"([^"\\]*)"')


def _sort_time(text: str) -> datetime:
    """Return the instant to order a line by (the earliest when it has none)."""
    match = _STAMP.search(text)
    try:
        if match is not None:
            return ev.parse_instant(match.group(1))
        data = ev.parse_json(text)
        fields = data if isinstance(data, dict) else {}
        return ev.parse_instant(fields.get("occurred_at"))
    except Exception:
        # Reading the line in its turn names the problem.
        return ev.EARLIEST


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
        _announce(program, granted, ingestor.book.revoked)
    return len(granted)
