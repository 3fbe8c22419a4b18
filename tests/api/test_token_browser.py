"""Revoking an API token in a real Chromium asks before it acts."""

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from mentorbadges.api.models import ApiToken
from mentorbadges.programs.models import Program, StaffRole

pytestmark = pytest.mark.browser


def test_an_admin_revokes_a_token_only_after_confirming(
    page: Page, live_server: LiveServer, transactional_db: None
) -> None:
    program = Program.objects.create(slug="north", name="North Mentoring")
    admin = User.objects.create_user("admin", password="pw-admin")
    StaffRole.objects.create(program=program, user=admin, role=StaffRole.ADMIN)
    token, _ = ApiToken.issue(program, "Our platform")
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill("pw-admin")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/p/north/tokens/")
    confirm = page.get_by_role("button", name="Revoke “Our platform”")
    expect(confirm).to_be_hidden()
    page.get_by_text("Revoke…").click()
    expect(page.get_by_text("This cannot be undone.")).to_be_visible()
    token.refresh_from_db()
    assert token.revoked_at is None

    confirm.click()

    expect(page.get_by_text("no longer opens the API")).to_be_visible()
    token.refresh_from_db()
    assert token.revoked_at is not None
