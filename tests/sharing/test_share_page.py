from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

from django.test import Client
from django.utils import timezone

from mentorbadges.badges.models import Award
from mentorbadges.programs.models import Program
from mentorbadges.sharing.models import ShareLink
from tests.history import History

PAGE = "/p/north/share/"


def live(program: Program) -> list[ShareLink]:
    return list(ShareLink.objects.filter(program=program, revoked_at__isnull=True))


def test_a_coordinator_creates_a_public_page_for_a_period(
    coordinator: Client, program: Program, scene: History
) -> None:
    response = coordinator.post(
        PAGE, {"starts_on": "2026-01-01", "ends_on": "2026-01-31"}, follow=True
    )

    [link] = live(program)
    assert (str(link.starts_on), str(link.ends_on)) == ("2026-01-01", "2026-01-31")
    assert len(link.token) >= 32
    body = response.content.decode()
    assert f"http://testserver/s/{link.token}/" in body
    assert "1 January 2026 to 31 January 2026" in body


def test_the_share_button_opens_linkedins_dialog_with_the_page_address(
    coordinator: Client, program: Program, scene: History
) -> None:
    response = coordinator.post(PAGE, {}, follow=True)

    [link] = live(program)
    dialog = next(
        a for a in response.content.decode().split('"') if "share-offsite" in a
    )
    address = urlsplit(dialog.replace("&amp;", "&"))
    assert address.netloc == "www.linkedin.com"
    assert address.path == "/sharing/share-offsite/"
    assert parse_qs(address.query) == {"url": [f"http://testserver/s/{link.token}/"]}


def test_sharing_the_same_choices_again_reuses_the_live_page(
    coordinator: Client, program: Program, scene: History
) -> None:
    coordinator.post(PAGE, {"starts_on": "2026-01-01"})
    coordinator.post(PAGE, {"starts_on": "2026-01-01"})
    coordinator.post(PAGE, {"starts_on": "2026-02-01"})

    assert len(live(program)) == 2


def test_the_public_address_follows_the_configured_public_url(
    coordinator: Client, program: Program, scene: History, settings: object
) -> None:
    settings.PUBLIC_URL = "https://badges.example.org/"  # type: ignore[attr-defined]

    response = coordinator.post(PAGE, {}, follow=True)

    [link] = live(program)
    assert f"https://badges.example.org/s/{link.token}/" in response.content.decode()


def test_a_coordinator_picks_a_feedback_quote_and_whether_to_name_people(
    coordinator: Client, program: Program, scene: History
) -> None:
    kudos = Award.objects.get(program=program, badge="trust")

    page = coordinator.get(PAGE).content.decode()
    coordinator.post(PAGE, {"quote": kudos.pk, "quote_names": "on"})

    assert "Always made me feel heard" in page
    [link] = live(program)
    assert (link.quote, link.quote_names) == (kudos, True)


def test_a_quote_that_is_not_a_feedback_of_the_program_is_refused(
    coordinator: Client, program: Program, scene: History
) -> None:
    achievement = Award.objects.filter(program=program, badge="momentum").first()
    assert achievement is not None

    response = coordinator.post(PAGE, {"quote": achievement.pk})

    assert response.status_code == 422
    assert "can no longer be featured" in response.content.decode()
    assert live(program) == []


def test_the_quote_picker_offers_only_feedback_of_the_chosen_period(
    coordinator: Client, program: Program, scene: History
) -> None:
    january = {"starts_on": "2026-01-01", "ends_on": "2026-01-31"}
    february = {"starts_on": "2026-02-01", "ends_on": "2026-02-28"}

    in_january = coordinator.post(PAGE, {**january, "show_quotes": "1"})
    in_february = coordinator.post(PAGE, {**february, "show_quotes": "1"})

    assert "Always made me feel heard" in in_january.content.decode()
    assert "Always made me feel heard" not in in_february.content.decode()
    assert 'value="2026-02-01"' in in_february.content.decode()
    assert live(program) == []


def test_a_quote_from_outside_the_chosen_period_is_refused(
    coordinator: Client, program: Program, scene: History
) -> None:
    kudos = Award.objects.get(program=program, badge="trust")

    response = coordinator.post(
        PAGE, {"starts_on": "2026-02-01", "ends_on": "2026-02-28", "quote": kudos.pk}
    )

    assert response.status_code == 422
    assert "not given in the chosen period" in response.content.decode()
    assert live(program) == []


def test_a_period_that_ends_before_it_starts_is_refused(
    coordinator: Client, program: Program, scene: History
) -> None:
    response = coordinator.post(
        PAGE, {"starts_on": "2026-02-01", "ends_on": "2026-01-01"}
    )

    assert response.status_code == 422
    assert "The last day comes before the first." in response.content.decode()


def test_a_period_that_starts_in_the_future_is_refused(
    coordinator: Client, program: Program, scene: History
) -> None:
    later = (timezone.now() + timedelta(days=3)).date().isoformat()

    response = coordinator.post(PAGE, {"starts_on": later})

    assert response.status_code == 422
    assert "The first day is in the future" in response.content.decode()
    assert live(program) == []


def test_a_period_that_ends_in_the_future_or_past_the_calendar_is_refused(
    coordinator: Client, program: Program, scene: History
) -> None:
    later = (timezone.now() + timedelta(days=3)).date().isoformat()

    soon = coordinator.post(PAGE, {"ends_on": later})
    far = coordinator.post(PAGE, {"ends_on": "9999-12-31"})

    assert soon.status_code == far.status_code == 422
    assert "The last day is in the future" in soon.content.decode()
    assert "Choose a day from 1 January 2000 to 31 December 2099." in (
        far.content.decode()
    )
    assert live(program) == []


def test_revoking_a_link_makes_its_page_answer_404_at_once(
    coordinator: Client, program: Program, scene: History
) -> None:
    coordinator.post(PAGE, {})
    [link] = live(program)
    assert Client().get(f"/s/{link.token}/").status_code == 200

    coordinator.post(f"{PAGE}{link.pk}/revoke/")

    assert Client().get(f"/s/{link.token}/").status_code == 404
    assert Client().get(f"/s/{link.token}/preview.png").status_code == 404
    assert live(program) == []


def test_staff_of_another_program_get_404(
    outsider: Client, coordinator: Client, program: Program, scene: History
) -> None:
    coordinator.post(PAGE, {})
    [link] = live(program)

    assert outsider.get(PAGE).status_code == 404
    assert outsider.post(PAGE, {}).status_code == 404
    assert outsider.post(f"{PAGE}{link.pk}/revoke/").status_code == 404
    assert live(program) == [link]


def test_participants_cannot_share_the_program(ben: Client) -> None:
    assert ben.get(PAGE).status_code == 404
    assert ben.post(PAGE, {}).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(program: Program) -> None:
    response = Client().get(PAGE)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
