"""The sharing flows in a real Chromium against the live server."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from mentorbadges.programs.models import Program
from mentorbadges.sharing.models import Publication, ShareLink
from tests.history import History
from tests.sharing.conftest import participant_user, staff_user

pytestmark = pytest.mark.browser


def sign_in(page: Page, server: LiveServer, user: User) -> None:
    page.goto(f"{server.url}/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(f"pw-{user.username}")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{server.url}/")


def test_a_coordinator_shares_the_summary_and_sees_its_preview(
    page: Page,
    live_server: LiveServer,
    transactional_db: None,
    scene: History,
    program: Program,
) -> None:
    sign_in(page, live_server, staff_user(program, "coordinator"))
    page.goto(f"{live_server.url}/p/north/share/")

    page.get_by_label("From").fill("2026-01-01")
    page.get_by_label("Until").fill("2026-01-31")
    page.get_by_role("button", name="Create the page").click()

    link = ShareLink.objects.get(program=program)
    public = f"{live_server.url}/s/{link.token}/"
    preview = page.get_by_role("img", name="Preview of the summary page")
    expect(preview).to_be_visible()
    page.wait_for_function("() => document.querySelector('img[alt^=Preview]').complete")
    width = preview.evaluate("image => image.naturalWidth")
    height = preview.evaluate("image => image.naturalHeight")
    assert (width, height) == (1200, 627)
    dialog = page.get_by_role("link", name="Share on LinkedIn").get_attribute("href")
    assert dialog is not None
    assert parse_qs(urlsplit(dialog).query) == {"url": [public]}

    page.goto(public)
    expect(page.get_by_role("heading", name="North Mentoring")).to_be_visible()
    expect(page.get_by_text("1 January 2026 to 31 January 2026")).to_be_visible()

    page.goto(f"{live_server.url}/p/north/share/")
    page.get_by_role("button", name="Revoke link").click()
    expect(page.get_by_text("The link is revoked")).to_be_visible()
    assert page.goto(public).status == 404  # type: ignore[union-attr]


def test_a_participant_publishes_an_achievement_and_adds_it_to_linkedin(
    page: Page,
    live_server: LiveServer,
    transactional_db: None,
    scene: History,
    program: Program,
) -> None:
    sign_in(page, live_server, participant_user(program, "ana"))
    page.goto(f"{live_server.url}/me/achievements/")

    certified = page.locator("li.card", has_text="Certified")
    certified.get_by_role("button", name="Publish Certified as an Open Badge").click()

    expect(page.get_by_text("Certified is published.")).to_be_visible()
    publication = Publication.objects.get()
    add = certified.get_by_role("link", name="Add to LinkedIn profile")
    query = parse_qs(urlsplit(add.get_attribute("href") or "").query)
    verify = f"{live_server.url}/ob/verify/{publication.public_id}/"
    assert query["certUrl"] == [verify]
    assert query["name"] == ["Certified"]

    page.goto(verify)
    expect(page.get_by_text("Valid.")).to_be_visible()
    badge = page.get_by_role("img", name="Certified badge")
    page.wait_for_function("() => document.querySelector('img').complete")
    assert badge.evaluate("image => image.naturalWidth") == 400
