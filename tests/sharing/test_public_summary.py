import io
import re
from datetime import date
from itertools import combinations

from django.template.loader import render_to_string
from django.test import Client
from PIL import Image

from mentorbadges.badges.catalogue import KUDOS
from mentorbadges.badges.models import Award
from mentorbadges.programs.models import Program
from mentorbadges.sharing.figures import (
    CategoryCount,
    Period,
    ShareFigures,
    bar_fraction,
    share_figures,
)
from mentorbadges.sharing.images import PREVIEW_SIZE, Box, preview_layout
from mentorbadges.sharing.models import ShareLink
from mentorbadges.sharing.services import share_summary
from tests.history import History


def meta(html: str) -> dict[str, str]:
    found = re.findall(r'<meta (?:property|name)="([^"]+)" content="([^"]*)"', html)
    return dict(found)


def large_figures() -> ShareFigures:
    """A long name and period, and figures in the thousands."""
    counts = [1438, 912, 40, 0, 377]
    most = max(counts)
    categories = [
        CategoryCount(b.code, b.name, b.description, n, bar_fraction(n, most))
        for b, n in zip(KUDOS, counts, strict=True)
    ]
    return ShareFigures(
        program_name="North Mentoring Programme of the Greater Yorkshire Region",
        period=Period(date(2026, 1, 1), date(2026, 11, 30)),
        kudos_total=sum(counts),
        categories=categories,
        loops_recognised=1234,
        participants_recognised=2345,
        achievements_total=3456,
        highlights=[],
        quote=None,
    )


def overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def bar_on_its_track(one: str, other: str) -> bool:
    (kind, _, code), (other_kind, _, other_code) = (
        one.partition(":"),
        other.partition(":"),
    )
    return {kind, other_kind} == {"bar", "track"} and code == other_code


def test_the_page_carries_the_link_preview_tags(
    program: Program, scene: History
) -> None:
    link = share_summary(program, None, Period())

    response = Client().get(f"/s/{link.token}/")

    assert response.status_code == 200
    tags = meta(response.content.decode())
    page = f"http://testserver/s/{link.token}/"
    assert tags["og:url"] == page
    assert tags["og:image"] == page + "preview.png"
    assert (tags["og:image:width"], tags["og:image:height"]) == ("1200", "627")
    assert tags["og:title"] == (
        "North Mentoring: 2 kudos shared, 2 participants recognised"
    )
    assert tags["og:description"] == (
        "North Mentoring, since the program began: 2 kudos shared, "
        "2 participants recognised, across 1 mentoring loop; 4 achievements earned."
    )
    assert tags["twitter:card"] == "summary_large_image"
    assert "no-cache" in response["Cache-Control"]


def test_the_page_shows_program_level_figures_and_no_names(
    program: Program, scene: History
) -> None:
    link = share_summary(program, None, Period())

    html = Client().get(f"/s/{link.token}/").content.decode()

    assert "Momentum Bronze" in html
    assert "Always made me feel heard" not in html
    for name in ("Ana", "Álvarez", "ben Brown", "Cleo"):
        assert name not in html


def test_a_chosen_quote_appears_without_names_unless_chosen(
    program: Program, scene: History
) -> None:
    kudos = Award.objects.get(program=program, badge="trust")
    anonymous = share_summary(program, None, Period(), kudos, quote_names=False)
    named = share_summary(program, None, Period(), kudos, quote_names=True)

    plain = Client().get(f"/s/{anonymous.token}/").content.decode()
    with_names = Client().get(f"/s/{named.token}/").content.decode()

    assert "Always made me feel heard" in plain
    assert "Álvarez" not in plain and "ben Brown" not in plain
    assert "Trust kudos to Ana Álvarez from ben Brown" in with_names


def test_the_preview_is_a_1200_by_627_png(program: Program, scene: History) -> None:
    link = share_summary(program, None, Period())

    response = Client().get(f"/s/{link.token}/preview.png")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    assert (image.format, image.size) == ("PNG", (1200, 627))


def test_the_description_keeps_the_capitals_of_month_names(
    program: Program, scene: History
) -> None:
    link = share_summary(program, None, Period(date(2026, 1, 1), date(2026, 11, 30)))

    tags = meta(Client().get(f"/s/{link.token}/").content.decode())

    expected = "North Mentoring, 1 January 2026 to 30 November 2026: "
    assert tags["description"].startswith(expected)
    assert tags["og:description"].startswith(expected)


def test_nothing_in_the_preview_overlaps_anything_else() -> None:
    placed = preview_layout(large_figures())

    inside = (0, 0, PREVIEW_SIZE[0], PREVIEW_SIZE[1])
    for name, box in placed:
        assert box[0] >= inside[0] and box[1] >= inside[1], name
        assert box[2] <= inside[2] and box[3] <= inside[3], name
    for (one, a), (other, b) in combinations(placed, 2):
        if bar_on_its_track(one, other):
            continue
        assert not overlap(a, b), f"{one!r} overlaps {other!r}"


def test_the_date_line_ends_above_the_category_heading() -> None:
    boxes = dict(preview_layout(large_figures()))

    date_line = boxes["1 January 2026 to 30 November 2026"]
    assert date_line[3] < boxes["Kudos per category"][1]


def test_the_page_and_the_preview_scale_bars_to_the_largest_category(
    program: Program, scene: History
) -> None:
    link = share_summary(program, None, Period())

    html = Client().get(f"/s/{link.token}/").content.decode()
    boxes = dict(preview_layout(share_figures(program, Period())))

    # Trust and Commitment hold one kudos each: both are the largest.
    assert html.count('<rect width="100.0"') == 2
    assert boxes["bar:trust"] == boxes["track:trust"]
    assert boxes["bar:commitment"] == boxes["track:commitment"]
    assert "bar:networking" not in boxes


def test_the_page_and_the_preview_write_thousands_alike() -> None:
    figures = large_figures()

    html = render_to_string(
        "sharing/public_summary.html",
        {"figures": figures, "page_url": "/", "image_url": "/", "image_size": (1, 1)},
    )
    texts = [text for text, _ in preview_layout(figures)]

    for figure in ("1,438", "2,767", "2,345", "1,234", "3,456"):
        assert figure in texts
        assert f">{figure}<" in html


def test_an_unknown_or_revoked_token_answers_404(
    program: Program, scene: History
) -> None:
    link = share_summary(program, None, Period())
    ShareLink.objects.filter(pk=link.pk).update(revoked_at="2026-03-01T00:00Z")

    assert Client().get(f"/s/{link.token}/").status_code == 404
    assert Client().get("/s/not-a-token/").status_code == 404
