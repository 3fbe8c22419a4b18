"""SQLite whose writers wait in line for the write lock instead of polling it.

SQLite's busy timeout retries a locked database after growing sleeps of up to
100 ms, so under many writers one transaction can lose to newcomers again and
again: most requests pass at once while a few wait seconds. Here a writing
transaction first takes an exclusive ``flock`` on a file beside the database
and lets it go when it commits or rolls back; the kernel wakes the next
writer as soon as the lock is free. SQLite's own lock still guards the data:
the line only decides who asks for it next, so a writer that bypasses it
(a statement outside a transaction, another program) is merely slower.
"""

import fcntl
import os
from typing import Any

from django.db.backends.sqlite3 import base

# Transactions that take SQLite's write lock when they begin.
_WRITING_MODES = ("IMMEDIATE", "EXCLUSIVE")


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._line: int | None = None
        self._in_line = False

    def _start_transaction_under_autocommit(self) -> None:
        self._wait_in_line()
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]
        except BaseException:
            self._leave_line()
            raise

    def _commit(self) -> None:
        try:
            super()._commit()  # type: ignore[misc]
        finally:
            self._leave_line()

    def _rollback(self) -> None:
        try:
            super()._rollback()  # type: ignore[misc]
        finally:
            self._leave_line()

    def _close(self) -> None:
        try:
            super()._close()  # type: ignore[misc]
        finally:
            self._leave_line()
            if self._line is not None:
                os.close(self._line)
                self._line = None

    def _wait_in_line(self) -> None:
        mode = self.transaction_mode  # type: ignore[attr-defined]
        if mode not in _WRITING_MODES or self.is_in_memory_db():
            return
        if self._line is None:
            path = f"{self.settings_dict['NAME']}.lock"
            self._line = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        fcntl.flock(self._line, fcntl.LOCK_EX)
        self._in_line = True

    def _leave_line(self) -> None:
        if self._in_line and self._line is not None:
            fcntl.flock(self._line, fcntl.LOCK_UN)
        self._in_line = False
