import re
from urllib.parse import parse_qs, urlsplit

from django.contrib.auth.models import User
from django.test import Client

from mentorbadges.badges.models import Award
from mentorbadges.programs.models import Program
from mentorbadges.sharing.models import Publication
from tests.history import History

PAGE = "/me/achievements/"


def award_of(program: Program, who: str, badge: str) -> Award:
    return Award.objects.get(
        program=program, recipient__external_id=who, badge=badge, revoked_at=None
    )


def test_a_participant_sees_their_achievements_and_no_kudos(
    ana: Client, program: Program
) -> None:
    html = ana.get(PAGE).content.decode()

    assert "Certified" in html
    assert "Momentum Bronze" in html
    assert "Growing Together" not in html
    assert "Publish" in html
    assert re.search(
        r"Momentum Bronze.*? in your (one-to-one|group) loop with ", html, re.S
    )
    assert " in loop " not in html


def test_nothing_is_published_until_the_participant_chooses(
    ana: Client, program: Program
) -> None:
    ana.get(PAGE)

    assert not Publication.objects.exists()


def test_publishing_gives_an_add_to_linkedin_link_filled_with_the_achievement(
    ana: Client, program: Program
) -> None:
    certified = award_of(program, "ana", "certified")

    response = ana.post(f"{PAGE}{certified.pk}/publish/", follow=True)

    publication = Publication.objects.get(award=certified)
    html = response.content.decode()
    link = next(
        part.replace("&amp;", "&")
        for part in html.split('"')
        if part.startswith("https://www.linkedin.com/profile/add")
    )
    query = parse_qs(urlsplit(link).query)
    assert query == {
        "startTask": ["CERTIFICATION_NAME"],
        "name": ["Certified"],
        "organizationName": ["North Mentoring"],
        "issueYear": ["2026"],
        "issueMonth": ["1"],
        "certUrl": [f"http://testserver/ob/verify/{publication.public_id}/"],
        "certId": [publication.public_id],
    }
    assert "Certified is published." in html


def test_publishing_twice_keeps_one_assertion(ana: Client, program: Program) -> None:
    certified = award_of(program, "ana", "certified")

    ana.post(f"{PAGE}{certified.pk}/publish/")
    ana.post(f"{PAGE}{certified.pk}/publish/")

    assert Publication.objects.filter(award=certified).count() == 1


def test_a_participant_without_an_address_is_told_why_nothing_was_published(
    ben: Client, program: Program
) -> None:
    momentum = award_of(program, "ben", "momentum")

    response = ben.post(f"{PAGE}{momentum.pk}/publish/", follow=True)

    assert not Publication.objects.exists()
    assert "names its recipient by e-mail address" in response.content.decode()


def test_the_sign_in_address_serves_when_the_program_has_none(
    ben: Client, program: Program
) -> None:
    User.objects.filter(username="ben").update(email="ben@example.org")
    momentum = award_of(program, "ben", "momentum")

    ben.post(f"{PAGE}{momentum.pk}/publish/")

    assert Publication.objects.filter(award=momentum).exists()


def test_withdrawing_revokes_the_assertion_and_publishing_again_makes_a_new_one(
    ana: Client, program: Program
) -> None:
    certified = award_of(program, "ana", "certified")
    ana.post(f"{PAGE}{certified.pk}/publish/")
    first = Publication.objects.get(award=certified)

    ana.post(f"{PAGE}{certified.pk}/withdraw/")
    ana.post(f"{PAGE}{certified.pk}/publish/")

    assert Client().get(f"/ob/assertions/{first.public_id}").status_code == 410
    again = Publication.objects.get(award=certified, withdrawn_at=None)
    assert again.public_id != first.public_id
    assert Client().get(f"/ob/assertions/{again.public_id}").status_code == 200


def test_a_participant_cannot_publish_someone_elses_achievement(
    ana: Client, ben: Client, program: Program
) -> None:
    bens = award_of(program, "ben", "momentum")

    assert ana.post(f"{PAGE}{bens.pk}/publish/").status_code == 404
    assert not Publication.objects.exists()


def test_kudos_are_not_published_as_achievements(ana: Client, program: Program) -> None:
    trust = award_of(program, "ana", "trust")

    assert ana.post(f"{PAGE}{trust.pk}/publish/").status_code == 404


def test_staff_without_a_participant_get_404(
    coordinator: Client, program: Program, scene: History
) -> None:
    assert coordinator.get(PAGE).status_code == 404


def test_publishing_needs_a_post(ana: Client, program: Program) -> None:
    certified = award_of(program, "ana", "certified")

    assert ana.get(f"{PAGE}{certified.pk}/publish/").status_code == 405
