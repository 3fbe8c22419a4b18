"""Program health: figures against the program's aims, and lists to act on.

The aims are that every loop shares at least one kudos, that participants
unlock every achievement within 12 months of their loop starting, and that
badges start to appear about six weeks in. Figures are aggregate queries, so a
page costs the same handful of queries however many awards a program holds.

A participant is counted once per loop they are a current member of (a
"seat"): per-loop achievements are held per loop, and a participant in two
loops can be on track in one and stalled in the other.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Generic, TypeVar

from django.db.models import (
    Case,
    Count,
    DateTimeField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import TruncMonth
from django.utils import timezone

from mentorbadges.activity.ledger import Ledger
from mentorbadges.activity.models import Event
from mentorbadges.badges.catalogue import (
    CERTIFIED,
    CHAMPION,
    EXCELLENCE,
    GROWING_TOGETHER,
    KUDOS_CODES,
    MOMENTUM,
    Badge,
    Level,
)
from mentorbadges.badges.models import Award, LoopTally, TimeTally
from mentorbadges.badges.rules import loop_progress
from mentorbadges.programs.models import Loop, Membership, Participant, Program

YEAR = timedelta(days=365)
QUIET_AFTER = timedelta(weeks=6)
FIRST_BADGE_AIM = timedelta(weeks=6)
TREND_MONTHS = 12


@dataclass(frozen=True)
class AgeBand:
    """Loops grouped by how long they have run, in days: [start, end)."""

    label: str
    start: int
    end: int | None


AGE_BANDS = (
    AgeBand("Under 3 months", 0, 91),
    AgeBand("3 to 6 months", 91, 182),
    AgeBand("6 to 12 months", 182, 365),
    AgeBand("12 months or more", 365, None),
)


@dataclass(frozen=True)
class Share:
    count: int
    total: int

    @property
    def ratio(self) -> float | None:
        return self.count / self.total if self.total else None

    @property
    def percent(self) -> int | None:
        ratio = self.ratio
        return None if ratio is None else round(ratio * 100)


@dataclass(frozen=True)
class AchievementShare:
    """How many seats hold one achievement level, overall and per loop age."""

    badge: str
    level: int
    label: str
    overall: Share
    by_age: tuple[Share, ...]


@dataclass(frozen=True)
class MonthCount:
    month: date
    kudos: int
    achievements: int


@dataclass(frozen=True)
class Figures:
    computed_at: datetime
    loops: int
    seats: int
    kudos_coverage: Share
    achievements: tuple[AchievementShare, ...]
    seats_by_age: tuple[int, ...]
    median_first_badge: timedelta | None
    loops_with_badges: int
    champion_at_12_months: Share
    months: tuple[MonthCount, ...]


@dataclass(frozen=True)
class LoopToAct:
    loop: str
    kind: str
    started_at: datetime
    last_meeting: datetime | None
    members: tuple[str, ...]


@dataclass(frozen=True)
class NextStep:
    """A participant one step away from an achievement level in a loop."""

    participant_pk: int
    participant: str
    name: str
    loop: str
    badge: str
    level: int
    label: str
    have: int
    need: int
    step: str


Item = TypeVar("Item")


@dataclass(frozen=True)
class ActionList(Generic[Item]):
    items: tuple[Item, ...]
    total: int
    # For lists computed over a bounded set of loops: how many were looked at.
    loops_considered: int | None = None


# The achievement levels in the order pages and exports show them.
LEVELS: tuple[tuple[Badge, int], ...] = (
    (MOMENTUM, Level.BRONZE),
    (MOMENTUM, Level.SILVER),
    (MOMENTUM, Level.GOLD),
    (EXCELLENCE, Level.BRONZE),
    (EXCELLENCE, Level.SILVER),
    (EXCELLENCE, Level.GOLD),
    (GROWING_TOGETHER, Level.NONE),
    (CERTIFIED, Level.NONE),
    (CHAMPION, Level.NONE),
)


def level_label(badge: Badge, level: int) -> str:
    return f"{badge.name} {Level(level).label}".strip()


def program_figures(program: Program, *, now: datetime | None = None) -> Figures:
    """Return the program's figures against its aims, as of ``now``."""
    now = now or timezone.now()
    loops = Loop.objects.filter(program=program, started_at__lte=now)
    loop_counts = loops.aggregate(
        loops=Count("pk"),
        with_kudos=Count(
            "pk",
            filter=Q(pk__in=LoopTally.objects.filter(program=program).values("loop")),
        ),
    )

    seats_by_age, certified_by_age, champion_12 = _seat_counts(program, now)
    holders = _holders_by_age(program, now)
    achievements = []
    for badge, level in LEVELS:
        held = (
            certified_by_age
            if badge is CERTIFIED
            else holders.get((badge.code, level), [0] * len(AGE_BANDS))
        )
        achievements.append(
            AchievementShare(
                badge.code,
                level,
                level_label(badge, level),
                Share(sum(held), sum(seats_by_age)),
                tuple(
                    Share(count, total)
                    for count, total in zip(held, seats_by_age, strict=True)
                ),
            )
        )

    waits = _first_badge_waits(program, now)
    return Figures(
        computed_at=now,
        loops=loop_counts["loops"],
        seats=sum(seats_by_age),
        kudos_coverage=Share(loop_counts["with_kudos"], loop_counts["loops"]),
        achievements=tuple(achievements),
        seats_by_age=tuple(seats_by_age),
        median_first_badge=_median(waits),
        loops_with_badges=len(waits),
        champion_at_12_months=Share(champion_12, seats_by_age[-1]),
        months=_monthly(program, now),
    )


def _kudos_tally() -> QuerySet[LoopTally]:
    """The tally row of the outer loop: it exists while a kudos stands there."""
    # The program leads the tally's unique index, so each look-up is one probe.
    return LoopTally.objects.filter(program=OuterRef("program"), loop=OuterRef("pk"))


def _age_band(field: str, now: datetime) -> Case:
    """Return the index in AGE_BANDS of the loop start held in ``field``."""
    whens = [
        When(**{f"{field}__gt": now - timedelta(days=band.end)}, then=Value(index))
        for index, band in enumerate(AGE_BANDS)
        if band.end is not None
    ]
    return Case(*whens, default=Value(len(AGE_BANDS) - 1), output_field=IntegerField())


def _seats(program: Program, now: datetime) -> QuerySet[Membership]:
    return Membership.objects.filter(
        program=program,
        left_at__isnull=True,
        participant__active=True,
        loop__started_at__lte=now,
    )


def _seat_counts(program: Program, now: datetime) -> tuple[list[int], list[int], int]:
    """Return seats and Certified seats per age band, and Champions by 12 months."""
    certified = Award.objects.filter(
        recipient=OuterRef("participant"),
        badge=CERTIFIED.code,
        revoked_at__isnull=True,
    )
    champion_in_time = Award.objects.filter(
        loop=OuterRef("loop"),
        recipient=OuterRef("participant"),
        badge=CHAMPION.code,
        revoked_at__isnull=True,
        awarded_at__lte=ExpressionWrapper(
            OuterRef("loop__started_at") + YEAR, output_field=DateTimeField()
        ),
    )
    rows = (
        _seats(program, now)
        .annotate(band=_age_band("loop__started_at", now))
        .values("band")
        .annotate(
            seats=Count("pk"),
            certified=Count("pk", filter=Q(Exists(certified))),
            champions=Count("pk", filter=Q(Exists(champion_in_time))),
        )
        .order_by()
    )
    seats = [0] * len(AGE_BANDS)
    certified_seats = [0] * len(AGE_BANDS)
    champions = 0
    for row in rows:
        seats[row["band"]] = row["seats"]
        certified_seats[row["band"]] = row["certified"]
        if row["band"] == len(AGE_BANDS) - 1:
            champions = row["champions"]
    return seats, certified_seats, champions


def _holders_by_age(
    program: Program, now: datetime
) -> dict[tuple[str, int], list[int]]:
    """Return, per (badge, level), the seats holding it in each age band."""
    seat = Membership.objects.filter(
        loop=OuterRef("loop"),
        participant=OuterRef("recipient"),
        left_at__isnull=True,
    )
    per_loop = [b.code for b in (MOMENTUM, EXCELLENCE, GROWING_TOGETHER, CHAMPION)]
    rows = (
        Award.objects.filter(
            program=program,
            badge__in=per_loop,
            revoked_at__isnull=True,
            recipient__active=True,
            loop__started_at__lte=now,
        )
        .filter(Exists(seat))
        .annotate(band=_age_band("loop__started_at", now))
        .values("badge", "level", "band")
        .annotate(holders=Count("pk"))
        .order_by()
    )
    holders: dict[tuple[str, int], list[int]] = {}
    for row in rows:
        counts = holders.setdefault((row["badge"], row["level"]), [0] * len(AGE_BANDS))
        counts[row["band"]] = row["holders"]
    return holders


def _first_badge_waits(program: Program, now: datetime) -> list[timedelta]:
    """Return, for each loop with a badge, the time from its start to the first.

    One row per loop, its first standing award read from the head of the
    loop's index: bounded by the number of loops, not of awards, and it keeps
    the median portable across databases.
    """
    first = Award.objects.filter(loop=OuterRef("pk"), revoked_at__isnull=True)
    waits = (
        Loop.objects.filter(program=program, started_at__lte=now)
        .annotate(first=Subquery(first.order_by("awarded_at").values("awarded_at")[:1]))
        .annotate(wait=ExpressionWrapper(F("first") - F("started_at"), DurationField()))
        .values_list("wait", flat=True)
    )
    # Loops without a badge are left out here, not in SQL, where a filter
    # would read each loop's index a second time.
    return [max(wait, timedelta(0)) for wait in waits if wait is not None]


def _median(values: list[timedelta]) -> timedelta | None:
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def _monthly(program: Program, now: datetime) -> tuple[MonthCount, ...]:
    """Return standing awards per month over the last TREND_MONTHS months.

    Whole quarter hours come from the time tally; the quarter hour ``now``
    falls in is counted from its awards, up to ``now``.
    """
    tz = program.tz
    local = now.astimezone(tz)
    months = [
        _shift_month(local.date().replace(day=1), -back) for back in range(TREND_MONTHS)
    ]
    months.reverse()
    since = datetime(months[0].year, months[0].month, 1, tzinfo=tz)
    edge = max(_quarter_hour(now), since)

    rows = (
        TimeTally.objects.filter(program=program, at__gte=since, at__lt=edge)
        .annotate(month=TruncMonth("at", tzinfo=tz))
        .values("month")
        .annotate(kudos=Sum("kudos"), achievements=Sum("achievements"))
        .order_by()
    )
    found = {
        _as_date(row["month"], tz): (row["kudos"], row["achievements"]) for row in rows
    }
    tail = Award.objects.filter(
        program=program,
        revoked_at__isnull=True,
        awarded_at__gte=edge,
        awarded_at__lte=now,
    ).aggregate(
        kudos=Count("pk", filter=Q(badge__in=KUDOS_CODES)),
        achievements=Count("pk", filter=~Q(badge__in=KUDOS_CODES)),
    )
    if tail["kudos"] or tail["achievements"]:
        month = edge.astimezone(tz).date().replace(day=1)
        kudos, achievements = found.get(month, (0, 0))
        found[month] = (kudos + tail["kudos"], achievements + tail["achievements"])
    return tuple(MonthCount(month, *found.get(month, (0, 0))) for month in months)


def _quarter_hour(moment: datetime) -> datetime:
    """Return the start of the UTC quarter hour, the time tally's unit."""
    moment = moment.astimezone(UTC)
    return moment.replace(minute=moment.minute // 15 * 15, second=0, microsecond=0)


def _shift_month(month: date, delta: int) -> date:
    index = month.year * 12 + month.month - 1 + delta
    return date(index // 12, index % 12 + 1, 1)


def _as_date(value: datetime | date, tz: object) -> date:
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = value.astimezone(tz)  # type: ignore[arg-type]
        return value.date()
    return value


# Lists to act on.


def last_meetings(program: Program, now: datetime) -> dict[int, datetime]:
    """Return, per loop that has met, the time of its latest completed meeting.

    A meeting stands unless a retraction of it came at or after it. Few
    meetings are retracted, so the loops that never had one are read in one
    grouped pass, and only the meetings of the others one by one: a check
    per meeting against the retractions would make the database look for
    them once for every meeting of the program.
    """
    retracted: dict[tuple[int, str], datetime] = {
        (row["loop"], row["subject"]): row["last"]
        for row in Event.objects.filter(program=program, type="meeting.retracted")
        .values("loop", "subject")
        .annotate(last=Max("occurred_at"))
        .order_by()
    }
    meetings = Event.objects.filter(
        program=program, type="meeting.completed", occurred_at__lte=now
    )
    touched = {loop for loop, _ in retracted}
    last = {
        row["loop"]: row["last"]
        for row in meetings.exclude(loop__in=touched)
        .values("loop")
        .annotate(last=Max("occurred_at"))
        .order_by()
    }
    in_touched = meetings.filter(loop__in=touched).values_list(
        "loop", "subject", "occurred_at"
    )
    for loop, subject, at in in_touched:
        undone = retracted.get((loop, subject))
        if (undone is None or undone < at) and (loop not in last or at > last[loop]):
            last[loop] = at
    return last


def _loops_to_act(
    ids: list[int], last: Mapping[int, datetime], limit: int
) -> ActionList[LoopToAct]:
    shown = ids[:limit]
    rows = Loop.objects.in_bulk(shown)
    names: dict[int, list[str]] = {pk: [] for pk in shown}
    members = (
        Membership.objects.filter(loop__in=shown, left_at__isnull=True)
        .order_by("participant__sort_name", "participant__pk")
        .values_list("loop_id", "participant__name")
    )
    for loop_id, name in members:
        names[loop_id].append(name)
    items = tuple(
        LoopToAct(
            rows[pk].external_id,
            rows[pk].kind,
            rows[pk].started_at,
            last.get(pk),
            tuple(names[pk]),
        )
        for pk in shown
    )
    return ActionList(items, len(ids))


def loops_without_kudos(
    program: Program,
    *,
    now: datetime | None = None,
    limit: int = 50,
    last: Mapping[int, datetime] | None = None,
) -> ActionList[LoopToAct]:
    """Return open loops that have had a completed meeting but no kudos yet.

    ``last`` is ``last_meetings(program, now)``, for callers that have it.
    """
    now = now or timezone.now()
    last = last_meetings(program, now) if last is None else last
    open_without = (
        Loop.objects.filter(program=program, is_open=True)
        .exclude(Exists(_kudos_tally()))
        .order_by("started_at", "external_id")
        .values_list("pk", flat=True)
    )
    return _loops_to_act([pk for pk in open_without if pk in last], last, limit)


def quiet_loops(
    program: Program,
    *,
    now: datetime | None = None,
    limit: int = 50,
    last: Mapping[int, datetime] | None = None,
) -> ActionList[LoopToAct]:
    """Return open loops with no completed meeting in the last six weeks.

    A loop that never met counts from its start, so one that started over six
    weeks ago and never met is quiet too. Loops that never met come first,
    then the longest quiet.
    """
    now = now or timezone.now()
    last = last_meetings(program, now) if last is None else last
    cutoff = now - QUIET_AFTER
    quiet = [
        (pk in last, last.get(pk) or started_at, started_at, pk)
        for pk, started_at in Loop.objects.filter(
            program=program, is_open=True, started_at__lte=now
        ).values_list("pk", "started_at")
        if (last.get(pk) or started_at) < cutoff
    ]
    quiet.sort()
    return _loops_to_act([pk for *_, pk in quiet], last, limit)


def near_next_level(
    program: Program,
    *,
    now: datetime | None = None,
    limit: int = 50,
    loops: int = 100,
    last: Mapping[int, datetime] | None = None,
) -> ActionList[NextStep]:
    """Return participants one step from an achievement level.

    Attendance needs each meeting's attendee list, so this reads the history of
    a bounded set of loops: the open loops that met most recently in the last
    six weeks, where a next step is within reach.
    """
    now = now or timezone.now()
    last = last_meetings(program, now) if last is None else last
    cutoff = now - QUIET_AFTER
    recent_ids = sorted(
        (pk for pk, at in last.items() if at >= cutoff),
        key=lambda pk: (last[pk], pk),
        reverse=True,
    )
    keys = dict(
        Loop.objects.filter(program=program, is_open=True).values_list(
            "pk", "external_id"
        )
    )
    recent = [keys[pk] for pk in recent_ids if pk in keys][:loops]
    ledger = Ledger(program)
    ledger.load_loops(recent)

    members: dict[str, set[str]] = {}
    for key in recent:
        entry = ledger.loops.get(key)
        if entry is not None:
            members[key] = set(entry.history.members_at(now))
    everyone = set().union(*members.values()) if members else set()
    people = {
        row.external_id: row
        for row in Participant.objects.filter(
            program=program, external_id__in=everyone, active=True
        )
    }
    certified = set(
        Award.objects.filter(
            recipient__in=people.values(),
            badge=CERTIFIED.code,
            revoked_at__isnull=True,
        ).values_list("recipient__external_id", flat=True)
    )

    steps: list[NextStep] = []
    for key in recent:
        entry = ledger.loops.get(key)
        if entry is None:
            continue
        for person_id in sorted(
            members[key] & people.keys(), key=lambda p: people[p].sort_name
        ):
            person = people[person_id]
            progress = loop_progress(entry.history, person_id)
            for badge, level, have, need, step in _steps(
                progress.meetings,
                progress.top_ratings,
                progress.attended,
                progress.surveyed,
                person_id in certified,
            ):
                steps.append(
                    NextStep(
                        person.pk,
                        person_id,
                        person.name,
                        key,
                        badge.code,
                        level,
                        level_label(badge, level),
                        have,
                        need,
                        step,
                    )
                )
    return ActionList(tuple(steps[:limit]), len(steps), len(recent))


def _steps(
    meetings: int, top_ratings: int, attended: bool, surveyed: bool, certified: bool
) -> list[tuple[Badge, int, int, int, str]]:
    found: list[tuple[Badge, int, int, int, str]] = []
    for badge, have, step in (
        (MOMENTUM, meetings, "one more completed meeting"),
        (EXCELLENCE, top_ratings, "one more 5 out of 5 rating from a loop partner"),
    ):
        for level, need in enumerate(badge.thresholds, start=1):
            if have < need:
                if need - have == 1:
                    found.append((badge, level, have, need, step))
                break

    if attended != surveyed:
        step = "a post-meeting survey" if attended else "a completed meeting"
        found.append((GROWING_TOGETHER, Level.NONE, 1, 2, step))

    loop_done = (
        meetings >= MOMENTUM.thresholds[-1]
        and top_ratings >= EXCELLENCE.thresholds[-1]
        and attended
        and surveyed
    )
    if loop_done and not certified:
        found.append((CHAMPION, Level.NONE, 3, 4, "passing the participant course"))
    return found
