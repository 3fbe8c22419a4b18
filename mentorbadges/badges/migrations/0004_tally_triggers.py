"""Triggers that keep the award tallies exact, and the tallies of awards so far.

Each tally row sums contributions of standing awards (``revoked_at`` null).
An insert adds the new rows' contributions, a delete takes the old rows'
away, and an update does both. Rows whose counts reach zero are deleted, and
a decrement never creates a row, so a tally emptied before its awards (a
flush, a cascade) is not brought back negative.

PostgreSQL runs one trigger per statement over its transition tables, so a
bulk insert or ``COPY`` costs one grouped upsert per tally, not one per row;
rows are upserted in key order, so concurrent writers lock them in the same
order. SQLite has only row triggers.

The SQL is written out here rather than imported, so that this migration
keeps doing what it did when the code around it changes.
"""

from dataclasses import dataclass

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

KUDOS = "('trust', 'networking', 'expertise', 'commitment', 'creativity')"
STANDING = "{r}.revoked_at IS NULL"
STANDING_KUDOS = f"{STANDING} AND {{r}}.badge IN {KUDOS}"

QUARTER_HOUR = {
    "postgresql": (
        "date_bin('15 minutes', {r}.awarded_at, TIMESTAMPTZ '2000-01-01 00:00+00')"
    ),
    # Django keeps SQLite times as UTC text, 'YYYY-MM-DD HH:MM:SS[.ffffff]'.
    "sqlite": (
        "strftime('%Y-%m-%d %H:', {r}.awarded_at) || printf('%02d:00', "
        "CAST(strftime('%M', {r}.awarded_at) AS INTEGER) / 15 * 15)"
    ),
}


@dataclass(frozen=True)
class Part:
    """What one award row adds to one tally row, when ``when`` holds."""

    keys: tuple[str, ...]
    values: tuple[str, ...]
    when: str


@dataclass(frozen=True)
class Tally:
    table: str
    keys: tuple[str, ...]
    values: tuple[str, ...]
    parts: tuple[Part, ...]


def tallies(vendor: str) -> list[Tally]:
    kudos = f"CASE WHEN {{r}}.badge IN {KUDOS} THEN 1 ELSE 0 END"
    return [
        Tally(
            "badges_badgetally",
            ("program_id", "badge"),
            ("awards",),
            (Part(("{r}.program_id", "{r}.badge"), ("1",), STANDING),),
        ),
        Tally(
            "badges_persontally",
            ("program_id", "participant_id"),
            ("received", "given"),
            (
                Part(
                    ("{r}.program_id", "{r}.recipient_id"), ("1", "0"), STANDING_KUDOS
                ),
                Part(
                    ("{r}.program_id", "{r}.giver_id"),
                    ("0", "1"),
                    STANDING_KUDOS + " AND {r}.giver_id IS NOT NULL",
                ),
            ),
        ),
        Tally(
            "badges_looptally",
            ("program_id", "loop_id"),
            ("kudos",),
            (
                Part(
                    ("{r}.program_id", "{r}.loop_id"),
                    ("1",),
                    STANDING_KUDOS + " AND {r}.loop_id IS NOT NULL",
                ),
            ),
        ),
        Tally(
            "badges_timetally",
            ("program_id", "at"),
            ("kudos", "achievements"),
            (
                Part(
                    ("{r}.program_id", QUARTER_HOUR[vendor]),
                    (kudos, f"1 - {kudos}"),
                    STANDING,
                ),
            ),
        ),
    ]


def _grouped(tally: Tally, source: str, sign: str = "") -> str:
    """Return the tally's contributions of every row of ``source``, grouped."""
    names = [*tally.keys, *tally.values]
    selects = [
        "SELECT "
        + ", ".join(
            f"{expr.format(r='r')} AS {name}"
            for expr, name in zip([*part.keys, *part.values], names, strict=True)
        )
        + f" FROM {source} AS r WHERE {part.when.format(r='r')}"
        for part in tally.parts
    ]
    keys = ", ".join(tally.keys)
    sums = ", ".join(f"{sign}SUM({value}) AS {value}" for value in tally.values)
    return (
        f"SELECT {keys}, {sums} FROM ({' UNION ALL '.join(selects)}) AS parts "
        f"GROUP BY {keys} ORDER BY {keys}"
    )


def _add(tally: Tally, rows: str) -> str:
    columns = ", ".join([*tally.keys, *tally.values])
    adds = ", ".join(f"{v} = {tally.table}.{v} + excluded.{v}" for v in tally.values)
    return (
        f"INSERT INTO {tally.table} ({columns}) {rows} "
        f"ON CONFLICT ({', '.join(tally.keys)}) DO UPDATE SET {adds}"
    )


def _empty(tally: Tally, alias: str) -> str:
    return " AND ".join(f"{alias}.{value} = 0" for value in tally.values)


# PostgreSQL: one function for every statement that changes awards.


def _postgres_function(kept: list[Tally]) -> str:
    steps = []
    for tally in kept:
        match = " AND ".join(f"t.{key} = gone.{key}" for key in tally.keys)
        sets = ", ".join(f"{v} = t.{v} - gone.{v}" for v in tally.values)
        gone = _grouped(tally, "old_awards")
        steps.append(
            "IF TG_OP <> 'INSERT' THEN\n"
            f"  UPDATE {tally.table} AS t SET {sets} FROM ({gone}) AS gone "
            f"WHERE {match};\n"
            f"  DELETE FROM {tally.table} AS t USING ({gone}) AS gone "
            f"WHERE {match} AND {_empty(tally, 't')};\n"
            "END IF;\n"
            "IF TG_OP <> 'DELETE' THEN\n"
            f"  {_add(tally, _grouped(tally, 'new_awards'))};\n"
            "END IF;"
        )
    body = "\n".join(steps)
    return (
        "CREATE FUNCTION badges_award_tally() RETURNS trigger LANGUAGE plpgsql AS $$\n"
        f"BEGIN\n{body}\nRETURN NULL;\nEND\n$$"
    )


POSTGRES_TRIGGERS = {
    "INSERT": "REFERENCING NEW TABLE AS new_awards",
    "UPDATE": "REFERENCING OLD TABLE AS old_awards NEW TABLE AS new_awards",
    "DELETE": "REFERENCING OLD TABLE AS old_awards",
}


def _postgres_forwards(kept: list[Tally]) -> list[str]:
    return [_postgres_function(kept)] + [
        f"CREATE TRIGGER badges_award_tally_{op.lower()} AFTER {op} ON badges_award "
        f"{referencing} FOR EACH STATEMENT EXECUTE FUNCTION badges_award_tally()"
        for op, referencing in POSTGRES_TRIGGERS.items()
    ]


def _postgres_backwards() -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS badges_award_tally_{op.lower()} ON badges_award"
        for op in POSTGRES_TRIGGERS
    ] + ["DROP FUNCTION IF EXISTS badges_award_tally()"]


# SQLite: row triggers, one per change and direction.


def _sqlite_add(tally: Tally, part: Part) -> str:
    values = ", ".join(e.format(r="NEW") for e in [*part.keys, *part.values])
    # The WHERE also tells the parser that ON CONFLICT belongs to the upsert.
    return _add(tally, f"SELECT {values} WHERE {part.when.format(r='NEW')}") + ";"


def _sqlite_take(tally: Tally, part: Part) -> str:
    sets = ", ".join(
        f"{name} = {name} - ({expr.format(r='OLD')})"
        for name, expr in zip(tally.values, part.values, strict=True)
    )
    match = " AND ".join(
        f"{name} = {expr.format(r='OLD')}"
        for name, expr in zip(tally.keys, part.keys, strict=True)
    )
    when = part.when.format(r="OLD")
    return (
        f"UPDATE {tally.table} SET {sets} WHERE {match} AND {when};\n"
        f"DELETE FROM {tally.table} WHERE {match} AND {_empty(tally, tally.table)};"
    )


# The award columns any tally reads.
COUNTED = ("program_id", "badge", "recipient_id", "giver_id", "loop_id")
COUNTED += ("awarded_at", "revoked_at")


def _sqlite_forwards(kept: list[Tally], changes_only: bool = False) -> list[str]:
    """Return the triggers; ``changes_only`` skips updates of other columns."""
    adds = []
    takes = []
    for tally in kept:
        for part in tally.parts:
            adds.append(_sqlite_add(tally, part))
            takes.append(_sqlite_take(tally, part))
    add, take = "\n".join(adds), "\n".join(takes)
    return [
        f"CREATE TRIGGER badges_award_tally_insert AFTER INSERT ON badges_award "
        f"BEGIN\n{add}\nEND",
        f"CREATE TRIGGER badges_award_tally_delete AFTER DELETE ON badges_award "
        f"BEGIN\n{take}\nEND",
        f"CREATE TRIGGER badges_award_tally_update AFTER UPDATE ON badges_award "
        f"{_changed() if changes_only else ''}BEGIN\n{take}\n{add}\nEND",
    ]


def _changed() -> str:
    changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in COUNTED)
    return f"FOR EACH ROW WHEN {changed} "


def _sqlite_backwards() -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS badges_award_tally_{op}"
        for op in ("insert", "update", "delete")
    ]


def _fill(vendor: str, kept: list[Tally]) -> list[str]:
    return [
        _add(tally, _grouped(tally, "badges_award"))
        if vendor == "postgresql"
        # SQLite needs the WHERE to read ON CONFLICT as the upsert's.
        else _add(tally, f"SELECT * FROM ({_grouped(tally, 'badges_award')}) WHERE 1")
        for tally in kept
    ]


def _run(schema_editor: BaseDatabaseSchemaEditor, statements: list[str]) -> None:
    for sql in statements:
        schema_editor.execute(sql, params=None)


def forwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        kept = tallies(vendor)
        _run(schema_editor, _postgres_forwards(kept) + _fill(vendor, kept))
    elif vendor == "sqlite":
        kept = tallies(vendor)
        _run(schema_editor, _sqlite_forwards(kept) + _fill(vendor, kept))
    else:
        raise NotImplementedError(f"No award tally triggers for {vendor}.")


def backwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    vendor = schema_editor.connection.vendor
    statements = (
        _postgres_backwards() if vendor == "postgresql" else _sqlite_backwards()
    )
    tables = [tally.table for tally in tallies(vendor)]
    _run(schema_editor, statements + [f"DELETE FROM {table}" for table in tables])


class Migration(migrations.Migration):
    dependencies = [("badges", "0003_tallies")]

    operations = [migrations.RunPython(forwards, backwards)]
