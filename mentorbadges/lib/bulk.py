"""Insert many rows with one prepared statement, without model instances.

Building a model instance per row costs more than the insert itself; the
import's hot path writes plain tuples instead.
"""

from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection, models

_BATCH = 2000


def _adapter(field: Any, encoded_json: bool) -> Callable[[Any], Any]:
    if isinstance(field, models.DateTimeField):
        return connection.ops.adapt_datetimefield_value
    if isinstance(field, models.JSONField):
        if encoded_json:
            # Text every backend casts to its JSON type.
            return lambda value: value
        return lambda value: field.get_db_prep_save(value, connection)
    return lambda value: value


def insert_rows(
    model: type[models.Model],
    columns: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    encoded_json: bool = True,
) -> None:
    """Insert rows given as tuples of values for ``columns`` (field names).

    Values are Python values; JSON fields take encoded text unless
    ``encoded_json`` is false.
    """
    if not rows:
        return

    fields: list[Any] = [model._meta.get_field(name) for name in columns]
    adapters = [_adapter(field, encoded_json) for field in fields]
    quote = connection.ops.quote_name
    names = ", ".join(quote(str(field.column)) for field in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({names}) VALUES ({marks})"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), _BATCH):
            batch = rows[start : start + _BATCH]
            cursor.executemany(
                sql,
                [
                    tuple(
                        adapt(value) for adapt, value in zip(adapters, row, strict=True)
                    )
                    for row in batch
                ],
            )


def insert_instances(
    model: type[models.Model], objs: Sequence[models.Model], key: str
) -> None:
    """Insert unsaved instances as plain rows, then give each its primary key.

    ``key`` names a unique field (with the program) that finds the rows again.
    """
    if not objs:
        return

    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    for obj in objs:
        # Related objects saved since the instance was built lend their keys.
        obj._prepare_related_fields_for_save(  # type: ignore[attr-defined]
            operation_name="insert_instances"
        )
    rows = [tuple(getattr(obj, f.attname) for f in fields) for obj in objs]
    insert_rows(model, [f.name for f in fields], rows, encoded_json=False)

    by_key = {getattr(obj, key): obj for obj in objs}
    program_id = objs[0].program_id  # type: ignore[attr-defined]
    keys = list(by_key)
    for start in range(0, len(keys), 500):
        found = model._default_manager.filter(
            program_id=program_id, **{f"{key}__in": keys[start : start + 500]}
        ).values_list(key, "pk")
        for value, pk in found:
            by_key[value].pk = pk
            by_key[value]._state.adding = False
