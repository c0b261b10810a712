from django.db import migrations

from cases.defaults import ensure


def add_defaults(apps, schema_editor):
    ensure(apps)


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
