"""Cursor pages over the All Badges table.

A cursor holds the sort values of the last row shown, so the next page starts
right after it whatever was awarded meanwhile: no row is skipped or repeated.
"""

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet

from mentorbadges.api.errors import Problem
from mentorbadges.badges.models import Award
from mentorbadges.programs.models import Program
from mentorbadges.reports.table import (
    TableQuery,
    count_awards,
    recipients_ahead,
    sort_key_of,
    table_awards,
)


class InvalidCursor(Problem):
    def __init__(self) -> None:
        super().__init__(
            400,
            "invalid_cursor",
            "The cursor is not one this listing gave out with the same sort.",
        )


@dataclass(frozen=True)
class CursorPage:
    awards: list[Award]
    next_cursor: str | None
    total: int


def _keys(query: TableQuery) -> list[str]:
    """Name the sort values, most significant first, as the table orders them."""
    return (
        ["sort_key", "awarded_at", "id"]
        if query.sort != "date"
        else ["awarded_at", "id"]
    )


def _encode(query: TableQuery, award: Award) -> str:
    values: list[Any] = []
    for name in _keys(query):
        value = getattr(award, name)
        values.append(value.isoformat() if isinstance(value, datetime) else value)
    data = {"s": query.sort, "d": query.descending, "v": values}
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def _decode(query: TableQuery, cursor: str) -> list[Any]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw)
        values = list(data["v"])
        same_sort = data["s"] == query.sort and data["d"] == query.descending
    except (binascii.Error, ValueError, KeyError, TypeError):
        raise InvalidCursor() from None
    names = _keys(query)
    if not same_sort or len(values) != len(names):
        raise InvalidCursor()

    try:
        for index, name in enumerate(names):
            if name == "awarded_at":
                values[index] = datetime.fromisoformat(values[index])
            elif name == "id":
                values[index] = int(values[index])
    except (TypeError, ValueError):
        raise InvalidCursor() from None
    return values


def _after(names: list[str], values: list[Any], descending: bool) -> Q:
    """Rows strictly after the given sort values, nulls sorting last."""
    name, value = names[0], values[0]
    beyond = "lt" if descending else "gt"
    if value is None:
        later = Q(**{f"{name}__isnull": True})
        if len(names) == 1:
            return Q(pk__in=[])
        return later & _after(names[1:], values[1:], descending)

    condition = Q(**{f"{name}__{beyond}": value}) | Q(**{f"{name}__isnull": True})
    if len(names) > 1:
        condition |= Q(**{name: value}) & _after(names[1:], values[1:], descending)
    return condition


def cursor_page(
    program: Program,
    query: TableQuery,
    *,
    limit: int,
    cursor: str | None,
    recipient: str | None = None,
) -> CursorPage:
    awards: QuerySet[Award] = table_awards(program, query)
    if recipient is not None:
        awards = awards.filter(recipient__external_id=recipient)
        total = awards.count()
    else:
        total = count_awards(program, query)
    if query.sort != "date":
        awards = awards.annotate(sort_key=sort_key_of(query.sort)[0])

    after: str | None = None
    if cursor:
        values = _decode(query, cursor)
        awards = awards.filter(_after(_keys(query), values, query.descending))
        after = values[0] if query.sort == "recipient" else None
    if recipient is None:
        # Sorted by recipient, only the recipients next in name order can
        # hold the page's rows: naming them spares sorting every award.
        ahead = recipients_ahead(program, query, limit + 1, after)
        if ahead is not None:
            awards = awards.filter(recipient__in=ahead)
    rows = list(awards.select_related("recipient", "giver", "loop")[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = _encode(query, rows[-1]) if more and rows else None
    return CursorPage(rows, next_cursor, total)
