"""Reads: a participant's badges, all badges, the kudos summary, program health."""

from datetime import date, datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from mentorbadges.api.auth import program_for
from mentorbadges.api.errors import NotFound
from mentorbadges.api.listing import cursor_page
from mentorbadges.api.schemas import AwardOut, Problem
from mentorbadges.badges.profile import LevelProgress, participant_profile
from mentorbadges.health.figures import AGE_BANDS, Share, program_figures
from mentorbadges.programs.models import Participant
from mentorbadges.reports.summary import kudos_summary
from mentorbadges.reports.table import (
    FIRST_DAY,
    LAST_DAY,
    MAX_PER_PAGE,
    PER_PAGE,
    TableQuery,
)

router = Router(tags=["v1"])
ERRORS: dict[int, type[Problem]] = {401: Problem, 404: Problem, 429: Problem}


# A participant's badges.


class KudosCountOut(Schema):
    category: str = Field(examples=["trust"])
    name: str = Field(examples=["Trust"])
    count: int = Field(examples=[3])


class LevelledOut(Schema):
    """A levelled achievement in one loop and the way to its next level."""

    badge: str = Field(examples=["momentum"])
    name: str = Field(examples=["Momentum"])
    level: Literal["Bronze", "Silver", "Gold"] | None
    awarded_at: datetime | None
    count: int = Field(description="Meetings attended, or top ratings received.")
    next_level: Literal["Bronze", "Silver", "Gold"] | None
    next_threshold: int | None = Field(examples=[10])
    remaining: int = Field(examples=[3])
    percent: int = Field(examples=[70], description="Progress to the next level.")

    @classmethod
    def of(cls, progress: LevelProgress) -> "LevelledOut":
        return cls(
            badge=progress.badge,
            name=progress.name,
            level=progress.level_label or None,  # type: ignore[arg-type]
            awarded_at=progress.awarded_at,
            count=progress.count,
            next_level=progress.next_level_label or None,  # type: ignore[arg-type]
            next_threshold=progress.next_threshold,
            remaining=progress.remaining,
            percent=progress.percent,
        )


class LoopBadgesOut(Schema):
    loop: str = Field(examples=["loop-17"])
    kind: Literal["one_to_one", "group"]
    role: str = Field(examples=["mentee"])
    current: bool = Field(description="Whether they are still a member.")
    open: bool
    kudos_received: int
    momentum: LevelledOut
    excellence: LevelledOut
    growing_together_at: datetime | None
    champion_at: datetime | None


class ParticipantBadgesOut(Schema):
    id: str = Field(examples=["p-ana"])
    name: str = Field(examples=["Ana Lima"])
    active: bool
    kudos: list[KudosCountOut]
    kudos_total: int
    certified_at: datetime | None
    loops: list[LoopBadgesOut]


@router.get(
    "/programs/{program}/participants/{participant}/badges",
    response={200: ParticipantBadgesOut, **ERRORS},
    summary="A participant's badges",
)
def participant_badges(
    request: HttpRequest, program: str, participant: str
) -> ParticipantBadgesOut:
    """Kudos counts per category, achievements per loop with their levels, and
    the progress to each next level.
    """
    found = program_for(request, program)
    # PostgreSQL refuses NUL in text; no stored id holds one.
    person = (
        Participant.objects.filter(program=found, external_id=participant).first()
        if "\x00" not in participant
        else None
    )
    if person is None:
        shown = participant[:80].replace("\x00", "")
        raise NotFound(f"No participant '{shown}' is known in this program.")

    profile = participant_profile(person, with_feedback=False)
    return ParticipantBadgesOut(
        id=profile.external_id,
        name=profile.name,
        active=profile.active,
        kudos=[
            KudosCountOut(category=k.code, name=k.name, count=k.count)
            for k in profile.kudos
        ],
        kudos_total=profile.kudos_total,
        certified_at=profile.certified_at,
        loops=[
            LoopBadgesOut(
                loop=loop.loop_id,
                kind=loop.kind,  # type: ignore[arg-type]
                role=loop.role,
                current=loop.current,
                open=loop.is_open,
                kudos_received=loop.kudos_received,
                momentum=LevelledOut.of(loop.momentum),
                excellence=LevelledOut.of(loop.excellence),
                growing_together_at=loop.growing_together_at,
                champion_at=loop.champion_at,
            )
            for loop in profile.loops
        ],
    )


# All badges.

Column = Literal[
    "date", "type", "badge", "level", "recipient", "giver", "loop", "feedback"
]
BadgeCode = Literal[
    "trust",
    "networking",
    "expertise",
    "commitment",
    "creativity",
    "excellence",
    "momentum",
    "growing_together",
    "certified",
    "champion",
]


class BadgeFilter(Schema):
    type: Literal["kudos", "achievement"] | None = None
    badge: BadgeCode | None = None
    recipient: str | None = Field(
        default=None, max_length=200, description="A participant id."
    )
    since: date | None = Field(
        default=None, ge=FIRST_DAY, le=LAST_DAY, description="First day, included."
    )
    until: date | None = Field(
        default=None, ge=FIRST_DAY, le=LAST_DAY, description="Last day, included."
    )
    sort: Column = "date"
    order: Literal["asc", "desc"] | None = Field(
        default=None, description="Newest first by date; otherwise A to Z."
    )
    limit: int = Field(default=PER_PAGE, ge=1, le=MAX_PER_PAGE)
    cursor: str | None = Field(
        default=None,
        max_length=2000,
        description="The `next_cursor` of the previous page.",
    )


class BadgePage(Schema):
    items: list[AwardOut]
    next_cursor: str | None = Field(description="Absent on the last page.")
    total: int = Field(description="How many awards match the filter.")


@router.get(
    "/programs/{program}/badges",
    response={200: BadgePage, 400: Problem, 422: Problem, **ERRORS},
    summary="All badges",
)
def all_badges(
    request: HttpRequest, program: str, filters: Query[BadgeFilter]
) -> BadgePage:
    """Every standing award, filtered and sorted as the All Badges table does,
    a page at a time; follow `next_cursor` for the next page.
    """
    found = program_for(request, program)
    order = filters.order or ("desc" if filters.sort == "date" else "asc")
    query = TableQuery(
        type=filters.type or "",
        badge=filters.badge or "",
        since=filters.since,
        until=filters.until,
        sort=filters.sort,
        descending=order == "desc",
    )
    page = cursor_page(
        found,
        query,
        limit=filters.limit,
        cursor=filters.cursor,
        recipient=filters.recipient,
    )
    return BadgePage(
        items=[AwardOut.of(award) for award in page.awards],
        next_cursor=page.next_cursor,
        total=page.total,
    )


# The kudos summary.


class CategoryOut(Schema):
    category: str = Field(examples=["trust"])
    name: str = Field(examples=["Trust"])
    count: int
    share: float = Field(description="Of all kudos, from 0 to 1.")


class PersonCountOut(Schema):
    id: str
    name: str
    count: int


class CoverageOut(Schema):
    loops: int
    with_kudos: int
    share: float
    target: float = Field(description="The aim: every loop shares a kudos.")


class MonthOut(Schema):
    month: date = Field(description="The first day of the month.")
    count: int


class QuoteOut(Schema):
    category: str
    recipient: str
    giver: str
    loop: str
    feedback: str
    awarded_at: datetime


class KudosSummaryOut(Schema):
    total: int
    categories: list[CategoryOut]
    top_recipients: list[PersonCountOut]
    top_givers: list[PersonCountOut]
    coverage: CoverageOut
    months: list[MonthOut]
    quotes: list[QuoteOut]


@router.get(
    "/programs/{program}/kudos/summary",
    response={200: KudosSummaryOut, **ERRORS},
    summary="The kudos summary",
)
def kudos_summary_figures(request: HttpRequest, program: str) -> KudosSummaryOut:
    """The figures of the Kudos summary page."""
    found = program_for(request, program)
    summary = kudos_summary(found)
    coverage = summary.coverage
    return KudosSummaryOut(
        total=summary.total,
        categories=[
            CategoryOut(category=c.code, name=c.name, count=c.count, share=c.share)
            for c in summary.categories
        ],
        top_recipients=[
            PersonCountOut(id=p.external_id, name=p.name, count=p.count)
            for p in summary.top_recipients
        ],
        top_givers=[
            PersonCountOut(id=p.external_id, name=p.name, count=p.count)
            for p in summary.top_givers
        ],
        coverage=CoverageOut(
            loops=coverage.loops,
            with_kudos=coverage.with_kudos,
            share=coverage.share,
            target=coverage.target,
        ),
        months=[MonthOut(month=m.month, count=m.count) for m in summary.months],
        quotes=[
            QuoteOut(
                category=q.category,
                recipient=q.recipient_name,
                giver=q.giver_name,
                loop=q.loop_id,
                feedback=q.feedback,
                awarded_at=q.awarded_at,
            )
            for q in summary.quotes
        ],
    )


# Program health.


class ShareOut(Schema):
    count: int
    total: int
    ratio: float | None

    @classmethod
    def of(cls, share: Share) -> "ShareOut":
        return cls(count=share.count, total=share.total, ratio=share.ratio)


class AchievementShareOut(Schema):
    badge: str = Field(examples=["momentum"])
    level: Literal["Bronze", "Silver", "Gold"] | None
    label: str = Field(examples=["Momentum Bronze"])
    overall: ShareOut
    by_loop_age: list[ShareOut] = Field(description="In the order of `loop_ages`.")


class HealthMonthOut(Schema):
    month: date
    kudos: int
    achievements: int


class HealthOut(Schema):
    computed_at: datetime
    loops: int
    seats: int = Field(description="Current memberships of started loops.")
    loop_ages: list[str] = Field(examples=[[band.label for band in AGE_BANDS]])
    seats_by_loop_age: list[int]
    kudos_coverage: ShareOut
    achievements: list[AchievementShareOut]
    median_days_to_first_badge: float | None
    loops_with_badges: int
    champion_at_12_months: ShareOut
    months: list[HealthMonthOut]


@router.get(
    "/programs/{program}/health",
    response={200: HealthOut, **ERRORS},
    summary="Program health figures",
)
def health(request: HttpRequest, program: str) -> HealthOut:
    """The program's figures against its aims: kudos in every loop, every
    achievement within 12 months, first badges about six weeks in.
    """
    found = program_for(request, program)
    figures = program_figures(found)
    wait = figures.median_first_badge
    return HealthOut(
        computed_at=figures.computed_at,
        loops=figures.loops,
        seats=figures.seats,
        loop_ages=[band.label for band in AGE_BANDS],
        seats_by_loop_age=list(figures.seats_by_age),
        kudos_coverage=ShareOut.of(figures.kudos_coverage),
        achievements=[
            AchievementShareOut(
                badge=item.badge,
                level=LEVEL_NAMES[item.level],  # type: ignore[arg-type]
                label=item.label,
                overall=ShareOut.of(item.overall),
                by_loop_age=[ShareOut.of(share) for share in item.by_age],
            )
            for item in figures.achievements
        ],
        median_days_to_first_badge=(
            round(wait.total_seconds() / 86400, 1) if wait is not None else None
        ),
        loops_with_badges=figures.loops_with_badges,
        champion_at_12_months=ShareOut.of(figures.champion_at_12_months),
        months=[
            HealthMonthOut(month=m.month, kudos=m.kudos, achievements=m.achievements)
            for m in figures.months
        ],
    )


LEVEL_NAMES = {0: None, 1: "Bronze", 2: "Silver", 3: "Gold"}
