import io
import re

from django.test import Client
from PIL import Image

from mentorbadges.badges.models import Award
from mentorbadges.programs.models import Program
from mentorbadges.sharing.figures import Period
from mentorbadges.sharing.models import ShareLink
from mentorbadges.sharing.services import share_summary
from tests.history import History


def meta(html: str) -> dict[str, str]:
    found = re.findall(r'<meta (?:property|name)="([^"]+)" content="([^"]*)"', html)
    return dict(found)


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


def test_an_unknown_or_revoked_token_answers_404(
    program: Program, scene: History
) -> None:
    link = share_summary(program, None, Period())
    ShareLink.objects.filter(pk=link.pk).update(revoked_at="2026-03-01T00:00Z")

    assert Client().get(f"/s/{link.token}/").status_code == 404
    assert Client().get("/s/not-a-token/").status_code == 404
