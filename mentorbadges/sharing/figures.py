"""Program-level figures of a share page: counts over a period, never people.

Two aggregate queries whatever the size of the program: one grouped by badge
and level, one counting distinct loops and recipients.
"""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import Count, QuerySet

from mentorbadges.badges.catalogue import ACHIEVEMENTS, KUDOS, Level
from mentorbadges.badges.models import Award
from mentorbadges.programs.models import Program
from mentorbadges.reports.summary import standing_kudos
from mentorbadges.reports.table import day_after


@dataclass(frozen=True)
class Period:
    starts_on: date | None = None
    ends_on: date | None = None

    @property
    def label(self) -> str:
        start, end = self.starts_on, self.ends_on
        if start and end:
            return f"{_day(start)} to {_day(end)}"
        if start:
            return f"Since {_day(start)}"
        if end:
            return f"Until {_day(end)}"
        return "Since the program began"


@dataclass(frozen=True)
class CategoryCount:
    code: str
    name: str
    description: str
    count: int
    # The bar's length, a fraction of the longest bar; the page and the
    # preview draw the same chart.
    fraction: float = 0.0

    @property
    def percent(self) -> str:
        return f"{self.fraction * 100:.1f}"


@dataclass(frozen=True)
class Highlight:
    code: str
    level: int
    name: str
    count: int


@dataclass(frozen=True)
class QuoteShown:
    feedback: str
    category_name: str
    recipient_name: str
    giver_name: str


@dataclass(frozen=True)
class ShareFigures:
    program_name: str
    period: Period
    kudos_total: int
    categories: list[CategoryCount]
    loops_recognised: int
    participants_recognised: int
    achievements_total: int
    highlights: list[Highlight]
    quote: QuoteShown | None

    @property
    def headline(self) -> str:
        kudos = _plural(self.kudos_total, "kudos", "kudos")
        people = _plural(self.participants_recognised, "participant", "participants")
        return f"{kudos} shared, {people} recognised"

    @property
    def description(self) -> str:
        loops = _plural(self.loops_recognised, "mentoring loop", "mentoring loops")
        achievements = _plural(self.achievements_total, "achievement", "achievements")
        return (
            f"{self.program_name}, {_sentence_inside(self.period.label)}: "
            f"{self.headline}, "
            f"across {loops}; {achievements} earned."
        )


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _sentence_inside(label: str) -> str:
    """Lower the label's first letter only: month names keep their capital."""
    return label[:1].lower() + label[1:]


def thousands(n: int) -> str:
    """Write a figure as the page and the preview both show it: 1,438."""
    return f"{n:,}"


def bar_fraction(count: int, most: int) -> float:
    """Return a bar's length as a fraction of the longest bar of its chart."""
    return count / most if most > 0 else 0.0


def _plural(n: int, one: str, many: str) -> str:
    return f"{thousands(n)} {one if n == 1 else many}"


def in_period(
    awards: QuerySet[Award], program: Program, period: Period
) -> QuerySet[Award]:
    """Keep the awards given in the period, whole days of the program's zone."""
    zone = program.tz
    if period.starts_on:
        start = datetime.combine(period.starts_on, time.min, tzinfo=zone)
        awards = awards.filter(awarded_at__gte=start)
    if period.ends_on:
        after = day_after(period.ends_on)
        awards = awards.filter(
            awarded_at__lt=datetime.combine(after, time.min, tzinfo=zone)
        )
    return awards


def standing_awards(program: Program, period: Period) -> QuerySet[Award]:
    awards = Award.objects.filter(program=program, revoked_at__isnull=True)
    return in_period(awards, program, period)


def quote_choices(program: Program, period: Period, limit: int = 20) -> list[Award]:
    """Return the latest written kudos feedback of the period a coordinator
    may feature."""
    kudos = in_period(standing_kudos(program), program, period).exclude(feedback="")
    return list(
        kudos.select_related("recipient", "giver").order_by("-awarded_at", "-id")[
            :limit
        ]
    )


def shown_quote(award: Award | None, names: bool) -> QuoteShown | None:
    """Return the featured feedback, if it still stands, named only if chosen."""
    if award is None or award.revoked_at is not None or not award.feedback:
        return None
    return QuoteShown(
        award.feedback,
        award.badge_name,
        award.recipient.name if names else "",
        award.giver.name if names and award.giver else "",
    )


def share_figures(
    program: Program,
    period: Period,
    quote: Award | None = None,
    quote_names: bool = False,
) -> ShareFigures:
    awards = standing_awards(program, period)
    counts = {
        (row["badge"], row["level"]): row["n"]
        for row in awards.values("badge", "level").annotate(n=Count("id"))
    }
    reach = awards.aggregate(
        loops=Count("loop", distinct=True),
        people=Count("recipient", distinct=True),
    )

    kudos = {b.code: counts.get((b.code, 0), 0) for b in KUDOS}
    most = max(kudos.values(), default=0)
    categories = [
        CategoryCount(
            b.code,
            b.name,
            b.description,
            kudos[b.code],
            bar_fraction(kudos[b.code], most),
        )
        for b in KUDOS
    ]
    highlights: list[Highlight] = []
    for badge in ACHIEVEMENTS:
        levels = (
            [Level.GOLD, Level.SILVER, Level.BRONZE] if badge.levelled else [Level.NONE]
        )
        for level in levels:
            n = counts.get((badge.code, int(level)), 0)
            if n:
                name = f"{badge.name} {level.label}".strip()
                highlights.append(Highlight(badge.code, int(level), name, n))

    return ShareFigures(
        program_name=program.name,
        period=period,
        kudos_total=sum(c.count for c in categories),
        categories=categories,
        loops_recognised=reach["loops"],
        participants_recognised=reach["people"],
        achievements_total=sum(h.count for h in highlights),
        highlights=highlights,
        quote=shown_quote(quote, quote_names),
    )
