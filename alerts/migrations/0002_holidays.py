"""The public holidays before which everyone is reminded (逢节必讲), 2026–2027; administrators add later years."""

from django.db import migrations

HOLIDAYS = [
    ("春节", "2026-02-17"), ("清明节", "2026-04-05"), ("劳动节", "2026-05-01"), ("端午节", "2026-06-19"),
    ("中秋节", "2026-09-25"), ("国庆节", "2026-10-01"),
    ("春节", "2027-02-06"), ("清明节", "2027-04-05"), ("劳动节", "2027-05-01"), ("端午节", "2027-06-09"),
    ("中秋节", "2027-09-15"), ("国庆节", "2027-10-01"),
]  # fmt: skip


def add(apps, schema_editor):
    Holiday = apps.get_model("alerts", "Holiday")
    for name, day in HOLIDAYS:
        Holiday.objects.get_or_create(day=day, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("alerts", "0001_initial")]

    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
