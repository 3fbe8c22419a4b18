import json
import os
from collections.abc import Iterable, Iterator

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

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


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One system Chromium for the whole run, shared by every browser test."""
    # Playwright's sync API runs an event loop in this thread; Django's guard
    # against database calls from async code would otherwise refuse fixtures.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()
