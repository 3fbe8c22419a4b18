"""The All Badges table: every standing award, filtered, sorted and paginated.

The same filter drives the page, the API and the CSV export of the current
view, so what a coordinator sees is what they download.
"""

from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime, time, timedelta, tzinfo

from django.db.models import Case, F, OrderBy, QuerySet, Sum, Value, When
from django.db.models.expressions import Expression

from mentorbadges.activity.events import EARLIEST, LATEST
from mentorbadges.badges.catalogue import CATALOGUE, KUDOS_CODES, Level
from mentorbadges.badges.models import Award, BadgeTally, PersonTally, TimeTally
from mentorbadges.programs.models import Program
from mentorbadges.reports.csv import standing_awards

KUDOS = "kudos"
ACHIEVEMENT = "achievement"
TYPES = (KUDOS, ACHIEVEMENT)
COLUMNS = (
    "date",
    "type",
    "badge",
    "level",
    "recipient",
    "giver",
    "loop",
    "feedback",
)
PER_PAGE = 50
MAX_PER_PAGE = 500


# Events happen from 2000 to 2099, so a day filter outside those years
# changes nothing; days are read within them.
FIRST_DAY = EARLIEST.date()
LAST_DAY = LATEST.date() - timedelta(days=1)


@dataclass(frozen=True)
class TableQuery:
    """What a reader asked for; every field has a harmless default."""

    type: str = ""
    badge: str = ""
    since: date | None = None
    until: date | None = None
    sort: str = "date"
    descending: bool = True
    page: int = 1
    per_page: int = PER_PAGE

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> "TableQuery":
        """Read a query string leniently: an unknown value falls back to its default."""
        kind = params.get("type", "")
        badge = params.get("badge", "")
        sort = params.get("sort", "")
        sort = sort if sort in COLUMNS else "date"
        order = params.get("order", "")
        return cls(
            type=kind if kind in TYPES else "",
            badge=badge if badge in CATALOGUE else "",
            since=_date(params.get("since", "")),
            until=_date(params.get("until", "")),
            sort=sort,
            descending=order == "desc" if order in ("asc", "desc") else sort == "date",
            page=max(_int(params.get("page", ""), 1), 1),
            per_page=min(
                max(_int(params.get("per_page", ""), PER_PAGE), 1), MAX_PER_PAGE
            ),
        )

    def params(self, **changes: object) -> dict[str, str]:
        """Return the query string of this query (with changes), defaults left out."""
        query = replace(self, **changes)  # type: ignore[arg-type]
        default = asdict(TableQuery(sort=query.sort))
        out: dict[str, str] = {}
        for name, value in asdict(query).items():
            if name == "descending":
                out["order"] = "desc" if value else "asc"
            elif value != default[name] or name == "sort":
                out[name] = value.isoformat() if isinstance(value, date) else str(value)
        return out

    @property
    def filters(self) -> dict[str, str]:
        """The filter part only: what an export of the current view needs."""
        return {
            key: value
            for key, value in self.params().items()
            if key in ("type", "badge", "since", "until")
        }


@dataclass(frozen=True)
class Row:
    award_id: int
    awarded_at: datetime
    is_kudos: bool
    type_label: str
    badge: str
    badge_name: str
    level: int
    level_label: str
    recipient_id: int
    recipient_external_id: str
    recipient_name: str
    giver_id: int | None
    giver_external_id: str
    giver_name: str
    loop_id: str
    feedback: str


@dataclass(frozen=True)
class Page:
    rows: list[Row]
    query: TableQuery
    number: int
    per_page: int
    total: int

    @property
    def num_pages(self) -> int:
        return max((self.total + self.per_page - 1) // self.per_page, 1)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def first_index(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.rows else 0

    @property
    def last_index(self) -> int:
        return self.first_index + len(self.rows) - 1 if self.rows else 0


def _date(text: str) -> date | None:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return None
    return min(max(day, FIRST_DAY), LAST_DAY)


def day_after(day: date) -> date:
    """The day after ``day``, which a filter ends before; never past the calendar."""
    return min(day, LAST_DAY) + timedelta(days=1)


def _int(text: str, default: int) -> int:
    try:
        return int(text)
    except ValueError:
        return default


def _filter(
    awards: QuerySet[Award], program: Program, query: TableQuery
) -> QuerySet[Award]:
    if query.type == KUDOS:
        awards = awards.filter(badge__in=KUDOS_CODES)
    elif query.type == ACHIEVEMENT:
        awards = awards.exclude(badge__in=KUDOS_CODES)
    if query.badge:
        awards = awards.filter(badge=query.badge)

    # Dates are calendar days in the program's time zone, both ends included.
    tz = program.tz
    if query.since:
        awards = awards.filter(
            awarded_at__gte=datetime.combine(query.since, time(), tz)
        )
    if query.until:
        end = day_after(query.until)
        awards = awards.filter(awarded_at__lt=datetime.combine(end, time(), tz))
    return awards


def sort_key_of(column: str) -> list[Expression | F]:
    if column == "type":
        return [
            Case(
                When(badge__in=KUDOS_CODES, then=Value("Kudos")),
                default=Value("Achievement"),
            )
        ]
    if column == "badge":
        names = [When(badge=code, then=Value(b.name)) for code, b in CATALOGUE.items()]
        return [Case(*names, default=Value(""))]
    fields = {
        "date": "awarded_at",
        "level": "level",
        "recipient": "recipient__sort_name",
        "giver": "giver__sort_name",
        "loop": "loop__external_id",
        "feedback": "feedback",
    }
    return [F(fields[column])]


# Sort keys that can be empty: a kudos has no level, an achievement no giver.
NULLABLE = frozenset({"giver", "loop"})


def _ordering(query: TableQuery) -> list[OrderBy]:
    keys = sort_key_of(query.sort)
    nullable = [query.sort in NULLABLE]
    if query.sort != "date":
        keys.append(F("awarded_at"))
        nullable.append(False)
    # The primary key breaks every remaining tie, so pages never overlap.
    keys.append(F("id"))
    nullable.append(False)

    # Empty values sort last either way. Keys that are never empty leave the
    # nulls' place unsaid, so that an index walked either way serves them.
    if query.descending:
        return [
            key.desc(nulls_last=True) if empty else key.desc()
            for key, empty in zip(keys, nullable, strict=True)
        ]
    return [
        key.asc(nulls_last=True) if empty else key.asc()
        for key, empty in zip(keys, nullable, strict=True)
    ]


def table_awards(program: Program, query: TableQuery) -> QuerySet[Award]:
    """Return the standing awards of the query, in the table's order."""
    awards = Award.objects.filter(program=program, revoked_at__isnull=True)
    return _filter(awards, program, query).order_by(*_ordering(query))


def export_awards(program: Program, query: TableQuery) -> QuerySet[Award]:
    """Return the awards of the query's filter in the export's fixed order."""
    return _filter(standing_awards(program), program, query)


def count_awards(program: Program, query: TableQuery) -> int:
    """Return how many standing awards the query's filter holds.

    The tallies answer every filter but a badge within dates; that one is
    counted from the awards of the badge, few beside the whole program.
    """
    if query.badge and (query.since or query.until):
        return _filter(
            Award.objects.filter(program=program, revoked_at__isnull=True),
            program,
            query,
        ).count()

    if not (query.since or query.until):
        badges = BadgeTally.objects.filter(program=program)
        if query.badge:
            badges = badges.filter(badge=query.badge)
        if query.type == KUDOS:
            badges = badges.filter(badge__in=KUDOS_CODES)
        elif query.type == ACHIEVEMENT:
            badges = badges.exclude(badge__in=KUDOS_CODES)
        return badges.aggregate(n=Sum("awards"))["n"] or 0

    times = TimeTally.objects.filter(program=program)
    tz = program.tz
    if query.since:
        times = times.filter(at__gte=datetime.combine(query.since, time(), tz))
    if query.until:
        end = day_after(query.until)
        times = times.filter(at__lt=datetime.combine(end, time(), tz))
    figures = times.aggregate(kudos=Sum("kudos"), achievements=Sum("achievements"))
    kudos, achievements = figures["kudos"] or 0, figures["achievements"] or 0
    if query.type == KUDOS:
        return kudos
    if query.type == ACHIEVEMENT:
        return achievements
    return kudos + achievements


def badge_table(program: Program, query: TableQuery) -> Page:
    """Return one page of the table; a page past the end shows the last one."""
    awards = table_awards(program, query)
    total = count_awards(program, query)
    per_page = query.per_page
    last_page = max((total + per_page - 1) // per_page, 1)
    number = min(query.page, last_page)
    start = (number - 1) * per_page

    chosen = _by_recipient(program, query, start, per_page)
    if chosen is None:
        chosen = list(
            awards.select_related("recipient", "giver", "loop")[
                start : start + per_page
            ]
        )
    tz = program.tz
    rows = [_row(award, tz) for award in chosen]
    return Page(rows, replace(query, page=number), number, per_page, total)


def _tallied_recipients(
    program: Program, query: TableQuery
) -> QuerySet[PersonTally, tuple[int, str, int]] | None:
    """Return (recipient, sort name, rows in the table) of each recipient
    with rows, or None when the tally cannot tell (a badge or dates)."""
    if query.sort != "recipient" or query.badge or query.since or query.until:
        return None
    counts = {
        "": F("awards"),
        KUDOS: F("received"),
        ACHIEVEMENT: F("awards") - F("received"),
    }
    return (
        PersonTally.objects.filter(program=program, participant__program=program)
        .annotate(n=counts[query.type], name=F("participant__sort_name"))
        .filter(n__gt=0)
        .values_list("participant", "name", "n")
    )


def recipients_ahead(
    program: Program, query: TableQuery, rows: int, after: str | None
) -> list[int] | None:
    """Return recipients that hold the next ``rows`` rows in recipient order.

    ``after`` is the name of the recipient of the last row already shown.
    Every recipient of that name may have rows left; past it, each recipient
    has at least one row, so ``rows`` more recipients (with the rest of the
    last one's name) hold every row a cursor page can show. None when the
    tally cannot tell.
    """
    people = _tallied_recipients(program, query)
    if people is None:
        return None

    order = "-" if query.descending else ""
    ahead = people
    if after is not None:
        beyond = (
            "participant__sort_name__lt"
            if query.descending
            else "participant__sort_name__gt"
        )
        ahead = people.filter(**{beyond: after})
    walk = list(ahead.order_by(f"{order}name", f"{order}participant")[:rows])
    names = [after] if after is not None else []
    if walk:
        names.append(walk[-1][1])
    ids = {pk for pk, _, _ in walk}
    if names:
        ids |= {pk for pk, _, _ in people.filter(participant__sort_name__in=names)}
    return sorted(ids)


def _by_recipient(
    program: Program, query: TableQuery, start: int, per_page: int
) -> list[Award] | None:
    """Return the page's rows in recipient order, read for its recipients only.

    Sorting every award by its recipient's name to show fifty would read them
    all. Instead the person tally gives how many rows each recipient fills,
    walking recipients in name order (their index) until the page is full;
    the page is then cut from those recipients' awards. Recipients who share
    a name interleave their awards by date, so they are taken together. The
    walk is as long as the rows before the page: short for the first pages.
    Return None for a query the tally does not count (a badge or dates).
    """
    people = _tallied_recipients(program, query)
    if people is None:
        return None

    order = "-" if query.descending else ""
    walk = list(
        people.order_by(f"{order}name", f"{order}participant")[: start + per_page]
    )
    if not walk:
        return []
    # The walk may stop inside a group of equal names; take the whole group.
    last = walk[-1][1]
    seen = {pk for pk, _, _ in walk}
    walk += [
        row for row in people.filter(participant__sort_name=last) if row[0] not in seen
    ]

    groups: dict[str, list[tuple[int, int]]] = {}
    for pk, name, n in walk:
        groups.setdefault(name, []).append((pk, n))
    before = 0
    chosen: list[int] = []
    offset = 0
    for members in groups.values():
        size = sum(n for _, n in members)
        if before + size > start:
            if not chosen:
                offset = start - before
            chosen += [pk for pk, _ in members]
        before += size
        if before >= start + per_page:
            break

    awards = table_awards(program, query).filter(recipient__in=chosen)
    return list(
        awards.select_related("recipient", "giver", "loop")[offset : offset + per_page]
    )


def _row(award: Award, tz: tzinfo) -> Row:
    badge = CATALOGUE[award.badge]
    giver = award.giver
    return Row(
        award_id=award.pk,
        awarded_at=award.awarded_at.astimezone(tz),
        is_kudos=badge.is_kudos,
        type_label=badge.kind_label,
        badge=badge.code,
        badge_name=badge.name,
        level=award.level,
        level_label=Level(award.level).label,
        recipient_id=award.recipient_id,
        recipient_external_id=award.recipient.external_id,
        recipient_name=award.recipient.name,
        giver_id=giver.pk if giver else None,
        giver_external_id=giver.external_id if giver else "",
        giver_name=giver.name if giver else "",
        loop_id=award.loop.external_id if award.loop and badge.per_loop else "",
        feedback=award.feedback,
    )


def is_filtered(query: TableQuery) -> bool:
    return bool(query.type or query.badge or query.since or query.until)
