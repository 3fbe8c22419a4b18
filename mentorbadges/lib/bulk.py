"""Insert many rows with one prepared statement, without model instances.

Building a model instance per row costs more than the insert itself; the
import's hot path writes plain tuples instead.
"""

from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection, models

_BATCH = 2000


def _adapter(field: Any) -> Callable[[object], object]:
    if isinstance(field, models.DateTimeField):
        return connection.ops.adapt_datetimefield_value  # type: ignore[no-any-return]
    if isinstance(field, models.JSONField):
        # JSON arrives already encoded as text, which every backend casts.
        return lambda value: value
    return lambda value: value


def insert_rows(
    model: type[models.Model],
    columns: Sequence[str],
    rows: Sequence[Sequence[object]],
) -> None:
    """Insert rows given as tuples of values for ``columns`` (field names).

    Values are Python values, except JSON fields, which take encoded text.
    """
    if not rows:
        return

    fields = [model._meta.get_field(name) for name in columns]
    adapters = [_adapter(field) for field in fields]
    quote = connection.ops.quote_name
    names = ", ".join(quote(field.column) for field in fields)  # type: ignore[union-attr]
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
