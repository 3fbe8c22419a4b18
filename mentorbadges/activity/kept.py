"""A program's ledger and awards, kept in memory from one write to the next.

A request through the API loads the history of what its events name. A
platform sending a long history in batches names the same loops again and
again, so each process keeps the state its last write to a program left, and
the next write takes it up when the program's revision shows that no other
transaction changed the program in between (``programs.locks``). Otherwise
the state is dropped and loaded afresh, so a copy kept here is never stale.
"""

import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import connection, transaction

from mentorbadges.activity.ledger import Ledger
from mentorbadges.badges.engine import AwardBook
from mentorbadges.programs.models import Program


@dataclass
class _Kept:
    revision: int
    ledger: Ledger
    book: AwardBook


_Key = tuple[str, int, datetime]
_kept: OrderedDict[_Key, _Kept] = OrderedDict()
_guard = threading.Lock()


def _key(program: Program) -> _Key:
    # The creation time tells apart programs that come to share a key, as
    # they may in a database whose rolled-back inserts hand keys out again.
    return (connection.alias, program.pk, program.created_at)


def take_up(program: Program, revision: int) -> tuple[Ledger, AwardBook] | None:
    """Return the state left at the revision before ``revision``, if kept.

    The state leaves the store: a transaction that fails after changing it
    in memory must not leave it for the next one.
    """
    with _guard:
        kept = _kept.pop(_key(program), None)
    if kept is None or kept.revision != revision - 1:
        return None

    kept.ledger.program = program
    kept.book.start_over(program)
    return kept.ledger, kept.book


def keep(program: Program, revision: int, ledger: Ledger, book: AwardBook) -> None:
    """Keep this state for the next write, once the transaction commits."""
    if settings.KEEP_PROGRAMS <= 0 or len(ledger.fingerprints) > settings.KEEP_EVENTS:
        return

    key = _key(program)

    def store() -> None:
        with _guard:
            _kept[key] = _Kept(revision, ledger, book)
            _kept.move_to_end(key)
            while len(_kept) > settings.KEEP_PROGRAMS:
                _kept.popitem(last=False)

    transaction.on_commit(store)
