"""A participant's badges: kudos counts, achievements per loop, progress.

Levels reached come from the standing awards; progress towards the next level
is derived from the loop's recorded history by the same rules that award it.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, tzinfo

from django.db.models import Count, Max

from mentorbadges.activity.ledger import Ledger
from mentorbadges.badges.catalogue import (
    CERTIFIED,
    CHAMPION,
    EXCELLENCE,
    GROWING_TOGETHER,
    KUDOS,
    KUDOS_CODES,
    MOMENTUM,
    Badge,
    Level,
)
from mentorbadges.badges.models import Award
from mentorbadges.badges.rules import loop_progress
from mentorbadges.programs.models import Membership, Participant

UNITS = {MOMENTUM.code: "meetings", EXCELLENCE.code: "top ratings"}
UNIT = {MOMENTUM.code: "meeting", EXCELLENCE.code: "top rating"}


@dataclass(frozen=True)
class KudosCount:
    code: str
    name: str
    description: str
    count: int


@dataclass(frozen=True)
class LevelProgress:
    """A levelled achievement in one loop: the level held and what comes next."""

    badge: str
    name: str
    level: int
    level_label: str
    count: int
    next_level: int | None
    next_level_label: str
    next_threshold: int | None
    awarded_at: datetime | None

    @property
    def remaining(self) -> int:
        if self.next_threshold is None:
            return 0
        return max(self.next_threshold - self.count, 0)

    @property
    def unit(self) -> str:
        return (UNIT if self.remaining == 1 else UNITS)[self.badge]

    @property
    def percent(self) -> int:
        """How far along the way to the next level (100 when all are reached)."""
        if self.next_threshold is None:
            return 100
        return min(100, round(100 * self.count / self.next_threshold))

    @property
    def sentence(self) -> str:
        if self.next_threshold is None:
            return f"Every {self.name} level reached."
        return f"{self.remaining} more {self.unit} to {self.next_level_label}"


@dataclass(frozen=True)
class Partner:
    participant_id: int
    external_id: str
    name: str
    role: str


@dataclass(frozen=True)
class LoopAchievements:
    loop_pk: int
    loop_id: str
    kind: str
    is_open: bool
    role: str
    current: bool
    partners: list[Partner]
    momentum: LevelProgress
    excellence: LevelProgress
    growing_together_at: datetime | None
    champion_at: datetime | None
    kudos_received: int


@dataclass(frozen=True)
class Feedback:
    award_id: int
    category: str
    category_name: str
    giver_name: str
    loop_id: str
    feedback: str
    awarded_at: datetime


@dataclass(frozen=True)
class Profile:
    participant_id: int
    external_id: str
    name: str
    active: bool
    kudos: list[KudosCount]
    loops: list[LoopAchievements]
    certified_at: datetime | None
    feedback: list[Feedback] = field(default_factory=list)

    @property
    def kudos_total(self) -> int:
        return sum(item.count for item in self.kudos)

    @property
    def champion_count(self) -> int:
        return sum(1 for loop in self.loops if loop.champion_at)

    @property
    def achievement_count(self) -> int:
        levels = sum(loop.momentum.level + loop.excellence.level for loop in self.loops)
        singles = sum(
            bool(loop.growing_together_at) + bool(loop.champion_at)
            for loop in self.loops
        )
        return levels + singles + bool(self.certified_at)


def _level_progress(
    badge: Badge, held: dict[int, datetime], count: int, tz: tzinfo
) -> LevelProgress:
    level = max(held, default=0)
    upcoming = [
        (lvl, threshold)
        for lvl, threshold in zip((1, 2, 3), badge.thresholds, strict=True)
        if lvl > level
    ]
    next_level, next_threshold = upcoming[0] if upcoming else (None, None)
    at = held.get(level)
    return LevelProgress(
        badge=badge.code,
        name=badge.name,
        level=level,
        level_label=Level(level).label,
        # Never show less than the level held: both come from one history.
        count=max(count, badge.thresholds[level - 1] if level else 0),
        next_level=next_level,
        next_level_label=Level(next_level).label if next_level else "",
        next_threshold=next_threshold,
        awarded_at=at.astimezone(tz) if at else None,
    )


def participant_profile(participant: Participant, *, with_feedback: bool) -> Profile:
    """Return a participant's badges; feedback only when ``with_feedback``.

    Other people's profiles are built without feedback: participants see the
    feedback they received, never anyone else's.
    """
    program = participant.program
    tz = program.tz
    standing = Award.objects.filter(recipient=participant, revoked_at__isnull=True)

    counts = dict(
        standing.filter(badge__in=KUDOS_CODES)
        .values_list("badge")
        .annotate(n=Count("id"))
        .values_list("badge", "n")
    )
    kudos = [
        KudosCount(b.code, b.name, b.description, counts.get(b.code, 0)) for b in KUDOS
    ]

    per_loop_kudos = dict(
        standing.filter(badge__in=KUDOS_CODES)
        .values_list("loop_id")
        .annotate(n=Count("id"))
        .values_list("loop_id", "n")
    )
    achievements: dict[tuple[int | None, str], dict[int, datetime]] = {}
    for loop_id, code, level, at in standing.exclude(badge__in=KUDOS_CODES).values_list(
        "loop_id", "badge", "level", "awarded_at"
    ):
        achievements.setdefault((loop_id, code), {})[level] = at
    certified = achievements.get((None, CERTIFIED.code), {}).get(0)

    loops = _loops(participant, achievements, per_loop_kudos, tz)
    feedback = _feedback(participant, tz) if with_feedback else []
    return Profile(
        participant_id=participant.pk,
        external_id=participant.external_id,
        name=participant.name,
        active=participant.active,
        kudos=kudos,
        loops=loops,
        certified_at=certified.astimezone(tz) if certified else None,
        feedback=feedback,
    )


def _loops(
    participant: Participant,
    achievements: dict[tuple[int | None, str], dict[int, datetime]],
    per_loop_kudos: dict[int, int],
    tz: tzinfo,
) -> list[LoopAchievements]:
    spans = (
        Membership.objects.filter(participant=participant)
        .select_related("loop")
        .order_by("-loop__started_at", "loop_id", "-joined_at")
    )
    mine: dict[int, Membership] = {}
    current: set[int] = set()
    for span in spans:
        mine.setdefault(span.loop_id, span)
        if span.left_at is None:
            current.add(span.loop_id)
    if not mine:
        return []

    partners = _partners(participant, mine.keys())
    ledger = Ledger(participant.program)
    ledger.load_loops(span.loop.external_id for span in mine.values())

    result = []
    for loop_pk, span in mine.items():
        loop = span.loop
        entry = ledger.loops.get(loop.external_id)
        progress = (
            loop_progress(entry.history, participant.external_id) if entry else None
        )
        held = achievements.get
        growing = held((loop_pk, GROWING_TOGETHER.code), {}).get(0)
        champion = held((loop_pk, CHAMPION.code), {}).get(0)
        result.append(
            LoopAchievements(
                loop_pk=loop_pk,
                loop_id=loop.external_id,
                kind=loop.kind,
                is_open=loop.is_open,
                role=span.role,
                current=loop_pk in current,
                partners=partners.get(loop_pk, []),
                momentum=_level_progress(
                    MOMENTUM,
                    held((loop_pk, MOMENTUM.code), {}),
                    progress.meetings if progress else 0,
                    tz,
                ),
                excellence=_level_progress(
                    EXCELLENCE,
                    held((loop_pk, EXCELLENCE.code), {}),
                    progress.top_ratings if progress else 0,
                    tz,
                ),
                growing_together_at=growing.astimezone(tz) if growing else None,
                champion_at=champion.astimezone(tz) if champion else None,
                kudos_received=per_loop_kudos.get(loop_pk, 0),
            )
        )
    return result


def _partners(
    participant: Participant, loop_pks: Iterable[int]
) -> dict[int, list[Partner]]:
    """Return the current other members of each loop, by name."""
    others = (
        Membership.objects.filter(loop_id__in=list(loop_pks), left_at__isnull=True)
        .exclude(participant=participant)
        .select_related("participant")
        .order_by("participant__sort_name", "participant_id")
    )
    partners: dict[int, list[Partner]] = {}
    for span in others:
        person = span.participant
        partners.setdefault(span.loop_id, []).append(
            Partner(person.pk, person.external_id, person.name, span.role)
        )
    return partners


def _feedback(participant: Participant, tz: tzinfo) -> list[Feedback]:
    rows = (
        Award.objects.filter(
            recipient=participant, revoked_at__isnull=True, badge__in=KUDOS_CODES
        )
        .exclude(feedback="")
        .select_related("giver", "loop")
        .order_by("-awarded_at", "-id")
    )
    names = {badge.code: badge.name for badge in KUDOS}
    return [
        Feedback(
            award.pk,
            award.badge,
            names[award.badge],
            award.giver.name if award.giver else "",
            award.loop.external_id if award.loop else "",
            award.feedback,
            award.awarded_at.astimezone(tz),
        )
        for award in rows
    ]


def badge_counts(participant_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    """Return, per participant, how many standing awards they hold per badge.

    One query for any number of participants: the directory calls it per page.
    """
    rows = (
        Award.objects.filter(
            recipient_id__in=list(participant_ids), revoked_at__isnull=True
        )
        .values_list("recipient_id", "badge")
        .annotate(n=Count("id"))
        .values_list("recipient_id", "badge", "n")
    )
    counts: dict[int, dict[str, int]] = {}
    for pk, code, n in rows:
        counts.setdefault(pk, {})[code] = n
    return counts


def best_levels(participant_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    """Return, per participant, the highest level held of each achievement."""
    rows = (
        Award.objects.filter(
            recipient_id__in=list(participant_ids), revoked_at__isnull=True
        )
        .exclude(badge__in=KUDOS_CODES)
        .values_list("recipient_id", "badge")
        .annotate(top=Max("level"))
        .values_list("recipient_id", "badge", "top")
    )
    levels: dict[int, dict[str, int]] = {}
    for pk, code, top in rows:
        levels.setdefault(pk, {})[code] = top
    return levels
