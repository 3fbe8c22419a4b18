"""On SQLite, an award update that leaves every counted column as it was fires
no tally trigger: the engine rewrites times and revocations of many awards
at once, mostly to the same values. PostgreSQL's statement triggers already
run once per statement, so they stay as they are.
"""

import importlib

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

triggers = importlib.import_module("mentorbadges.badges.migrations.0004_tally_triggers")
person = importlib.import_module(
    "mentorbadges.badges.migrations.0005_person_tally_awards"
)


def _replace(schema_editor: BaseDatabaseSchemaEditor, changes_only: bool) -> None:
    if schema_editor.connection.vendor != "sqlite":
        return
    kept = person.tallies("sqlite")
    triggers._run(
        schema_editor,
        triggers._sqlite_backwards() + triggers._sqlite_forwards(kept, changes_only),
    )


def forwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _replace(schema_editor, changes_only=True)


def backwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _replace(schema_editor, changes_only=False)


class Migration(migrations.Migration):
    dependencies = [("badges", "0005_person_tally_awards")]

    operations = [migrations.RunPython(forwards, backwards)]
