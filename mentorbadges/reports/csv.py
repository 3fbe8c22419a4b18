"""The all-badges CSV: byte-exact to the published format, streamed.

The database writes every cell: catalogue names, level labels, local times
and the formula guard are SQL expressions in the same query that joins the
rows. Python then only moves text. On SQLite the query also quotes each
cell where the csv module would and joins the row into one line; on
PostgreSQL the server writes the CSV itself with ``COPY``, which quotes
exactly where the csv module does, once its two differences are undone: it
quotes an empty string where the csv module does not, and it ends rows with
LF where the export ends them with CRLF.
"""

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.db import connection, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Case, CharField, F, Func, QuerySet, Value, When
from django.db.models.expressions import Expression
from django.db.models.functions import Coalesce, Collate
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone

from mentorbadges.badges.catalogue import CATALOGUE, KUDOS_CODES, Level
from mentorbadges.badges.models import Award
from mentorbadges.programs.models import Program
from mentorbadges.reports.zones import Offset, offsets

if TYPE_CHECKING:
    from django.db.models.sql.compiler import _AsSqlType

HEADER = (
    "awarded_at",
    "type",
    "badge",
    "level",
    "recipient_id",
    "recipient_name",
    "giver_id",
    "giver_name",
    "loop_id",
    "feedback",
)
BOM = "\ufeff".encode()
# A cell starting with one of these gets a leading "'", so that spreadsheets
# do not run it as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_ROWS = 1000
_BYTES = 1 << 18
# Awards written while an export runs may fall outside the span of times it
# read first; their offsets are right as long as they are within this margin.
_MARGIN = timedelta(days=31)

# COPY has no CRLF option, so line feeds inside cells are sent as a marker
# (a noncharacter, escaped where it occurs itself) and the LFs that remain
# end rows. The marker keeps a CR, so COPY still quotes such a cell.
_MARK = "\uffff".encode()
_MARKED_MARK = _MARK + b"a"
_MARKED_LF = _MARK + b"b\r"


def standing_awards(program: Program) -> QuerySet[Award]:
    """Awards that stand, in award-time order with a content-based tie-break."""
    # Byte order for the tie-break on every database, as the export promises.
    key = (
        Collate(F("stable_key"), "C")
        if connection.vendor == "postgresql"
        else F("stable_key")
    )
    return Award.objects.filter(program=program, revoked_at__isnull=True).order_by(
        "awarded_at", key
    )


def export_csv(program: Program) -> Iterator[bytes]:
    return csv_chunks(standing_awards(program), program)


def csv_chunks(awards: QuerySet[Award], program: Program) -> Iterator[bytes]:
    """Yield the CSV of the awards, in their order, in pieces of bounded size."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(HEADER)
    yield BOM + buffer.getvalue().encode()

    database = connections[awards.db]
    cells = _cells(program, database.vendor)
    if database.vendor == "postgresql":
        rows = awards.values_list(*cells)
    else:
        rows = awards.values_list(_line(cells))
    sql, params = rows.query.get_compiler(using=awards.db).as_sql()
    if database.vendor == "postgresql":
        yield from _copied(database, sql, params)
    else:
        yield from _joined(database, sql, params)


def _joined(
    database: BaseDatabaseWrapper, sql: str, params: Sequence[Any]
) -> Iterator[bytes]:
    with database.cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(_ROWS):
            yield "".join([line for (line,) in rows]).encode()


def _line(cells: list[Expression]) -> Expression:
    """Return one CSV line of the cells, for a database without COPY."""
    parts: list[Expression] = []
    for cell in cells:
        parts += [Coalesce(cell, Value("")), Value(",")]
    parts[-1] = Value("\r\n")
    # Flat, as SQLite's parser refuses Concat's deep nesting of twenty parts.
    return Func(*parts, template="%(expressions)s", arg_joiner=" || ")


def _copied(
    database: BaseDatabaseWrapper, sql: str, params: Sequence[Any]
) -> Iterator[bytes]:
    statement = f"COPY ({sql}) TO STDOUT (FORMAT csv, ENCODING 'UTF8')"
    if not params:
        # The placeholders' escapes are undone only when there are params.
        statement = statement % ()
    # A reader that stops early makes psycopg cancel the COPY; in a
    # transaction (or savepoint) of its own, that cancel is rolled back alone.
    with transaction.atomic(using=database.alias), database.cursor() as cursor:
        # For every row, hashing the people and loops once and sorting is
        # about twice as fast as the plan the planner prefers: walking the
        # time index with a look-up per row to skip the sort.
        cursor.execute(
            "SELECT current_setting('enable_nestloop'), "
            "set_config('enable_nestloop', 'off', true)"
        )
        (nestloop, _) = cursor.fetchone()
        with cursor.cursor.copy(statement, params) as copy:
            yield from _crlf_blocks(copy)
        cursor.execute("SELECT set_config('enable_nestloop', %s, true)", [nestloop])


def _crlf_blocks(blocks: Iterable[bytes]) -> Iterator[bytes]:
    """Gather COPY's blocks into pieces of whole rows, as the export writes them."""
    pending: list[bytes] = []
    size = 0
    for block in blocks:
        pending.append(block)
        size += len(block)
        if size >= _BYTES:
            # A marked cell never holds an LF, so an LF always ends a row.
            text = b"".join(pending)
            end = text.rfind(b"\n") + 1
            if end:
                yield _crlf(text[:end])
            pending = [text[end:]]
            size = len(pending[0])
    if rest := b"".join(pending):
        yield _crlf(rest)


def _crlf(text: bytes) -> bytes:
    """Turn COPY's text into the export's: CRLF rows, line feeds restored."""
    text = text.replace(b"\n", b"\r\n")
    if _MARK in text:
        text = text.replace(_MARKED_LF, b"\n").replace(_MARKED_MARK, _MARK)
    return text


def _cells(program: Program, vendor: str) -> list[Expression]:
    """Return the ten columns of the export as SQL expressions."""
    per_loop = [code for code, badge in CATALOGUE.items() if badge.per_loop]
    levels = [When(level=level, then=Value(level.label)) for level in Level if level]
    cell = _Copyable if vendor == "postgresql" else _Quoted
    return [
        _local_times(program),
        Case(
            When(badge__in=sorted(KUDOS_CODES), then=Value("Kudos")),
            default=Value("Achievement"),
        ),
        Case(*[When(badge=code, then=Value(b.name)) for code, b in CATALOGUE.items()]),
        Case(*levels),
        cell(F("recipient__external_id")),
        cell(F("recipient__name")),
        cell(F("giver__external_id")),
        cell(F("giver__name")),
        Case(When(badge__in=per_loop, then=cell(F("loop__external_id")))),
        cell(F("feedback")),
    ]


def _local_times(program: Program) -> Expression:
    """Return awarded_at in the program's zone, choosing each row's offset."""
    standing = Award.objects.filter(program=program, revoked_at__isnull=True)
    times = standing.order_by("awarded_at").values_list("awarded_at", flat=True)
    now = timezone.now()
    first = min(times.first() or now, now)
    last = max(times.reverse().first() or now, now)
    return _tree(offsets(program.tz, first - _MARGIN, last + _MARGIN))


def _tree(found: list[Offset]) -> Expression:
    if len(found) == 1:
        return _LocalTime(F("awarded_at"), found[0])
    middle = len(found) // 2
    since = found[middle].since
    return Case(
        When(awarded_at__lt=since, then=_tree(found[:middle])),
        default=_tree(found[middle:]),
    )


class _Column(Func):
    """A text expression over one column, written per database by ``around``."""

    output_field = CharField()

    def __init__(self, column: F) -> None:
        super().__init__(column)

    def around(self, column: str, vendor: str) -> str:
        raise NotImplementedError

    def as_sql(
        self,
        compiler: SQLCompiler,
        connection: BaseDatabaseWrapper,
        function: str | None = None,
        template: str | None = None,
        arg_joiner: str | None = None,
        **extra_context: Any,
    ) -> "_AsSqlType":
        column, params = compiler.compile(self.source_expressions[0])
        if params:
            raise ValueError("A cell is built over a column, not a parameter.")
        return self.around(column, connection.vendor), ()


class _LocalTime(_Column):
    """A UTC time written as ISO 8601 at one fixed offset, to the second."""

    def __init__(self, column: F, offset: Offset) -> None:
        super().__init__(column)
        self.offset = offset

    def around(self, column: str, vendor: str) -> str:
        seconds, text = self.offset.seconds, self.offset.text
        if vendor == "postgresql":
            local = f"({column} AT TIME ZONE 'UTC') + interval '{seconds} seconds'"
            return f"to_char({local}, 'YYYY-MM-DD\"T\"HH24:MI:SS') || '{text}'"
        # SQLite keeps UTC times as text 'YYYY-MM-DD HH:MM:SS[.ffffff]'; the
        # fraction is cut before any arithmetic, which would round it.
        if seconds == 0:
            date, time = f"substr({column}, 1, 10)", f"substr({column}, 12, 8)"
            return f"{date} || 'T' || {time} || '{text}'"
        return (
            f"strftime('%%Y-%%m-%%dT%%H:%%M:%%S', substr({column}, 1, 19), "
            f"'{seconds:+d} seconds') || '{text}'"
        )


def _guard(column: str, vendor: str) -> str:
    first = "ascii" if vendor == "postgresql" else "unicode"
    starts = ", ".join(str(ord(start)) for start in FORMULA_STARTS)
    return (
        f"CASE WHEN {first}({column}) IN ({starts}) "
        f"THEN '''' || {column} ELSE {column} END"
    )


class _Quoted(_Column):
    """A guarded cell quoted as the csv module quotes it: only where needed."""

    def around(self, column: str, vendor: str) -> str:
        # The guard's quote mark never calls for quoting, so the test and the
        # doubling of quotes read the column itself, once each.
        starts = ", ".join(str(ord(start)) for start in FORMULA_STARTS)
        mark = f"CASE WHEN unicode({column}) IN ({starts}) THEN '''' ELSE '' END"
        special = """'*[,"' || char(10) || char(13) || ']*'"""
        quoted = f"""'"' || {mark} || replace({column}, '"', '""') || '"'"""
        return (
            f"CASE WHEN {column} GLOB {special} THEN {quoted} "
            f"ELSE {mark} || {column} END"
        )


class _Copyable(_Column):
    """A guarded cell as COPY must see it: line feeds marked, empty as NULL."""

    def around(self, column: str, vendor: str) -> str:
        mark = "chr(65535)"
        marked = (
            f"replace(replace({_guard(column, vendor)}, {mark}, {mark} || 'a'), "
            f"chr(10), {mark} || 'b' || chr(13))"
        )
        return f"NULLIF({marked}, '')"
