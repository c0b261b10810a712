"""The holidays before which everyone is reminded are read from the working-day calendar: the days an administrator
added here move there (as everyone's public holidays) unless the calendar already has them."""

from django.db import migrations


def move(apps, schema_editor):
    Holiday = apps.get_model("alerts", "Holiday")
    CalendarDay = apps.get_model("integrity", "CalendarDay")
    there = set(CalendarDay.objects.filter(institution=None).values_list("day", flat=True))
    CalendarDay.objects.bulk_create(
        [
            CalendarDay(day=holiday.day, kind="holiday", name=holiday.name)
            for holiday in Holiday.objects.all()
            if holiday.day not in there
        ]
    )


class Migration(migrations.Migration):
    dependencies = [
        ("alerts", "0010_abnormal_reports_by_officers"),
        ("integrity", "0018_calendar"),
    ]

    operations = [
        migrations.RunPython(move, migrations.RunPython.noop),
        migrations.DeleteModel(name="Holiday"),
    ]
