"""Open Badges 2.0 hosted documents: issuer, badge class and assertion.

Every document is built when it is read, so a correction or an erasure shows
as a revoked assertion from the next request on.
"""

import hashlib
import secrets
from typing import Any

from django.conf import settings

from mentorbadges.badges.catalogue import (
    ACHIEVEMENTS,
    CATALOGUE,
    CERTIFIED,
    CHAMPION,
    EXCELLENCE,
    GROWING_TOGETHER,
    MOMENTUM,
    Level,
)
from mentorbadges.badges.models import Award
from mentorbadges.programs.models import Program
from mentorbadges.sharing.models import Publication

CONTEXT = "https://w3id.org/openbadges/v2"
ACHIEVEMENT_CODES = frozenset(badge.code for badge in ACHIEVEMENTS)

REVOKED_BY_CORRECTION = (
    "The achievement is no longer reached after a correction of the recorded activity."
)
REVOKED_BY_ERASURE = "The recipient's personal data was erased."
WITHDRAWN_BY_RECIPIENT = "The recipient withdrew the publication."


def badge_key(code: str, level: int) -> str:
    return code if level == Level.NONE else f"{code}-{Level(level).label.lower()}"


def parse_badge_key(key: str) -> tuple[str, int] | None:
    """Return the achievement and level a badge key names, or None."""
    code, _, label = key.partition("-")
    if code not in ACHIEVEMENT_CODES:
        return None
    badge = CATALOGUE[code]
    if not badge.levelled:
        return (code, Level.NONE) if not label else None
    levels = {Level(n).label.lower(): n for n in (1, 2, 3)}
    return (code, levels[label]) if label in levels else None


def badge_name(code: str, level: int) -> str:
    return f"{CATALOGUE[code].name} {Level(level).label}".strip()


def criteria(code: str, level: int) -> str:
    """Return what earning the badge takes, in one or two sentences."""
    if code == MOMENTUM.code:
        n = MOMENTUM.thresholds[level - 1]
        return f"Attend {n} completed meetings of one mentoring loop."
    if code == EXCELLENCE.code:
        n = EXCELLENCE.thresholds[level - 1]
        return (
            f"Receive {n} top ratings (5 out of 5) of a mentoring loop from the "
            "other members of that loop."
        )
    if code == GROWING_TOGETHER.code:
        return (
            "Attend a completed meeting of a mentoring loop and answer a "
            "post-meeting survey about that loop."
        )
    if code == CERTIFIED.code:
        return "Pass the program's participant course."
    if code == CHAMPION.code:
        return (
            "Hold Momentum Gold, Excellence Gold and Growing Together in one "
            "mentoring loop, and be Certified."
        )
    raise ValueError(f"{code!r} is not an achievement.")


def hash_identity(email: str, salt: str) -> str:
    # Addresses are compared case-insensitively, so one spelling is hashed.
    digest = hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()
    return f"sha256${digest}"


def new_salt() -> str:
    return secrets.token_hex(16)


def revocation_reason(publication: Publication) -> str | None:
    """Return why the assertion no longer stands, or None if it does."""
    award = publication.award
    # Erasure also withdraws the publication; the erasure is the reason.
    if award.recipient.erased_at is not None:
        return REVOKED_BY_ERASURE
    if publication.withdrawn_at is not None:
        return WITHDRAWN_BY_RECIPIENT
    if award.revoked_at is not None:
        return REVOKED_BY_CORRECTION
    return None


def issuer_document(program: Program, urls: dict[str, str]) -> dict[str, Any]:
    return {
        "@context": CONTEXT,
        "type": "Issuer",
        "id": urls["issuer"],
        "name": program.name,
        "url": urls["home"],
        "email": settings.ISSUER_EMAIL,
    }


def badge_class_document(code: str, level: int, urls: dict[str, str]) -> dict[str, Any]:
    return {
        "@context": CONTEXT,
        "type": "BadgeClass",
        "id": urls["badge"],
        "name": badge_name(code, level),
        "description": CATALOGUE[code].description,
        "image": urls["badge_image"],
        "criteria": {"narrative": criteria(code, level)},
        "issuer": urls["issuer"],
    }


def assertion_document(
    publication: Publication, urls: dict[str, str]
) -> dict[str, Any]:
    award: Award = publication.award
    issued = award.awarded_at.isoformat(timespec="seconds").replace("+00:00", "Z")
    return {
        "@context": CONTEXT,
        "type": "Assertion",
        "id": urls["assertion"],
        "recipient": {
            "type": "email",
            "hashed": True,
            "salt": publication.salt,
            "identity": publication.identity,
        },
        "badge": urls["badge"],
        "verification": {"type": "hosted"},
        "issuedOn": issued,
        "image": urls["assertion_image"],
    }


def revoked_document(url: str, reason: str) -> dict[str, Any]:
    return {
        "@context": CONTEXT,
        "id": url,
        "revoked": True,
        "revocationReason": reason,
    }
