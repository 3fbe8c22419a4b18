import json
from collections.abc import Iterable

import pytest

from mentorbadges.activity.ingest import Outcome
from mentorbadges.activity.services import apply_events, import_lines
from mentorbadges.badges.models import Award
from mentorbadges.programs.models import Program
from mentorbadges.reports.csv import export_csv
from tests.history import Event, History


@pytest.fixture
def program(db: None) -> Program:
    return Program.objects.create(slug="north", name="North Mentoring")


@pytest.fixture
def other_program(db: None) -> Program:
    return Program.objects.create(slug="south", name="South Mentoring")


@pytest.fixture
def history() -> History:
    return History()


def as_lines(events: Iterable[Event]) -> list[bytes]:
    return [json.dumps(event).encode() for event in events]


def import_events(program: Program, events: Iterable[Event]) -> list[Outcome]:
    return import_lines(program, as_lines(events)).rejections


def post_events(program: Program, events: Iterable[Event]) -> list[Outcome]:
    return apply_events(program, list(events))


def export_text(program: Program) -> str:
    return b"".join(export_csv(program)).decode("utf-8-sig")


def standing(program: Program) -> set[tuple[str, str, str, int, str]]:
    """Return (recipient, loop, badge, level, time) of the awards that stand."""
    rows = Award.objects.filter(program=program, revoked_at__isnull=True)
    return {
        (
            award.recipient.external_id,
            award.loop.external_id if award.loop else "",
            award.badge,
            award.level,
            award.awarded_at.isoformat(),
        )
        for award in rows.select_related("recipient", "loop")
    }
