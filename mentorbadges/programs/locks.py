"""A program's write lock, and the revision that counts the changes made under it."""

from django.db import connection
from django.db.transaction import TransactionManagementError

from mentorbadges.programs.models import Program


def lock_for_change(program: Program) -> int:
    """Hold the program's write lock until the transaction ends; return its revision.

    Every change to a program's people, loops, events or awards is made under
    this lock, taken once per transaction, and each taking moves the revision
    one step on. So state kept in memory since the transaction that left
    revision ``r`` is still exactly the database's when this returns ``r + 1``:
    no other transaction changed the program in between.
    """
    if not connection.in_atomic_block:
        raise TransactionManagementError("The program lock needs a transaction.")

    table = connection.ops.quote_name(Program._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET revision = revision + 1 WHERE id = %s "
            "RETURNING revision",
            [program.pk],
        )
        row = cursor.fetchone()
    if row is None:
        raise Program.DoesNotExist(f"No program with the key {program.pk}.")
    return int(row[0])
