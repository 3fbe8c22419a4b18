import csv
import io
import os

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from mentorbadges.programs.models import Program
from tests.browser.conftest import make_coordinator, make_participant, sign_in
from tests.history import History
from tests.scene import mentoring_scene

pytestmark = pytest.mark.browser


def shoot(page: Page, name: str) -> None:
    folder = os.environ.get("MENTORBADGES_SCREENSHOTS")
    if folder:
        page.screenshot(path=f"{folder}/{name}.png", full_page=True)


def test_a_coordinator_reads_program_health_as_charts_and_tables(
    page: Page, live_server: LiveServer, browser_program: Program
) -> None:
    mentoring_scene(browser_program, History(), loops=4)
    make_coordinator(browser_program)
    sign_in(page, live_server.url, "coordinator")

    page.goto(f"{live_server.url}/p/north/health/")
    expect(page.get_by_role("heading", name="Program health")).to_be_visible()
    expect(page.get_by_role("img", name="Badges awarded per month")).to_be_visible()
    expect(page.get_by_role("img", name="Levels reached")).to_be_visible()
    shoot(page, "health")

    page.get_by_text("Show as a table").click()
    expect(page.get_by_role("table", name="Badges awarded per month")).to_be_visible()
    expect(
        page.get_by_role("heading", name="Quiet for over six weeks (5)")
    ).to_be_visible()

    with page.expect_download() as download:
        page.get_by_role("link", name="Download figures (CSV)").click()
    with open(download.value.path(), encoding="utf-8-sig") as saved:
        text = saved.read()
    rows = list(csv.reader(io.StringIO(text)))
    assert ["Loops with at least one kudos (%)", "All loops", "80", "4", "5"] in rows


def test_a_participant_reads_their_notifications_and_marks_them_read(
    page: Page, live_server: LiveServer, browser_program: Program
) -> None:
    mentoring_scene(browser_program, History())
    make_participant("ben", "ben")
    sign_in(page, live_server.url, "ben")

    page.goto(f"{live_server.url}/notifications/")
    kudos = page.get_by_role("heading", name="Ana Álvarez gave you a Commitment kudos")
    expect(kudos).to_be_visible()
    expect(
        page.get_by_role("heading", name="You earned Momentum Bronze")
    ).to_be_visible()
    shoot(page, "notifications")

    page.get_by_role("button", name="Mark all as read").click()

    expect(page.get_by_text("You are all caught up.")).to_be_visible()
    expect(page.get_by_role("button", name="Mark all as read")).to_have_count(0)
