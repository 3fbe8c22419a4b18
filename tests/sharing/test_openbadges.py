import hashlib
import io
from typing import Any

import pytest
from django.test import Client
from PIL import Image
from PIL.PngImagePlugin import PngImageFile

from mentorbadges.badges.models import Award
from mentorbadges.privacy.erasure import erase_participant
from mentorbadges.programs.models import Participant, Program
from mentorbadges.sharing.models import Publication
from mentorbadges.sharing.services import publish
from tests.conftest import post_events
from tests.history import History, at
from tests.sharing.conftest import ANA_EMAIL

SERVER = "http://testserver"


@pytest.fixture
def certified(scene: History, program: Program) -> Publication:
    award = Award.objects.get(program=program, badge="certified")
    return publish(award)


def fetch(path: str, status: int = 200) -> dict[str, Any]:
    response = Client().get(path)
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/ld+json"
    document: dict[str, Any] = response.json()
    return document


def test_the_assertion_is_hosted_with_a_hashed_recipient(
    certified: Publication,
) -> None:
    url = f"{SERVER}/ob/assertions/{certified.public_id}"

    assertion = fetch(f"/ob/assertions/{certified.public_id}")

    salt = assertion["recipient"]["salt"]
    digest = hashlib.sha256((ANA_EMAIL.lower() + salt).encode()).hexdigest()
    assert assertion == {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "Assertion",
        "id": url,
        "recipient": {
            "type": "email",
            "hashed": True,
            "salt": salt,
            "identity": f"sha256${digest}",
        },
        "badge": f"{SERVER}/ob/programs/north/badges/certified",
        "verification": {"type": "hosted"},
        "issuedOn": "2026-01-15T09:00:00Z",
        "image": f"{url}/image.png",
    }
    assert ANA_EMAIL.lower() not in str(assertion).lower()


def test_the_badge_class_names_the_level_and_its_criteria(
    scene: History, program: Program
) -> None:
    momentum = Award.objects.get(
        program=program, badge="momentum", recipient__external_id="ana"
    )
    publish(momentum)

    badge = fetch("/ob/programs/north/badges/momentum-bronze")

    assert badge == {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "BadgeClass",
        "id": f"{SERVER}/ob/programs/north/badges/momentum-bronze",
        "name": "Momentum Bronze",
        "description": "Completed meetings in a loop.",
        "image": f"{SERVER}/ob/programs/north/badges/momentum-bronze/image.png",
        "criteria": {"narrative": "Attend 5 completed meetings of one mentoring loop."},
        "issuer": f"{SERVER}/ob/programs/north/issuer",
    }


def test_the_issuer_is_the_program(certified: Publication) -> None:
    issuer = fetch("/ob/programs/north/issuer")

    assert issuer == {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "Issuer",
        "id": f"{SERVER}/ob/programs/north/issuer",
        "name": "North Mentoring",
        "url": f"{SERVER}/",
        "email": "badges@north.example.org",
    }


def test_a_program_nobody_published_from_stays_unknown(
    scene: History, other_program: Program
) -> None:
    assert Client().get("/ob/programs/north/issuer").status_code == 404
    assert Client().get("/ob/programs/north/badges/certified").status_code == 404
    assert Client().get("/ob/programs/south/issuer").status_code == 404


@pytest.mark.parametrize("key", ["trust", "momentum", "certified-gold", "champion-x"])
def test_only_achievement_levels_have_badge_classes(
    certified: Publication, key: str
) -> None:
    assert Client().get(f"/ob/programs/north/badges/{key}").status_code == 404


def test_the_baked_image_carries_the_assertion(certified: Publication) -> None:
    response = Client().get(f"/ob/assertions/{certified.public_id}/image.png")

    image = Image.open(io.BytesIO(response.content))
    assert isinstance(image, PngImageFile)
    assert f"/ob/assertions/{certified.public_id}" in image.text["openbadges"]
    badge_image = Client().get("/ob/programs/north/badges/certified/image.png")
    plain = Image.open(io.BytesIO(badge_image.content))
    assert isinstance(plain, PngImageFile)
    assert "openbadges" not in plain.text


def test_a_correction_revokes_the_assertion(scene: History, program: Program) -> None:
    momentum = Award.objects.get(
        program=program, badge="momentum", recipient__external_id="ana"
    )
    publication = publish(momentum)
    retractions = [
        scene.add("meeting.retracted", at(60), loop="l1", meeting=f"l1-m{n}")
        for n in (1, 2)
    ]

    post_events(program, retractions)

    revoked = fetch(f"/ob/assertions/{publication.public_id}", status=410)
    assert revoked == {
        "@context": "https://w3id.org/openbadges/v2",
        "id": f"{SERVER}/ob/assertions/{publication.public_id}",
        "revoked": True,
        "revocationReason": "The achievement is no longer reached after a "
        "correction of the recorded activity.",
    }
    image = Client().get(f"/ob/assertions/{publication.public_id}/image.png")
    assert image.status_code == 404


def test_erasing_the_recipient_revokes_the_assertion(
    certified: Publication, program: Program
) -> None:
    erase_participant(Participant.objects.get(program=program, external_id="ana"), None)

    revoked = fetch(f"/ob/assertions/{certified.public_id}", status=410)

    assert revoked["revocationReason"] == "The recipient's personal data was erased."
    page = Client().get(f"/ob/verify/{certified.public_id}/")
    assert page.status_code == 410
    assert "Former participant" not in page.content.decode()
    assert "Ana" not in page.content.decode()


def test_the_verification_page_says_what_was_earned_and_that_it_stands(
    certified: Publication,
) -> None:
    response = Client().get(f"/ob/verify/{certified.public_id}/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Certified</h1>" in html
    assert "issued by North Mentoring" in html
    assert "Earned by Ana Álvarez on 15 January 2026." in html
    assert "Valid." in html


def test_an_unknown_assertion_answers_404(scene: History) -> None:
    assert Client().get("/ob/assertions/nothing-here").status_code == 404
    assert Client().get("/ob/verify/nothing-here/").status_code == 404
