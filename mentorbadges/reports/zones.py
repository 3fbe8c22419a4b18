"""The offsets a time zone uses over a span of time, as zoneinfo knows them.

The CSV export has the database write local times. Handing it the offsets
computed here, rather than the zone's name, keeps Python's time-zone data the
only authority, so every database writes the same bytes as ``isoformat``.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo

# No zone has ever changed its offset twice within four days, so sampling once
# a day finds every change; each change is then found to the second.
_STEP = timedelta(days=1)
_SECOND = timedelta(seconds=1)


@dataclass(frozen=True)
class Offset:
    """One offset from UTC and the first instant it holds (None: all before)."""

    since: datetime | None
    seconds: int
    text: str


def offsets(tz: tzinfo, start: datetime, end: datetime) -> list[Offset]:
    """Return the offsets in force from ``start`` to ``end``, oldest first."""
    moment = start.astimezone(UTC).replace(microsecond=0)
    found = [_offset_at(tz, moment, None)]
    while moment < end:
        step = min(moment + _STEP, end)
        if _seconds(tz, step) != found[-1].seconds:
            moment = _first_change(tz, moment, step)
            found.append(_offset_at(tz, moment, moment))
        else:
            moment = step
    return found


def _seconds(tz: tzinfo, moment: datetime) -> int:
    offset = moment.astimezone(tz).utcoffset()
    return int(offset.total_seconds()) if offset is not None else 0


def _offset_at(tz: tzinfo, moment: datetime, since: datetime | None) -> Offset:
    # The text is cut from isoformat itself, whatever form it gives the offset.
    text = moment.astimezone(tz).isoformat(timespec="seconds")[19:]
    return Offset(since, _seconds(tz, moment), text)


def _first_change(tz: tzinfo, before: datetime, after: datetime) -> datetime:
    """Return the first second after ``before`` whose offset differs from it."""
    old = _seconds(tz, before)
    low, high = before, after
    while high - low > _SECOND:
        middle = low + (high - low) // 2
        middle = middle.replace(microsecond=0)
        if _seconds(tz, middle) == old:
            low = middle
        else:
            high = middle
    return high
