"""Outgoing webhooks: an outbox filled when awards change, emptied by a worker.

Each message is a JSON POST signed with HMAC-SHA256 over ``timestamp.body``
with the webhook's secret, so a receiver can check who sent it and refuse an
old message played again.
"""

import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count
from django.utils import timezone

from mentorbadges.api.models import Webhook, WebhookDelivery
from mentorbadges.api.schemas import AwardOut
from mentorbadges.badges.models import Award, AwardChange
from mentorbadges.programs.models import Program

logger = logging.getLogger(__name__)

GRANTED = "award.granted"
REVOKED = "award.revoked"
SIGNATURE_HEADER = "X-Mentorbadges-Signature"
TIMESTAMP_HEADER = "X-Mentorbadges-Timestamp"
DELIVERY_HEADER = "X-Mentorbadges-Delivery"
_TAKEN_BACK = (AwardChange.REVOKED, AwardChange.WITHDRAWN)
# How long a worker holds a message it is sending before another may try.
_LEASE = timedelta(minutes=2)


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """Return the signature header value for a message sent at ``timestamp``."""
    message = str(timestamp).encode() + b"." + body
    digest = hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
    return f"v1={digest}"


def verify(
    secret: str, timestamp: str, body: bytes, signature: str, *, tolerance: int = 300
) -> bool:
    """Check a message as a receiver should: signature, then freshness."""
    try:
        sent = int(timestamp)
    except ValueError:
        return False
    if abs(time.time() - sent) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, sent, body), signature)


# Filling the outbox.


def queue_awards(program: Program, awards: Iterable[Award], kind: str) -> int:
    """Queue one message per webhook of the program for each award.

    The key counts the award's earlier revocations, so a grant, its
    revocation and a later grant again are three messages, and the same one
    never queues twice.
    """
    awards = [award for award in awards if award.pk is not None]
    hooks = list(Webhook.objects.filter(program=program, active=True))
    if not awards or not hooks:
        return 0

    taken_back = dict(
        AwardChange.objects.filter(award__in=awards, action__in=_TAKEN_BACK)
        .values("award")
        .annotate(times=Count("id"))
        .values_list("award", "times")
    )
    now = timezone.now()
    rows: list[WebhookDelivery] = []
    for award in awards:
        times = taken_back.get(award.pk, 0)
        key = f"{kind}:{award.pk}:{times}"
        payload = _payload(program, award, kind, key, now)
        rows.extend(
            WebhookDelivery(
                program=program,
                webhook=hook,
                key=key,
                kind=kind,
                payload=payload,
                created_at=now,
                next_attempt_at=now,
            )
            for hook in hooks
        )
    WebhookDelivery.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    return len(rows)


def _payload(
    program: Program, award: Award, kind: str, key: str, now: datetime
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": f"{program.slug}:{key}",
        "type": kind,
        "program": program.slug,
        "created_at": now.isoformat(),
        "award": AwardOut.of(award).model_dump(mode="json"),
    }
    if kind == REVOKED:
        data["revoked_at"] = award.revoked_at.isoformat() if award.revoked_at else None
        data["reason"] = award.revoked_reason
    return data


def on_awards_granted(
    sender: object, program: Program, awards: list[Award], **_: Any
) -> None:
    _queue_standing(program, awards, GRANTED)


def on_awards_revoked(
    sender: object, program: Program, awards: list[Award], **_: Any
) -> None:
    _queue_standing(program, awards, REVOKED)


def _queue_standing(program: Program, awards: list[Award], kind: str) -> None:
    # One transaction may grant and revoke the same award; only the state it
    # commits is news. The messages commit with the awards or not at all.
    wanted = {
        award.pk: award
        for award in awards
        if (award.revoked_at is not None) == (kind == REVOKED)
    }
    queue_awards(program, wanted.values(), kind)


# Emptying it.


@dataclass
class Attempt:
    delivery: WebhookDelivery
    ok: bool
    status: int | None
    error: str


def backoff(attempts: int) -> timedelta:
    """Return the wait after ``attempts`` failures: doubling, then capped."""
    base: int = settings.WEBHOOK_RETRY_BASE
    cap: int = settings.WEBHOOK_RETRY_CAP
    return timedelta(seconds=min(cap, base * 2 ** max(0, attempts - 1)))


def deliver_due(limit: int = 100) -> list[Attempt]:
    """Send the messages that are due, each claimed so only one worker sends it."""
    now = timezone.now()
    due = WebhookDelivery.objects.filter(
        delivered_at__isnull=True, next_attempt_at__lte=now, webhook__active=True
    ).order_by("next_attempt_at", "pk")
    attempts = []
    for pk, planned in due.values_list("pk", "next_attempt_at")[:limit]:
        claimed = WebhookDelivery.objects.filter(
            pk=pk, delivered_at__isnull=True, next_attempt_at=planned
        ).update(next_attempt_at=now + _LEASE)
        if not claimed:
            continue
        delivery = WebhookDelivery.objects.select_related("webhook").get(pk=pk)
        attempts.append(_send(delivery))
    return attempts


def _send(delivery: WebhookDelivery) -> Attempt:
    body = json.dumps(delivery.payload, separators=(",", ":")).encode()
    stamp = int(time.time())
    request = urllib.request.Request(
        delivery.webhook.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "mentorbadges-webhooks/1",
            TIMESTAMP_HEADER: str(stamp),
            SIGNATURE_HEADER: sign(delivery.webhook.secret, stamp, body),
            DELIVERY_HEADER: str(delivery.payload.get("id", delivery.key)),
        },
    )
    status: int | None = None
    error = ""
    try:
        with _OPENER.open(request, timeout=settings.WEBHOOK_TIMEOUT) as response:
            status = response.status
    except urllib.error.HTTPError as failure:
        status = failure.code
        error = f"The receiver answered {failure.code}."
    except (urllib.error.URLError, OSError, ValueError) as failure:
        reason = getattr(failure, "reason", failure)
        error = f"The receiver could not be reached: {reason}."[:300]

    ok = status is not None and 200 <= status < 300
    now = timezone.now()
    delivery.attempts += 1
    delivery.last_status = status
    if ok:
        delivery.delivered_at = now
        delivery.last_error = ""
    else:
        delivery.last_error = error or f"The receiver answered {status}."
        delivery.next_attempt_at = now + backoff(delivery.attempts)
        logger.warning(
            "Webhook delivery %s failed (attempt %d)", delivery.pk, delivery.attempts
        )
    delivery.save(
        update_fields=[
            "attempts",
            "last_status",
            "delivered_at",
            "last_error",
            "next_attempt_at",
        ]
    )
    return Attempt(delivery, ok, status, delivery.last_error)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is a failure: a signed POST is never re-sent elsewhere."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirects())
