"""A published assertion passes the Open Badges validator (the "openbadges"
package), run against the live server in its own environment."""

import json
import os
import subprocess
from pathlib import Path
from typing import Any
from urllib.request import urlopen

import pytest
from pytest_django.live_server_helper import LiveServer

from mentorbadges.badges.models import Award
from mentorbadges.programs.models import Program
from mentorbadges.sharing.models import Publication
from mentorbadges.sharing.services import publish, withdraw
from tests.history import History
from tests.sharing.conftest import ANA_EMAIL

REPO = Path(__file__).resolve().parents[2]
DRIVER = Path(__file__).with_name("validate_badge.py")
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
VALIDATOR_DIR = Path(
    os.environ.get(
        "MENTORBADGES_OB_VALIDATOR", CACHE / "mentorbadges" / "openbadges-validator"
    )
)


@pytest.fixture(scope="session")
def validator() -> Path:
    """Return the validator's interpreter, building its environment once."""
    python = VALIDATOR_DIR / "bin" / "python"
    if not python.exists():
        built = subprocess.run(
            [REPO / "scripts" / "openbadges-validator", str(VALIDATOR_DIR)],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        if built.returncode != 0 or not python.exists():
            pytest.fail(
                "The Open Badges validator could not be installed (pip needs the "
                f"package index): {built.stderr.strip()[-300:]}"
            )
    return python


def validate(
    validator: Path, target: str, server: LiveServer, email: str | None = None
) -> dict[str, Any]:
    command = [str(validator), str(DRIVER), target, server.url]
    if email:
        command.append(email)
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    report: dict[str, Any] = json.loads(done.stdout)["report"]
    return report


def errors(report: dict[str, Any]) -> list[str]:
    return [m["result"] for m in report["messages"] if m["messageLevel"] == "ERROR"]


@pytest.fixture
def published(transactional_db: None, scene: History, program: Program) -> Publication:
    return publish(Award.objects.get(program=program, badge="certified"))


def test_a_published_assertion_is_valid_and_names_its_recipient(
    validator: Path, live_server: LiveServer, published: Publication
) -> None:
    url = f"{live_server.url}/ob/assertions/{published.public_id}"

    report = validate(validator, url, live_server, email=ANA_EMAIL.lower())

    assert errors(report) == []
    assert report["valid"] is True
    assert report["openBadgesVersion"] == "2.0"
    assert report["recipientProfile"] == {"email": ANA_EMAIL.lower()}


def test_a_levelled_achievement_is_valid(
    validator: Path,
    live_server: LiveServer,
    transactional_db: None,
    scene: History,
    program: Program,
) -> None:
    momentum = Award.objects.get(
        program=program, badge="momentum", recipient__external_id="ana"
    )
    publication = publish(momentum)
    url = f"{live_server.url}/ob/assertions/{publication.public_id}"

    report = validate(validator, url, live_server)

    assert errors(report) == []
    assert report["valid"] is True


def test_the_baked_badge_image_is_valid(
    validator: Path, live_server: LiveServer, published: Publication, tmp_path: Path
) -> None:
    url = f"{live_server.url}/ob/assertions/{published.public_id}/image.png"
    image = tmp_path / "badge.png"
    with urlopen(url, timeout=10) as response:
        image.write_bytes(response.read())

    report = validate(validator, str(image), live_server)

    assert errors(report) == []
    assert report["valid"] is True


def test_a_withdrawn_assertion_is_no_longer_valid(
    validator: Path, live_server: LiveServer, published: Publication
) -> None:
    withdraw(published)
    url = f"{live_server.url}/ob/assertions/{published.public_id}"

    report = validate(validator, url, live_server)

    assert report["valid"] is False
    assert errors(report)


def test_another_address_does_not_match_the_recipient(
    validator: Path, live_server: LiveServer, published: Publication
) -> None:
    url = f"{live_server.url}/ob/assertions/{published.public_id}"

    report = validate(validator, url, live_server, email="someone@example.org")

    assert report["valid"] is False
    assert any("did not match" in message for message in errors(report))
