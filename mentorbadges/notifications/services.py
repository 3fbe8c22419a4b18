"""Turning committed awards into notifications, and notifications into e-mail.

Bulk imports can grant tens of thousands of awards at once, so everything here
works on batches: a few queries per batch, never one per award.
"""

import json
import logging
import uuid
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime, timedelta
from itertools import islice
from typing import TypeVar

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from mentorbadges.activity.ingest import KudosPrompt
from mentorbadges.badges.catalogue import KUDOS_CODES
from mentorbadges.badges.models import Award
from mentorbadges.notifications.models import Email, Notification, Preference
from mentorbadges.programs.models import Participant, Program

logger = logging.getLogger(__name__)

BATCH = 1000
MAX_ATTEMPTS = 5
LEASE = timedelta(minutes=10)
UNSUBSCRIBE_SALT = "mentorbadges.notifications.unsubscribe"


T = TypeVar("T")


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def notify_awards(program: Program, awards: Iterable[Award]) -> int:
    """Record a notification for each award not told before; queue its e-mail.

    Return how many notifications are new. The rows are built by the database
    from the award rows, a few statements per thousand awards, because a bulk
    import grants tens of thousands at once.
    """
    # A transaction may grant an award and revoke it again; only what it
    # committed is news, and the statement reads the committed rows.
    pks = [award.pk for award in awards if award.pk is not None]
    created = 0
    for chunk in batched(pks, BATCH):
        fresh = _notify_chunk(program, chunk)
        _queue_emails_for(program, fresh)
        created += len(fresh)
    return created


def _notify_chunk(program: Program, pks: list[int]) -> list[int]:
    """Insert the notifications of these awards not already told; return new ids."""
    notification = Notification._meta.db_table
    award = Award._meta.db_table
    kudos = ", ".join(["%s"] * len(KUDOS_CODES))
    marks = ", ".join(["%s"] * len(pks))
    # The key names the news by content (see Notification), so a kudos is
    # told once and an achievement level once per recipient and loop.
    sql = f"""
        INSERT INTO {notification}
            (program_id, recipient_id, kind, key, award_id, loop_id, badge, level,
             partners, created_at)
        SELECT a.program_id, a.recipient_id,
            CASE WHEN a.badge IN ({kudos}) THEN %s ELSE %s END,
            CASE WHEN a.badge IN ({kudos})
                THEN 'kudos:' || a.id
                ELSE 'achievement:' || a.recipient_id || ':'
                    || COALESCE(a.loop_id, 0) || ':' || a.badge || ':' || a.level
            END,
            a.id, a.loop_id, a.badge, a.level, '[]', %s
        FROM {award} a
        WHERE a.program_id = %s AND a.revoked_at IS NULL AND a.id IN ({marks})
        ORDER BY a.id
        ON CONFLICT (program_id, key) DO NOTHING
        RETURNING id
    """
    codes = sorted(KUDOS_CODES)
    params: list[str | int | datetime] = [
        *codes,
        Notification.KUDOS,
        Notification.ACHIEVEMENT,
        *codes,
        timezone.now(),
        program.pk,
        *pks,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


# program, recipient, kind, key, loop, partners (JSON), created_at
_PromptRow = tuple[int, int, str, str, int | None, str, datetime]


def notify_prompts(program: Program, prompts: Sequence[tuple[str, KudosPrompt]]) -> int:
    """Record an in-app kudos prompt for each survey that offered one.

    ``prompts`` pairs the id of the survey event with the prompt it gave.
    Return how many prompts are new: the same survey's prompt is kept once.
    """
    created = 0
    for chunk in batched(prompts, BATCH):
        ids = {p.giver for _, p in chunk} | {r for _, p in chunk for r in p.recipients}
        people = dict(
            Participant.objects.filter(
                program=program, external_id__in=ids
            ).values_list("external_id", "pk")
        )
        loops = dict(
            program.loop_set.filter(
                external_id__in={p.loop for _, p in chunk}
            ).values_list("external_id", "pk")
        )
        now = timezone.now()
        rows: list[_PromptRow] = [
            (
                program.pk,
                people[prompt.giver],
                Notification.PROMPT,
                f"prompt:{people[prompt.giver]}:{event_id}",
                loops.get(prompt.loop),
                json.dumps([people[r] for r in prompt.recipients if r in people]),
                now,
            )
            for event_id, prompt in chunk
            if prompt.giver in people
        ]
        created += _insert_prompts(rows)
    return created


def _insert_prompts(rows: list[_PromptRow]) -> int:
    """Insert prompt rows, skipping those already told; return how many are new."""
    if not rows:
        return 0

    table = connection.ops.quote_name(Notification._meta.db_table)
    sql = (
        f"INSERT INTO {table} (program_id, recipient_id, kind, key, loop_id, "
        "partners, badge, level, created_at) "
        "VALUES (%s, %s, %s, %s, %s, %s, '', 0, %s) "
        "ON CONFLICT (program_id, key) DO NOTHING"
    )
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(*row[:-1], adapt(row[-1])) for row in rows])
        return max(int(cursor.rowcount), 0)


def _queue_emails_for(program: Program, notifications: list[int]) -> None:
    """Queue an e-mail for each of these notifications whose recipient takes them."""
    if not notifications:
        return

    email = Email._meta.db_table
    notification = Notification._meta.db_table
    participant = Participant._meta.db_table
    preference = Preference._meta.db_table
    marks = ", ".join(["%s"] * len(notifications))
    sql = f"""
        INSERT INTO {email}
            (notification_id, program_id, address, queued_at, claim, attempts,
             last_error)
        SELECT n.id, n.program_id, p.email, %s, '', 0, ''
        FROM {notification} n
        JOIN {participant} p ON p.id = n.recipient_id
        WHERE n.id IN ({marks})
            AND p.erased_at IS NULL AND p.active AND p.email <> ''
            AND NOT EXISTS (
                SELECT 1 FROM {preference} f
                WHERE f.participant_id = p.id AND NOT f.email
            )
        ORDER BY n.id
        ON CONFLICT (notification_id) DO NOTHING
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [timezone.now(), *notifications])


# Reading and marking.


def visible(participant: Participant) -> QuerySet[Notification]:
    """Return the participant's notifications, less those about awards that went.

    A withdrawn kudos or a revoked level leaves the page with its award, so
    feedback withdrawn as inappropriate is not shown here either.
    """
    return Notification.objects.filter(recipient=participant).filter(
        Q(award__isnull=True) | Q(award__revoked_at__isnull=True)
    )


def unread_count(participant: Participant) -> int:
    return visible(participant).filter(read_at__isnull=True).count()


def mark_read(participant: Participant, pks: Iterable[int] | None = None) -> int:
    """Mark the participant's notifications (these, or all) read; return how many."""
    unread = Notification.objects.filter(recipient=participant, read_at__isnull=True)
    if pks is not None:
        unread = unread.filter(pk__in=list(pks))
    return unread.update(read_at=timezone.now())


def emails_on(participant: Participant) -> bool:
    return not Preference.objects.filter(participant=participant, email=False).exists()


def set_emails(participant: Participant, on: bool) -> None:
    Preference.objects.update_or_create(
        participant=participant, defaults={"email": on, "changed_at": timezone.now()}
    )
    if not on:
        # E-mails queued and not yet sent are dropped too.
        Email.objects.filter(
            notification__recipient=participant, sent_at__isnull=True
        ).update(attempts=MAX_ATTEMPTS, last_error="E-mails turned off.")


def unsubscribe_token(participant: Participant) -> str:
    return signing.dumps(participant.pk, salt=UNSUBSCRIBE_SALT)


def participant_from_token(token: str) -> Participant | None:
    try:
        pk = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return Participant.objects.filter(pk=pk, erased_at__isnull=True).first()


def absolute(path: str) -> str:
    base = settings.PUBLIC_URL or settings.LOCAL_URL
    return str(base).rstrip("/") + path


# Sending.


def send_queued(limit: int = 100, awards: list[int] | None = None) -> int:
    """Send up to ``limit`` queued e-mails; return how many went out.

    With ``awards``, send only the e-mails about those awards. Each e-mail is
    claimed before it is sent, so two senders never send the same one; a
    claim older than the lease is taken to be a crashed sender's.
    """
    if limit <= 0:
        return 0

    now = timezone.now()
    claim = uuid.uuid4().hex
    due = Email.objects.filter(
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - LEASE),
        sent_at__isnull=True,
        attempts__lt=MAX_ATTEMPTS,
    ).order_by("queued_at", "pk")
    if awards is not None:
        due = due.filter(notification__award_id__in=awards)
    Email.objects.filter(
        pk__in=list(due.values_list("pk", flat=True)[:limit]),
        sent_at__isnull=True,
    ).filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - LEASE)).update(
        claim=claim, claimed_at=now
    )
    emails = list(
        Email.objects.filter(claim=claim).select_related(
            "program",
            "notification__recipient",
            "notification__loop",
            "notification__award__giver",
        )
    )
    if not emails:
        return 0

    sent = 0
    connection = get_connection()
    try:
        connection.open()
    except Exception as error:
        logger.warning("Could not reach the e-mail server: %s", error)
        for email in emails:
            email.attempts += 1
            email.last_error = _describe(error)
        Email.objects.bulk_update(emails, ["attempts", "last_error"])
        return 0

    with connection:
        for email in emails:
            email.attempts += 1
            try:
                message = award_message(email)
                if message is None:
                    email.attempts = MAX_ATTEMPTS
                    email.last_error = "Nothing to send any more."
                else:
                    connection.send_messages([message])
                    email.sent_at = timezone.now()
                    email.last_error = ""
                    sent += 1
            except Exception as error:
                logger.warning("Could not send a notification e-mail: %s", error)
                email.last_error = _describe(error)
    Email.objects.bulk_update(emails, ["attempts", "sent_at", "last_error"])
    return sent


def _describe(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:300]


def award_message(email: Email) -> EmailMultiAlternatives | None:
    """Render the e-mail for one notification, or None if it no longer applies."""
    notification = email.notification
    recipient = notification.recipient
    if recipient.erased_at is not None or not recipient.active:
        return None
    if notification.award is None or notification.award.revoked_at is not None:
        return None
    if not emails_on(recipient):
        return None

    unsubscribe = absolute(
        reverse("notifications:unsubscribe", args=[unsubscribe_token(recipient)])
    )
    context = {
        "notification": notification,
        "recipient": recipient,
        "program": email.program,
        "award": notification.award,
        "home_url": absolute(reverse("notifications:list")),
        "unsubscribe_url": unsubscribe,
    }
    message = EmailMultiAlternatives(
        subject=one_line(f"{notification.headline} ({email.program.name})"),
        body=render_to_string("notifications/email/award.txt", context),
        to=[email.address],
        headers={"List-Unsubscribe": f"<{unsubscribe}>"},
    )
    message.attach_alternative(
        render_to_string("notifications/email/award.html", context), "text/html"
    )
    return message


def one_line(text: str) -> str:
    """Fold any line breaks, which an e-mail header may not hold."""
    return " ".join(text.split())
