"""The pages work under the content security policy: nothing is blocked."""

import pytest
from playwright.sync_api import Page

from mentorbadges.programs.models import Participant, Program
from tests.browser.conftest import make_coordinator, sign_in
from tests.history import History
from tests.scene import mentoring_scene

pytestmark = pytest.mark.browser

WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(e.violatedDirective + " " + e.blockedURI);
});
"""


def test_staff_pages_and_the_api_docs_run_with_nothing_blocked(
    page: Page, live_server: object, browser_program: Program
) -> None:
    base = str(live_server)
    mentoring_scene(browser_program, History())
    make_coordinator(browser_program)
    ana = Participant.objects.get(external_id="ana").pk
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    page.add_init_script(WATCH)
    sign_in(page, base, "coordinator")

    violations: list[str] = []
    for path in (
        "/",
        "/p/north/kudos/",
        "/p/north/kudos/all/",
        "/p/north/people/",
        f"/p/north/people/{ana}/",
        "/p/north/health/",
        "/p/north/audit/",
        "/p/north/share/",
    ):
        page.goto(f"{base}{path}")
        page.wait_for_load_state("networkidle")
        violations += page.evaluate("window.__violations")
    page.goto(f"{base}/p/north/kudos/all/")
    page.get_by_role("link", name="Recipient").first.click()
    page.wait_for_load_state("networkidle")
    violations += page.evaluate("window.__violations")
    page.goto(f"{base}/api/docs")
    page.get_by_text("Apply activity events").first.wait_for()
    violations += page.evaluate("window.__violations")

    assert violations == []
    assert not [text for text in console if "Content Security Policy" in text]
