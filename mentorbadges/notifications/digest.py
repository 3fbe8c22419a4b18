"""The weekly digest: health highlights e-mailed to a program's staff."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from mentorbadges.badges.catalogue import KUDOS_CODES
from mentorbadges.badges.models import Award
from mentorbadges.health.figures import (
    ActionList,
    Figures,
    LoopToAct,
    NextStep,
    last_meetings,
    loops_without_kudos,
    near_next_level,
    program_figures,
    quiet_loops,
)
from mentorbadges.notifications.models import DigestRun
from mentorbadges.notifications.services import absolute, one_line
from mentorbadges.programs.models import Program

HIGHLIGHTS = 5


@dataclass(frozen=True)
class Digest:
    program: Program
    week: str
    figures: Figures
    kudos_this_week: int
    achievements_this_week: int
    no_kudos: ActionList[LoopToAct]
    quiet: ActionList[LoopToAct]
    near: ActionList[NextStep]


def week_of(program: Program, now: datetime) -> str:
    year, week, _ = now.astimezone(program.tz).isocalendar()
    return f"{year}-W{week:02d}"


def build_digest(program: Program, now: datetime) -> Digest:
    week = Award.objects.filter(
        program=program,
        revoked_at__isnull=True,
        awarded_at__gt=now - timedelta(days=7),
        awarded_at__lte=now,
    ).aggregate(
        kudos=Count("pk", filter=Q(badge__in=KUDOS_CODES)),
        achievements=Count("pk", filter=~Q(badge__in=KUDOS_CODES)),
    )
    last = last_meetings(program, now)
    return Digest(
        program=program,
        week=week_of(program, now),
        figures=program_figures(program, now=now),
        kudos_this_week=week["kudos"],
        achievements_this_week=week["achievements"],
        no_kudos=loops_without_kudos(program, now=now, limit=HIGHLIGHTS, last=last),
        quiet=quiet_loops(program, now=now, limit=HIGHLIGHTS, last=last),
        near=near_next_level(program, now=now, limit=HIGHLIGHTS, last=last),
    )


def staff_addresses(program: Program) -> list[str]:
    users = (
        get_user_model()
        .objects.filter(staffrole__program=program, is_active=True)
        .exclude(email="")
        .order_by("email")
        .values_list("email", flat=True)
        .distinct()
    )
    return list(users)


def digest_message(digest: Digest, address: str) -> EmailMultiAlternatives:
    context = {
        "digest": digest,
        "program": digest.program,
        "figures": digest.figures,
        "health_url": absolute(reverse("health:page", args=[digest.program.slug])),
    }
    with timezone.override(digest.program.tz):
        text = render_to_string("notifications/email/digest.txt", context)
        html = render_to_string("notifications/email/digest.html", context)
    message = EmailMultiAlternatives(
        subject=one_line(f"{digest.program.name}: program health, week {digest.week}"),
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[address],
    )
    message.attach_alternative(html, "text/html")
    return message


@dataclass(frozen=True)
class DigestResult:
    program: Program
    week: str
    sent: int
    skipped: str = ""


def send_digest(
    program: Program, *, now: datetime | None = None, force: bool = False
) -> DigestResult:
    """E-mail this week's digest to the program's staff, once a week.

    The week is claimed before sending so that two runs in the same week send
    one digest; a failed send gives the claim back for the next run.
    """
    now = now or timezone.now()
    week = week_of(program, now)
    addresses = staff_addresses(program)
    if not addresses:
        return DigestResult(program, week, 0, "no staff member has an e-mail address")

    if force:
        DigestRun.objects.filter(program=program, week=week).delete()
    try:
        with transaction.atomic():
            run = DigestRun.objects.create(program=program, week=week)
    except IntegrityError:
        return DigestResult(program, week, 0, f"already sent for {week}")

    try:
        digest = build_digest(program, now)
        with get_connection() as connection:
            connection.send_messages(
                [digest_message(digest, address) for address in addresses]
            )
    except Exception:
        run.delete()
        raise
    run.recipients = len(addresses)
    run.save(update_fields=["recipients"])
    return DigestResult(program, week, len(addresses))
