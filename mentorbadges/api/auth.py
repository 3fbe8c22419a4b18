"""Bearer tokens: who is calling, which program they reach, how often."""

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from mentorbadges.api.errors import NotFound, RateLimited
from mentorbadges.api.models import ApiToken
from mentorbadges.programs.models import Program

# A token's last use is written at most this often, to spare the database.
_TOUCH_EVERY = 60


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = ApiToken.find(token)
        if found is None:
            return None

        check_rate(found)
        now = timezone.now()
        if (
            found.last_used_at is None
            or (now - found.last_used_at).total_seconds() > _TOUCH_EVERY
        ):
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        return found


def check_rate(token: ApiToken) -> None:
    """Count the request against its token's budget for the current minute."""
    limit: int = settings.API_RATE_LIMIT
    now = time.time()
    minute = int(now // 60)
    key = f"api-rate:{token.digest[:24]}:{minute}"
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except ValueError:
        # The entry expired between add and incr; this request starts it again.
        cache.set(key, 1, timeout=120)
        count = 1
    if count > limit:
        raise RateLimited(max(1, 60 - int(now % 60)))


def program_for(request: HttpRequest, slug: str) -> Program:
    """Return the program the URL names, if the caller's token reaches it.

    A token for another program gets the same answer as a program that does
    not exist, so it learns nothing about this one.
    """
    token: ApiToken = request.auth  # type: ignore[attr-defined]
    if token.program.slug != slug:
        raise NotFound(f"No program '{slug[:80]}' is reachable with this token.")
    return token.program
