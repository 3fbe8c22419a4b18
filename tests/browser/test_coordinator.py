import csv
import io

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from mentorbadges.programs.models import Program, sort_name
from mentorbadges.reports.csv import csv_chunks
from mentorbadges.reports.table import TableQuery, export_awards
from tests.browser.conftest import make_coordinator, sign_in
from tests.history import History
from tests.scene import mentoring_scene

pytestmark = pytest.mark.browser


@pytest.fixture
def coordinator_page(
    page: Page, live_server: LiveServer, browser_program: Program
) -> Page:
    mentoring_scene(browser_program, History(), loops=12)
    make_coordinator(browser_program)
    sign_in(page, live_server.url, "coordinator")
    return page


def recipients(page: Page) -> list[str]:
    return page.locator("tbody tr td:nth-child(5)").all_inner_texts()


def test_a_coordinator_sorts_all_badges_by_recipient_across_pages(
    coordinator_page: Page,
) -> None:
    page = coordinator_page
    page.get_by_role("link", name="Kudos for North Mentoring").click()
    page.get_by_role("link", name="All Badges").click()

    page.get_by_role("link", name="Recipient").click()
    expect(page.locator("th[aria-sort=ascending]")).to_have_text("Recipient")
    first = recipients(page)
    page.get_by_role("link", name="Next").click()
    expect(page.get_by_text("Showing 51\N{EN DASH}")).to_be_visible()
    second = recipients(page)

    seen = first + second
    assert len(first) == 50 and second
    assert [sort_name(n) for n in seen] == sorted(sort_name(n) for n in seen)
    assert seen[0] == "Ana Álvarez"
    assert "sort=recipient" in page.url and "page=2" in page.url


def test_a_coordinator_exports_the_csv_of_the_current_filter(
    coordinator_page: Page, live_server: LiveServer, browser_program: Program
) -> None:
    page = coordinator_page
    page.goto(f"{live_server.url}/p/north/kudos/all/")
    page.get_by_label("Type").select_option("kudos")
    expect(page.get_by_role("link", name="Clear")).to_be_visible()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Export CSV").click()
    path = download_info.value.path()

    body = path.read_bytes()
    expected = b"".join(
        csv_chunks(
            export_awards(browser_program, TableQuery(type="kudos")), browser_program
        )
    )
    assert body == expected
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert len(rows) == 24
    assert {row["type"] for row in rows} == {"Kudos"}


def test_a_coordinator_withdraws_a_kudos(
    coordinator_page: Page, live_server: LiveServer
) -> None:
    page = coordinator_page
    page.goto(
        f"{live_server.url}/p/north/kudos/all/?type=kudos&sort=recipient&order=asc"
    )
    page.get_by_role("link", name="Withdraw the Trust kudos for Ana Álvarez").click()
    page.get_by_label("Why is it withdrawn?").fill("Shared private details.")

    page.get_by_role("button", name="Withdraw kudos").click()

    expect(page.get_by_text("It no longer counts anywhere")).to_be_visible()
    expect(page.get_by_text("Showing 1\N{EN DASH}23 of 23")).to_be_visible()


def test_dates_typed_into_the_filter_are_kept_until_it_is_applied(
    coordinator_page: Page, live_server: LiveServer
) -> None:
    page = coordinator_page
    page.goto(f"{live_server.url}/p/north/kudos/all/")
    since = page.get_by_label("From")
    # Typed key by key, as a person does: each digit changes the field.
    since.press_sequentially("01022026")
    page.get_by_label("To").press_sequentially("02282026")

    expect(since).to_have_value("2026-01-02")
    expect(page.get_by_label("To")).to_have_value("2026-02-28")
    page.get_by_role("button", name="Filter").click()

    expect(page.get_by_role("link", name="Clear")).to_be_visible()
    assert "since=2026-01-02" in page.url and "until=2026-02-28" in page.url


def test_a_name_without_spaces_wraps_instead_of_widening_the_pages(
    coordinator_page: Page, live_server: LiveServer, browser_program: Program
) -> None:
    long_name = "Ana" + "x" * 197
    browser_program.participant_set.filter(name="Ana Álvarez").update(
        name=long_name, sort_name=sort_name(long_name)
    )
    page = coordinator_page
    page.set_viewport_size({"width": 1280, "height": 800})

    for path in ("kudos/all/?sort=recipient", "kudos/", "people/"):
        page.goto(f"{live_server.url}/p/north/{path}")
        expect(page.get_by_text(long_name).first).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 1280, path

    # Short words in the other cells stay whole on their line.
    page.goto(f"{live_server.url}/p/north/kudos/all/?sort=recipient")
    broken = page.evaluate(
        """() => [...document.querySelectorAll('tbody td')]
            .filter(cell => !cell.textContent.trim().includes(' '))
            .filter(cell => cell.textContent.trim().length < 20)
            .filter(cell => {
                const range = document.createRange();
                range.selectNodeContents(cell);
                const lines = [...range.getClientRects()]
                    .filter(rect => rect.width > 0)
                    .map(rect => Math.round(rect.top));
                return new Set(lines).size > 1;
            })
            .map(cell => cell.textContent.trim())"""
    )
    assert broken == []


def test_the_admin_navigation_fits_one_line_on_a_laptop_screen(
    page: Page, live_server: LiveServer, browser_program: Program
) -> None:
    mentoring_scene(browser_program, History(), loops=2)
    admin = make_coordinator(browser_program)
    admin.staffrole_set.update(role="admin")
    Program.objects.filter(pk=browser_program.pk).update(name="Northwind Mentoring")
    sign_in(page, live_server.url, "coordinator")
    page.set_viewport_size({"width": 1280, "height": 800})

    page.goto(f"{live_server.url}/p/north/kudos/")

    links = page.locator(".nav a")
    expect(links.filter(has_text="API tokens")).to_be_visible()
    tops = {round(box["y"]) for box in (a.bounding_box() for a in links.all()) if box}
    assert len(tops) == 1, tops
