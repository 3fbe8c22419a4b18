import pytest
from playwright.sync_api import Dialog, Page, expect
from pytest_django.live_server_helper import LiveServer

from mentorbadges.badges.models import Award
from mentorbadges.programs.models import Program
from tests.browser.conftest import make_participant, sign_in
from tests.history import History
from tests.scene import mentoring_scene

pytestmark = pytest.mark.browser

HOSTILE = "<script>alert('owned')</script><img src=x onerror=alert(1)>"


@pytest.fixture
def ben_signed_in(
    page: Page, live_server: LiveServer, browser_program: Program
) -> Page:
    mentoring_scene(browser_program, History())
    make_participant("ben", "ben")
    sign_in(page, live_server.url, "ben")
    return page


def test_a_participant_gives_kudos_and_sees_it_counted(
    ben_signed_in: Page, live_server: LiveServer
) -> None:
    page = ben_signed_in
    page.get_by_role("link", name="Give kudos to Ana Álvarez").click()
    page.get_by_role("radio", name="Expertise").check()
    note = page.get_by_label("A note for Ana Álvarez")
    note.fill("Your feedback on my plan was spot on.")
    expect(page.locator("#feedback-count")).to_have_text("37 / 1,000 characters")

    page.get_by_role("button", name="Send kudos").click()

    expect(page.get_by_role("heading", name="Kudos sent!")).to_be_visible()
    page.get_by_role("link", name="People").click()
    page.get_by_role("link", name="Ana Álvarez").click()
    expect(
        page.get_by_role("img", name="Expertise kudos, received once")
    ).to_be_visible()
    expect(page.get_by_role("img", name="Trust kudos, received once")).to_be_visible()


def test_a_double_click_gives_one_kudos(
    ben_signed_in: Page, live_server: LiveServer
) -> None:
    page = ben_signed_in
    page.get_by_role("link", name="Give kudos to Ana Álvarez").click()
    page.get_by_role("radio", name="Creativity").check()

    page.get_by_role("button", name="Send kudos").dblclick()

    expect(page.get_by_role("heading", name="Kudos sent!")).to_be_visible()
    assert Award.objects.filter(badge="creativity").count() == 1


def test_hostile_feedback_shows_as_text_and_runs_nothing(
    ben_signed_in: Page, live_server: LiveServer
) -> None:
    page = ben_signed_in
    dialogs: list[str] = []

    def refuse(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", refuse)
    page.get_by_role("link", name="Give kudos to Ana Álvarez").click()
    page.get_by_role("radio", name="Trust").check()
    page.get_by_label("A note for Ana Álvarez").fill(HOSTILE)
    page.get_by_role("button", name="Send kudos").click()

    expect(page.get_by_text(HOSTILE)).to_be_visible()
    make_participant("ana", "ana")
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, live_server.url, "ana")
    page.get_by_role("link", name="My badges").first.click()
    expect(page.get_by_text(HOSTILE)).to_be_visible()
    assert dialogs == []


def test_kudos_before_the_first_meeting_explain_themselves(
    ben_signed_in: Page,
) -> None:
    expect(
        ben_signed_in.get_by_text("Kudos open after your first meeting together.")
    ).to_be_visible()
