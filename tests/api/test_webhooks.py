import json
import socket
from collections.abc import Callable
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from mentorbadges.activity.services import apply_events, recompute
from mentorbadges.api.models import Webhook, WebhookDelivery
from mentorbadges.api.webhooks import (
    DELIVERY_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    backoff,
    sign,
    verify,
)
from mentorbadges.badges.models import Award
from mentorbadges.badges.services import withdraw_kudos
from mentorbadges.programs.models import Program
from tests.api.conftest import Api
from tests.api.receiver import Received, receiver
from tests.history import History

Capture = Callable[..., Any]


def _deliver() -> str:
    out = StringIO()
    call_command("deliver", "--once", stdout=out)
    return out.getvalue()


def _five_meetings(history: History) -> None:
    history.person("ana")
    history.person("ben")
    history.pair("l1", "ana", "ben")
    for day in range(2, 7):
        history.meeting("l1", f"m{day}", day)


def _post(api: Api, capture: Capture, events: list[dict[str, Any]]) -> Any:
    with capture(execute=True):
        response = api.post("/programs/north/events", {"events": events})
    assert response.status_code == 200
    return response.json()


def _body(message: Received) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(message.body)
    return data


def _make_due() -> None:
    WebhookDelivery.objects.update(next_attempt_at=timezone.now())


def test_each_committed_award_is_posted_signed_and_verifiable(
    api: Api,
    program: Program,
    history: History,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    _five_meetings(history)
    with receiver() as hook:
        webhook = Webhook.register(program, hook.url)
        _post(api, django_capture_on_commit_callbacks, history.events)

        out = _deliver()

    assert out.strip() == "2 delivered, 0 to retry."
    bodies = [_body(message) for message in hook.received]
    assert {(b["type"], b["award"]["recipient"]["id"]) for b in bodies} == {
        ("award.granted", "ana"),
        ("award.granted", "ben"),
    }
    assert {b["award"]["badge"] for b in bodies} == {"momentum"}
    assert all(b["program"] == "north" for b in bodies)
    for message in hook.received:
        headers = {name.lower(): value for name, value in message.headers.items()}
        assert headers["content-type"] == "application/json"
        stamp = headers[TIMESTAMP_HEADER.lower()]
        signature = headers[SIGNATURE_HEADER.lower()]
        assert verify(webhook.secret, stamp, message.body, signature)
        assert not verify("another secret", stamp, message.body, signature)
        assert not verify(webhook.secret, stamp, message.body + b" ", signature)
        assert headers[DELIVERY_HEADER.lower()] == _body(message)["id"]


def test_an_old_timestamp_does_not_verify() -> None:
    old = int(timezone.now().timestamp()) - 3600
    body = b"{}"

    assert not verify("s", str(old), body, sign("s", old, body))


def test_a_failed_delivery_is_retried_after_a_backoff(
    api: Api,
    program: Program,
    history: History,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    _five_meetings(history)
    with receiver(failures=2) as hook:
        Webhook.register(program, hook.url)
        _post(api, django_capture_on_commit_callbacks, history.events)

        first = _deliver()
        waiting = WebhookDelivery.objects.filter(delivered_at__isnull=True)
        assert first.strip() == "0 delivered, 2 to retry."
        assert {d.attempts for d in waiting} == {1}
        assert {d.last_status for d in waiting} == {500}
        assert all(d.next_attempt_at > timezone.now() for d in waiting)
        assert _deliver() == ""

        _make_due()
        second = _deliver()

    assert second.strip() == "2 delivered, 0 to retry."
    assert len(hook.received) == 2
    assert set(WebhookDelivery.objects.values_list("attempts", flat=True)) == {2}


def test_a_receiver_that_is_down_loses_nothing(
    api: Api,
    program: Program,
    history: History,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    _five_meetings(history)
    webhook = Webhook.register(program, f"http://127.0.0.1:{port}/hook")
    _post(api, django_capture_on_commit_callbacks, history.events)

    assert _deliver().strip() == "0 delivered, 2 to retry."
    assert "could not be reached" in WebhookDelivery.objects.first().last_error  # type: ignore[union-attr]

    with receiver() as hook:
        webhook.url = hook.url
        webhook.save()
        _make_due()
        _deliver()

    assert len(hook.received) == 2


def test_the_same_award_is_delivered_once_however_often_it_is_reported(
    api: Api,
    program: Program,
    history: History,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    _five_meetings(history)
    with receiver() as hook:
        Webhook.register(program, hook.url)
        _post(api, django_capture_on_commit_callbacks, history.events)
        _deliver()
        _post(api, django_capture_on_commit_callbacks, history.events)
        with django_capture_on_commit_callbacks(execute=True):
            recompute(program)
        _make_due()
        _deliver()

    assert len(hook.received) == 2
    assert WebhookDelivery.objects.count() == 2


def test_a_revocation_and_the_award_earned_again_are_each_delivered(
    api: Api,
    program: Program,
    history: History,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    _five_meetings(history)
    retraction = {
        "id": "r1",
        "type": "meeting.retracted",
        "occurred_at": "2026-01-20T09:00:00Z",
        "loop": "l1",
        "meeting": "m3",
    }
    fifth_again = history.meeting("l1", "m9", 25)
    with receiver() as hook:
        Webhook.register(program, hook.url)
        _post(api, django_capture_on_commit_callbacks, history.events[:-1])
        _post(api, django_capture_on_commit_callbacks, [retraction])
        _post(api, django_capture_on_commit_callbacks, [fifth_again])
        _deliver()

    kinds = [
        (_body(m)["type"], _body(m)["award"]["recipient"]["id"]) for m in hook.received
    ]
    assert [kind for kind, who in kinds if who == "ana"] == [
        "award.granted",
        "award.revoked",
        "award.granted",
    ]
    revoked = next(
        _body(m) for m in hook.received if _body(m)["type"] == "award.revoked"
    )
    assert "no longer earned" in revoked["reason"]


def test_kudos_and_their_withdrawal_are_delivered(
    api: Api,
    program: Program,
    history: History,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    history.person("ana")
    history.person("ben")
    history.pair("l1", "ana", "ben")
    history.meeting("l1", "m1", 2)
    history.kudos("l1", "ben", "ana", 3, "trust", "Kind words.")
    with receiver() as hook:
        Webhook.register(program, hook.url)
        _post(api, django_capture_on_commit_callbacks, history.events)
        with django_capture_on_commit_callbacks(execute=True):
            withdraw_kudos(Award.objects.get(badge="trust"), None, "Off topic.")
        _deliver()

    bodies = [_body(message) for message in hook.received]
    assert [(b["type"], b["award"]["badge"]) for b in bodies] == [
        ("award.granted", "trust"),
        ("award.revoked", "trust"),
    ]
    assert bodies[0]["award"]["feedback"] == "Kind words."
    assert bodies[1]["reason"] == "Off topic."


def test_a_program_without_webhooks_queues_nothing(
    api: Api, history: History, django_capture_on_commit_callbacks: Capture
) -> None:
    _five_meetings(history)

    _post(api, django_capture_on_commit_callbacks, history.events)

    assert not WebhookDelivery.objects.exists()


def test_messages_go_only_to_the_programs_own_webhooks(
    api: Api,
    program: Program,
    other_program: Program,
    history: History,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    _five_meetings(history)
    Webhook.register(other_program, "http://127.0.0.1:9/elsewhere")

    _post(api, django_capture_on_commit_callbacks, history.events)

    assert not WebhookDelivery.objects.exists()


@pytest.mark.parametrize(
    ("attempts", "seconds"), [(1, 30), (2, 60), (3, 120), (8, 3600), (30, 3600)]
)
def test_retries_wait_twice_as_long_each_time_up_to_a_cap(
    attempts: int, seconds: int
) -> None:
    assert backoff(attempts) == timedelta(seconds=seconds)


def test_messages_are_queued_in_the_transaction_that_grants_the_awards(
    program: Program, history: History
) -> None:
    _five_meetings(history)
    Webhook.register(program, "http://127.0.0.1:9/hook")

    with pytest.raises(RuntimeError), transaction.atomic():
        apply_events(program, history.events)
        assert WebhookDelivery.objects.count() == 2
        raise RuntimeError("the change fails after the awards are written")
    assert not WebhookDelivery.objects.exists()

    apply_events(program, history.events)
    assert WebhookDelivery.objects.count() == Award.objects.count() == 2
