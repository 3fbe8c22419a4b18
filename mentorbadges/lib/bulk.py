"""Insert many rows with the database's fastest plain method, without model instances.

Building a model instance per row costs more than the insert itself, so the
import's hot path writes plain tuples: ``executemany`` of one prepared
statement on SQLite, ``COPY`` on PostgreSQL. Both can hand back the new
primary keys, in the order of the rows, without reading the rows again.
"""

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from django.db import connection, models

_BATCH = 5000
# Below this many rows, one INSERT answers sooner than a sequence read and COPY.
_FEW = 50


def _sqlite_datetime(value: datetime | None) -> str | None:
    """Write an instant as Django does on SQLite: naive UTC text."""
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return str(value)


def _same(value: Any) -> Any:
    return value


def _adapter(field: Any, encoded_json: bool) -> Callable[[Any], Any]:
    if isinstance(field, models.DateTimeField):
        if connection.vendor == "sqlite" and str(connection.timezone) == "UTC":
            return _sqlite_datetime
        return connection.ops.adapt_datetimefield_value
    if isinstance(field, models.JSONField) and not encoded_json:
        return lambda value: field.get_db_prep_save(value, connection)
    # JSON given as text is taken by every backend's JSON type as it is.
    return _same


def insert_rows(
    model: type[models.Model],
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    encoded_json: bool = True,
) -> list[int]:
    """Insert rows given as tuples of values for ``columns`` (field names).

    Values are Python values; JSON fields take encoded text unless
    ``encoded_json`` is false. Return the new primary keys, row by row.
    """
    if not rows:
        return []

    fields: list[Any] = [model._meta.get_field(name) for name in columns]
    adapters = [_adapter(field, encoded_json) for field in fields]
    if any(adapt is not _same for adapt in adapters):
        rows = [
            tuple(adapt(value) for adapt, value in zip(adapters, row, strict=True))
            for row in rows
        ]
    table = model._meta.db_table
    names = [str(field.column) for field in fields]
    key = model._meta.pk
    assert key is not None and key.column is not None
    if connection.vendor == "postgresql" and len(rows) > _FEW:
        return _copy(table, key.column, names, rows)
    if connection.vendor == "postgresql":
        return _returning(table, key.column, names, rows)
    return _executemany(table, names, rows)


def _returning(
    table: str, key: str, names: list[str], rows: Sequence[Sequence[Any]]
) -> list[int]:
    """Insert a few rows in one statement, in one round trip."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(name) for name in names)
    row = "(" + ", ".join(["%s"] * len(names)) + ")"
    sql = (
        f"INSERT INTO {quote(table)} ({columns}) VALUES "
        f"{', '.join([row] * len(rows))} RETURNING {quote(key)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [value for values in rows for value in values])
        # PostgreSQL returns the rows of a VALUES list in its order.
        return [pk for (pk,) in cursor.fetchall()]


def _executemany(
    table: str, names: list[str], rows: Sequence[Sequence[Any]]
) -> list[int]:
    quote = connection.ops.quote_name
    marks = ", ".join(["%s"] * len(names))
    columns = ", ".join(quote(name) for name in names)
    sql = f"INSERT INTO {quote(table)} ({columns}) VALUES ({marks})"
    ids: list[int] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), _BATCH):
            batch = rows[start : start + _BATCH]
            cursor.executemany(sql, batch)
            # The write lock is held from the transaction's start, and an
            # AUTOINCREMENT key grows by one per row, so one statement's rows
            # have consecutive keys ending at the last one given.
            cursor.execute("SELECT last_insert_rowid()")
            last = cursor.fetchone()[0]
            ids.extend(range(last - len(batch) + 1, last + 1))
    return ids


def _copy(
    table: str, key: str, names: list[str], rows: Sequence[Sequence[Any]]
) -> list[int]:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(name) for name in [key, *names])
    with connection.cursor() as cursor:
        # Keys are taken from the table's own sequence first, so COPY, which
        # returns nothing, can write them and they are known without a read.
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) "
            "FROM generate_series(1, %s)",
            [quote(table), key, len(rows)],
        )
        ids = [row[0] for row in cursor.fetchall()]
        with cursor.copy(f"COPY {quote(table)} ({columns}) FROM STDIN") as copy:
            for pk, row in zip(ids, rows, strict=True):
                copy.write_row((pk, *row))
    return ids


def insert_instances(model: type[models.Model], objs: Sequence[models.Model]) -> None:
    """Insert unsaved instances as plain rows, then give each its primary key."""
    if not objs:
        return

    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    for obj in objs:
        # Related objects saved since the instance was built lend their keys.
        obj._prepare_related_fields_for_save(  # type: ignore[attr-defined]
            operation_name="insert_instances"
        )
    rows = [tuple(getattr(obj, f.attname) for f in fields) for obj in objs]
    ids = insert_rows(model, [f.name for f in fields], rows, encoded_json=False)
    for obj, pk in zip(objs, ids, strict=True):
        obj.pk = pk
        obj._state.adding = False


def update_rows(
    model: type[models.Model],
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
) -> None:
    """Set ``columns`` of the rows given as (primary key, *values) tuples."""
    if not rows:
        return

    fields: list[Any] = [model._meta.get_field(name) for name in columns]
    adapters = [_adapter(field, encoded_json=False) for field in fields]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields)
    key = model._meta.pk
    assert key is not None and key.column is not None
    sql = (
        f"UPDATE {quote(model._meta.db_table)} SET {assignments} "
        f"WHERE {quote(key.column)} = %s"
    )
    values = [
        (*(adapt(value) for adapt, value in zip(adapters, rest, strict=True)), pk)
        for pk, *rest in rows
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(values), _BATCH):
            cursor.executemany(sql, values[start : start + _BATCH])


def update_instances(
    model: type[models.Model], objs: Sequence[models.Model], columns: Sequence[str]
) -> None:
    """Write ``columns`` of saved instances, one prepared statement for all."""
    fields: list[Any] = [model._meta.get_field(name) for name in columns]
    names = [field.attname for field in fields]
    update_rows(
        model,
        columns,
        [(obj.pk, *(getattr(obj, name) for name in names)) for obj in objs],
    )
