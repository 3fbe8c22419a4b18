import json
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from mentorbadges.activity.models import Event, Rejection
from mentorbadges.activity.services import recompute
from mentorbadges.api.models import ApiToken
from mentorbadges.badges.models import Award
from mentorbadges.notifications.models import Email
from mentorbadges.privacy.erasure import AlreadyErased, erase_participant
from mentorbadges.privacy.models import AuditEntry
from mentorbadges.programs.models import Participant
from mentorbadges.sharing.models import Publication
from mentorbadges.sharing.services import publish
from tests.conftest import export_text, import_events, post_events
from tests.history import at
from tests.security.conftest import Cast, signed_in

NAME = "ben Brown"
EMAIL = "ben.brown@example.org"
FEEDBACK = "Always made me feel heard"


@pytest.fixture
def ben(cast: Cast, django_capture_on_commit_callbacks: Any) -> Participant:
    """Ben with an e-mail address, a refused event naming him, news, a badge out."""
    upsert = {
        "id": "ben-email",
        "type": "participant.upserted",
        "occurred_at": at(30),
        "participant": {"id": "ben", "name": NAME, "email": EMAIL},
    }
    broken = {**upsert, "id": "ben-broken", "occurred_at": "yesterday"}
    thanks = {
        "id": "ana-thanks",
        "type": "kudos.given",
        "occurred_at": at(41),
        "loop": "l1",
        "giver": "ana",
        "recipient": "ben",
        "category": "expertise",
        "feedback": "Great questions.",
    }
    with django_capture_on_commit_callbacks(execute=True):
        rejected = import_events(cast.north, [upsert, broken, thanks])
    assert [r.event_id for r in rejected] == ["ben-broken"]
    person = Participant.objects.get(program=cast.north, external_id="ben")
    achievement = Award.objects.filter(recipient=person, badge="momentum").first()
    assert achievement is not None
    publish(achievement)
    return person


def everything_shown(cast: Cast) -> str:
    coordinator = signed_in(cast.coordinator)
    token = ApiToken.issue(cast.north, "Platform")[1]
    api = Client(headers={"Authorization": f"Bearer {token}"})
    return "\n".join(
        [
            export_text(cast.north),
            coordinator.get("/p/north/kudos/all/").content.decode(),
            coordinator.get("/p/north/kudos/").content.decode(),
            coordinator.get("/p/north/rejections/").content.decode(),
            coordinator.get("/p/north/people/?q=ben").content.decode(),
            api.get("/api/v1/programs/north/badges").content.decode(),
            api.get("/api/v1/programs/north/participants/ben/badges").content.decode(),
        ]
    )


def standing_count(person: Participant) -> int:
    return Award.objects.filter(recipient=person, revoked_at__isnull=True).count()


def test_erasure_replaces_the_name_and_address_everywhere(
    cast: Cast, ben: Participant
) -> None:
    assert NAME in everything_shown(cast)

    erase_participant(ben, cast.admin)

    shown = everything_shown(cast)
    assert NAME not in shown
    assert EMAIL not in shown
    assert f"Former participant {ben.pk}" in export_text(cast.north)
    ben.refresh_from_db()
    assert (ben.name, ben.email) == (f"Former participant {ben.pk}", "")
    assert ben.erased_at is not None


def test_erasure_removes_the_feedback_they_wrote_and_keeps_every_count(
    cast: Cast, ben: Participant
) -> None:
    received = standing_count(ben)
    total = Award.objects.filter(revoked_at__isnull=True).count()

    erase_participant(ben, cast.admin)

    assert FEEDBACK not in export_text(cast.north)
    assert Award.objects.get(giver=ben, badge="trust").feedback == ""
    assert Award.objects.get(recipient=ben, badge="expertise").feedback == (
        "Great questions."
    )
    assert standing_count(ben) == received
    assert Award.objects.filter(revoked_at__isnull=True).count() == total


def test_the_stored_history_no_longer_holds_the_name_the_address_or_the_feedback(
    cast: Cast, ben: Participant
) -> None:
    erase_participant(ben, cast.admin)

    stored = json.dumps(list(Event.objects.values_list("payload", flat=True)))
    refused = " ".join(Rejection.objects.values_list("content", flat=True))
    for secret in (NAME, EMAIL, FEEDBACK):
        assert secret not in stored
        assert secret not in refused


def test_recompute_after_erasure_brings_nothing_back(
    cast: Cast, ben: Participant
) -> None:
    erase_participant(ben, cast.admin)
    before = export_text(cast.north)

    recompute(cast.north)

    assert export_text(cast.north) == before
    ben.refresh_from_db()
    assert ben.name == f"Former participant {ben.pk}"


def test_a_later_upsert_from_the_platform_is_refused_without_keeping_it(
    cast: Cast, ben: Participant
) -> None:
    erase_participant(ben, cast.admin)
    again = {
        "id": "ben-again",
        "type": "participant.upserted",
        "occurred_at": at(60),
        "participant": {"id": "ben", "name": NAME, "email": EMAIL},
    }

    [outcome] = post_events(cast.north, [again])

    assert outcome.reason == "participant_erased"
    ben.refresh_from_db()
    assert ben.name == f"Former participant {ben.pk}"
    kept = Rejection.objects.get(event_id="ben-again").content
    assert NAME not in kept
    assert EMAIL not in kept


def test_the_outbox_forgets_the_address_and_published_badges_are_revoked(
    cast: Cast, ben: Participant
) -> None:
    assert Email.objects.filter(address=EMAIL).exists()

    erase_participant(ben, cast.admin)

    assert not Email.objects.filter(address=EMAIL).exists()
    assert not Email.objects.filter(
        notification__recipient=ben, sent_at__isnull=True
    ).exists()
    assert not Publication.objects.filter(
        award__recipient=ben, withdrawn_at__isnull=True
    ).exists()


def test_the_account_is_closed_and_the_erasure_is_audited(
    cast: Cast, ben: Participant
) -> None:
    erase_participant(ben, cast.admin)

    user = User.objects.get(pk=cast.participant.pk)
    assert not user.is_active
    assert user.username == f"erased-{user.pk}"
    assert Client().login(username="ben", password="pw-ben") is False
    entry = AuditEntry.objects.get(action=AuditEntry.ERASED)
    assert (entry.actor, entry.subject) == (cast.admin, f"Former participant {ben.pk}")
    assert NAME not in entry.detail


def test_a_participant_is_erased_once(cast: Cast, ben: Participant) -> None:
    erase_participant(ben, cast.admin)

    with pytest.raises(AlreadyErased):
        erase_participant(ben, cast.admin)
