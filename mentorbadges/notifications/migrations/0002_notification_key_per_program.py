from django.apps.registry import Apps
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.models.functions import Cast, Concat, Substr


def name_the_recipient_in_keys(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    notification = apps.get_model("notifications", "Notification")
    for kind, prefix in (("achievement", "achievement:"), ("prompt", "prompt:")):
        notification.objects.filter(kind=kind).update(
            key=Concat(
                models.Value(prefix),
                Cast("recipient_id", models.CharField()),
                models.Value(":"),
                Substr("key", len(prefix) + 1),
                output_field=models.CharField(),
            )
        )


class Migration(migrations.Migration):

    dependencies = [
        ('badges', '0001_initial'),
        ('notifications', '0001_initial'),
        ('programs', '0001_initial'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='notification',
            name='notification_once',
        ),
        migrations.RunPython(name_the_recipient_in_keys, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='notification',
            constraint=models.UniqueConstraint(fields=('program', 'key'), name='notification_once'),
        ),
    ]
