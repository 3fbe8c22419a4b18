"""Caps on kudos a person gives by hand, so that kudos keep their meaning.

They apply where someone clicks a button (the web page, the API's kudos
endpoint), never to recorded history replayed from the platform.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from mentorbadges.activity.events import Refusal
from mentorbadges.badges.catalogue import KUDOS_CODES
from mentorbadges.badges.models import Award
from mentorbadges.programs.models import Program

DAILY_CAP = "daily_cap"
REPEAT_CAP = "repeat_cap"
DAY = timedelta(hours=24)

MESSAGES = {
    DAILY_CAP: "You have given as many kudos as one person may in a day. "
    "Please come back tomorrow.",
    REPEAT_CAP: "You have thanked this person several times in a short while. "
    "Please wait a little before giving them another kudos.",
}


def kudos_cap(
    program: Program, giver: str, recipient: str, at: datetime | None = None
) -> Refusal | None:
    """Return why ``giver`` may not give ``recipient`` a kudos now, if a cap says so.

    Only standing kudos count: a withdrawn kudos gives its place back.
    """
    at = at or timezone.now()
    window = timedelta(minutes=settings.KUDOS_REPEAT_WINDOW_MINUTES)
    daily_cap: int = settings.KUDOS_DAILY_CAP
    repeat_cap: int = settings.KUDOS_REPEAT_CAP

    counts = Award.objects.filter(
        program=program,
        giver__external_id=giver,
        badge__in=KUDOS_CODES,
        revoked_at__isnull=True,
        awarded_at__gt=at - max(DAY, window),
    ).aggregate(
        day=Count("pk", filter=Q(awarded_at__gt=at - DAY)),
        repeats=Count(
            "pk",
            filter=Q(recipient__external_id=recipient, awarded_at__gt=at - window),
        ),
    )
    if counts["day"] >= daily_cap:
        return Refusal(
            DAILY_CAP,
            f"The participant '{giver[:80]}' has given {daily_cap} kudos in the "
            "last 24 hours, the most allowed; try again later.",
        )
    if counts["repeats"] >= repeat_cap:
        return Refusal(
            REPEAT_CAP,
            f"The participant '{giver[:80]}' has given '{recipient[:80]}' "
            f"{repeat_cap} kudos in the last {window_text(window)}, the most "
            "allowed; try again later.",
        )
    return None


def window_text(window: timedelta) -> str:
    minutes = int(window.total_seconds() // 60)
    if minutes % 60 == 0 and minutes >= 60:
        hours = minutes // 60
        return "hour" if hours == 1 else f"{hours} hours"
    return "minute" if minutes == 1 else f"{minutes} minutes"
