"""The Kudos summary: which behaviours a program values and who is engaged.

Every figure reads the award tallies the database keeps (see
``badges.models``), or walks an index for a few rows, so its cost does not
grow with the number of kudos.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Length, TruncMonth

from mentorbadges.badges.catalogue import KUDOS, KUDOS_CODES
from mentorbadges.badges.models import (
    Award,
    BadgeTally,
    LoopTally,
    PersonTally,
    TimeTally,
)
from mentorbadges.programs.models import Loop, Program

EVERY_LOOP = 1.0


@dataclass(frozen=True)
class CategoryTotal:
    code: str
    name: str
    description: str
    count: int
    share: float


@dataclass(frozen=True)
class PersonCount:
    participant_id: int
    external_id: str
    name: str
    count: int


@dataclass(frozen=True)
class LoopCoverage:
    loops: int
    with_kudos: int
    target: float = EVERY_LOOP

    @property
    def share(self) -> float:
        return self.with_kudos / self.loops if self.loops else 0.0

    @property
    def without_kudos(self) -> int:
        return self.loops - self.with_kudos

    @property
    def on_target(self) -> bool:
        return self.loops > 0 and self.share >= self.target


@dataclass(frozen=True)
class MonthCount:
    month: date
    count: int


@dataclass(frozen=True)
class Quote:
    award_id: int
    category: str
    category_name: str
    recipient_name: str
    giver_name: str
    loop_id: str
    feedback: str
    awarded_at: datetime


@dataclass(frozen=True)
class KudosSummary:
    total: int
    categories: list[CategoryTotal]
    top_recipients: list[PersonCount]
    top_givers: list[PersonCount]
    coverage: LoopCoverage
    months: list[MonthCount]
    quotes: list[Quote]


def standing_kudos(program: Program) -> QuerySet[Award]:
    return Award.objects.filter(
        program=program, revoked_at__isnull=True, badge__in=KUDOS_CODES
    )


def category_totals(program: Program) -> list[CategoryTotal]:
    """Return the five categories in catalogue order, each with its count."""
    counts = dict(
        BadgeTally.objects.filter(program=program, badge__in=KUDOS_CODES).values_list(
            "badge", "awards"
        )
    )
    total = sum(counts.values())
    return [
        CategoryTotal(
            badge.code,
            badge.name,
            badge.description,
            counts.get(badge.code, 0),
            counts.get(badge.code, 0) / total if total else 0.0,
        )
        for badge in KUDOS
    ]


def top_people(program: Program, role: str, limit: int = 5) -> list[PersonCount]:
    """Return who received (``role="recipient"``) or gave the most kudos."""
    if role not in ("recipient", "giver"):
        raise ValueError(f"Unknown role {role!r}.")

    count = "received" if role == "recipient" else "given"
    rows = (
        PersonTally.objects.filter(program=program, **{f"{count}__gt": 0})
        .order_by(f"-{count}", "participant__sort_name", "participant")
        .values_list(
            "participant", "participant__external_id", "participant__name", count
        )[:limit]
    )
    return [PersonCount(*row) for row in rows]


def loop_coverage(program: Program) -> LoopCoverage:
    """Return how many loops have shared at least one kudos, against every loop."""
    # A tally row exists while its loop holds a standing kudos.
    tallied = LoopTally.objects.filter(program=program).values("loop")
    figures = Loop.objects.filter(program=program).aggregate(
        loops=Count("pk"), with_kudos=Count("pk", filter=Q(pk__in=tallied))
    )
    return LoopCoverage(figures["loops"], figures["with_kudos"])


def kudos_per_month(program: Program) -> list[MonthCount]:
    """Return kudos counts by calendar month of the program's time zone.

    Months with no kudos between the first and the last are included as zero,
    so a chart of them reads as a timeline.
    """
    rows = (
        TimeTally.objects.filter(program=program, kudos__gt=0)
        .annotate(month=TruncMonth("at", tzinfo=program.tz))
        .values("month")
        .annotate(n=Sum("kudos"))
        .order_by("month")
    )
    counts: dict[date, int] = {}
    for row in rows:
        month = row["month"]
        key = month.date() if isinstance(month, datetime) else month
        counts[key.replace(day=1)] = row["n"]
    if not counts:
        return []

    months: list[MonthCount] = []
    current, last = min(counts), max(counts)
    while current <= last:
        months.append(MonthCount(current, counts.get(current, 0)))
        current = (
            date(current.year + 1, 1, 1)
            if current.month == 12
            else date(current.year, current.month + 1, 1)
        )
    return months


def recent_quotes(
    program: Program, limit: int = 3, min_length: int = 30
) -> list[Quote]:
    """Return the latest feedback long enough to tell as a story."""
    rows = (
        standing_kudos(program)
        .annotate(length=Length("feedback"))
        .filter(length__gte=min_length)
        .select_related("recipient", "giver", "loop")
        .order_by("-awarded_at", "-id")[:limit]
    )
    names = {badge.code: badge.name for badge in KUDOS}
    return [
        Quote(
            award.pk,
            award.badge,
            names[award.badge],
            award.recipient.name,
            award.giver.name if award.giver else "",
            award.loop.external_id if award.loop else "",
            award.feedback,
            award.awarded_at.astimezone(program.tz),
        )
        for award in rows
    ]


def kudos_summary(program: Program, *, top: int = 5, quotes: int = 3) -> KudosSummary:
    categories = category_totals(program)
    return KudosSummary(
        total=sum(category.count for category in categories),
        categories=categories,
        top_recipients=top_people(program, "recipient", top),
        top_givers=top_people(program, "giver", top),
        coverage=loop_coverage(program),
        months=kudos_per_month(program),
        quotes=recent_quotes(program, quotes),
    )
