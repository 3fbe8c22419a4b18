"""The database failing in the middle of an import keeps nothing of the file."""

from typing import Any

import pytest
from django.db import OperationalError, connection

from mentorbadges.activity.models import Event, Rejection
from mentorbadges.activity.services import import_lines
from mentorbadges.badges.models import Award
from mentorbadges.programs.models import Loop, Membership, Participant, Program
from tests.conftest import as_lines, export_text
from tests.history import History
from tests.scene import mentoring_scene

pytestmark = pytest.mark.django_db(transaction=True)


class FailAfter:
    """Let ``allowed`` statements of the import's transaction through, then fail."""

    def __init__(self, allowed: int) -> None:
        self.allowed = allowed
        self.seen = 0
        self.after_import = False

    def __call__(
        self, execute: Any, sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        if self.after_import or '"notifications_' in sql or '"api_' in sql:
            # Past the commit: news and webhooks about the import, not the import.
            self.after_import = True
            return execute(sql, params, many, context)

        self.seen += 1
        if self.seen > self.allowed:
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)


def held(program: Program) -> list[int]:
    return [
        model.objects.filter(program=program).count()
        for model in (Event, Rejection, Award, Participant, Loop, Membership)
    ]


@pytest.fixture
def file_lines(other_program: Program, settings: Any) -> tuple[list[bytes], int]:
    """Return a file with a bad line, and how many statements importing it takes."""
    settings.IMPORT_BATCH_SIZE = 10
    scratch = Program.objects.create(slug="scratch", name="Scratch")
    lines = as_lines(mentoring_scene(scratch, History(), loops=3).events)
    lines.insert(5, b"not json")
    counter = FailAfter(10**9)
    with connection.execute_wrapper(counter):
        import_lines(other_program, lines)
    return lines, counter.seen


@pytest.mark.parametrize("share", [0.05, 0.5, 0.95])
def test_a_failure_part_way_keeps_nothing_and_a_rerun_applies_everything(
    share: float, program: Program, other_program: Program, file_lines: Any
) -> None:
    lines, statements = file_lines

    with (
        connection.execute_wrapper(FailAfter(int(statements * share))),
        pytest.raises(OperationalError),
    ):
        import_lines(program, lines)

    assert held(program) == [0, 0, 0, 0, 0, 0]
    report = import_lines(program, lines)
    assert [r.reason for r in report.rejections] == ["invalid_json"]
    assert export_text(program) == export_text(other_program)
    assert held(program) == held(other_program)
