"""Count every standing award a participant received, not only kudos.

The All Badges table sorted by recipient walks participants in name order
and needs how many rows each one fills. The triggers are those of 0004 with
the person tally's new column.
"""

import importlib

from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

earlier = importlib.import_module("mentorbadges.badges.migrations.0004_tally_triggers")
Part, Tally = earlier.Part, earlier.Tally


def tallies(vendor: str) -> list[Tally]:
    kept = earlier.tallies(vendor)
    kudos = f"CASE WHEN {{r}}.badge IN {earlier.KUDOS} THEN 1 ELSE 0 END"
    person = Tally(
        "badges_persontally",
        ("program_id", "participant_id"),
        ("awards", "received", "given"),
        (
            Part(
                ("{r}.program_id", "{r}.recipient_id"),
                ("1", kudos, "0"),
                earlier.STANDING,
            ),
            Part(
                ("{r}.program_id", "{r}.giver_id"),
                ("0", "0", "1"),
                earlier.STANDING_KUDOS + " AND {r}.giver_id IS NOT NULL",
            ),
        ),
    )
    return [person if t.table == person.table else t for t in kept]


def _drop(schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        earlier._run(schema_editor, earlier._postgres_backwards())
    else:
        earlier._run(schema_editor, earlier._sqlite_backwards())


def _create(schema_editor: BaseDatabaseSchemaEditor, kept: list[Tally]) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        statements = earlier._postgres_forwards(kept)
    else:
        statements = earlier._sqlite_forwards(kept)
    person = [t for t in kept if t.table == "badges_persontally"]
    statements += ["DELETE FROM badges_persontally", *earlier._fill(vendor, person)]
    earlier._run(schema_editor, statements)


def drop(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _drop(schema_editor)


def create_earlier(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _create(schema_editor, earlier.tallies(schema_editor.connection.vendor))


def create(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _create(schema_editor, tallies(schema_editor.connection.vendor))


class Migration(migrations.Migration):
    dependencies = [("badges", "0004_tally_triggers")]

    # No trigger may name the table while its column is added or taken away:
    # SQLite rebuilds the table to do it.
    operations = [
        migrations.RunPython(drop, create_earlier),
        migrations.AddField(
            model_name="persontally",
            name="awards",
            field=models.IntegerField(default=0),
            preserve_default=False,
        ),
        migrations.RunPython(create, drop),
    ]
