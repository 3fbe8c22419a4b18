import json
import uuid
from datetime import timedelta
from typing import Any

from django.test import Client
from django.utils import timezone

from mentorbadges.activity.models import Event, Rejection
from mentorbadges.api.models import ApiToken
from mentorbadges.badges.models import Award
from mentorbadges.badges.services import withdraw_kudos
from mentorbadges.programs.models import Loop, Participant
from tests.conftest import import_events
from tests.security.conftest import Cast, signed_in


def give(client: Client, category: str = "trust") -> Any:
    loop = Loop.objects.get(external_id="l1").pk
    ana = Participant.objects.get(external_id="ana").pk
    return client.post(
        f"/p/north/kudos/give/{loop}/{ana}/",
        {"category": category, "feedback": "Thanks!", "key": uuid.uuid4().hex},
    )


def given_by_ben_today() -> int:
    return Award.objects.filter(
        giver__external_id="ben",
        awarded_at__gte=timezone.now() - timedelta(hours=1),
    ).count()


def test_a_giver_past_the_daily_cap_is_told_to_come_back_tomorrow(
    cast: Cast, settings: Any
) -> None:
    settings.KUDOS_DAILY_CAP = 2
    settings.KUDOS_REPEAT_CAP = 99
    client = signed_in(cast.participant)

    assert give(client).status_code == 302
    assert give(client).status_code == 302
    refused = give(client)

    assert refused.status_code == 422
    assert "as many kudos as one person may in a day" in refused.content.decode()
    assert given_by_ben_today() == 2


def test_repeats_to_one_recipient_are_capped_within_the_window(
    cast: Cast, settings: Any
) -> None:
    settings.KUDOS_REPEAT_CAP = 2
    client = signed_in(cast.participant)

    give(client)
    give(client, "expertise")
    refused = give(client, "creativity")

    assert refused.status_code == 422
    assert "thanked this person several times" in refused.content.decode()
    assert given_by_ben_today() == 2


def test_a_refused_kudos_records_nothing(cast: Cast, settings: Any) -> None:
    settings.KUDOS_DAILY_CAP = 0
    events, rejections = Event.objects.count(), Rejection.objects.count()

    give(signed_in(cast.participant))

    assert (Event.objects.count(), Rejection.objects.count()) == (events, rejections)


def test_a_withdrawn_kudos_gives_its_place_back(cast: Cast, settings: Any) -> None:
    settings.KUDOS_REPEAT_CAP = 1
    client = signed_in(cast.participant)
    give(client)
    [recent] = Award.objects.filter(
        giver__external_id="ben",
        awarded_at__gte=timezone.now() - timedelta(hours=1),
    )

    withdraw_kudos(recent, cast.coordinator, "Sent by mistake.")

    assert give(client).status_code == 302


def test_the_api_answers_429_with_the_cap_as_its_code(
    cast: Cast, settings: Any
) -> None:
    settings.KUDOS_REPEAT_CAP = 1
    token = ApiToken.issue(cast.north, "Platform")[1]
    client = Client(headers={"Authorization": f"Bearer {token}"})

    def post(event_id: str) -> Any:
        body = {
            "id": event_id,
            "loop": "l1",
            "giver": "ben",
            "recipient": "ana",
            "category": "trust",
        }
        return client.post(
            "/api/v1/programs/north/kudos",
            json.dumps(body),
            content_type="application/json",
        )

    assert post("k-1").status_code == 200
    refused = post("k-2")

    assert refused.status_code == 429
    assert refused["Content-Type"] == "application/problem+json"
    assert refused.json()["code"] == "repeat_cap"
    assert "1 kudos in the last hour" in refused.json()["detail"]
    assert post("k-1").json()["status"] == "duplicate"


def test_imported_history_is_not_capped(cast: Cast, settings: Any) -> None:
    settings.KUDOS_DAILY_CAP = 1
    settings.KUDOS_REPEAT_CAP = 1
    now = timezone.now()
    events = [
        {
            "id": f"bulk-{n}",
            "type": "kudos.given",
            "occurred_at": (now - timedelta(minutes=n)).isoformat(),
            "loop": "l1",
            "giver": "ben",
            "recipient": "ana",
            "category": "trust",
        }
        for n in range(5)
    ]

    assert import_events(cast.north, events) == []
    assert given_by_ben_today() == 5
