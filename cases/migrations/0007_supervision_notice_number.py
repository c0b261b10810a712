"""Supervision notices are numbered by their issuing body and year (文号)."""

from django.db import migrations, models


def number(apps, schema_editor):
    Notice = apps.get_model("cases", "SupervisionNotice")
    serials: dict = {}
    notices = []
    for notice in Notice.objects.select_related("assessment__case").order_by("issued_at", "pk"):
        key = (notice.assessment.case.institution_id, notice.issued_at.year)
        serials[key] = serials.get(key, 0) + 1
        notice.institution_id, notice.year = key
        notice.serial = serials[key]
        notices.append(notice)
    Notice.objects.bulk_update(notices, ["institution", "year", "serial"], batch_size=1000)
    History = apps.get_model("cases", "HistoricalSupervisionNotice")
    for notice in notices:
        History.objects.filter(id=notice.pk).update(
            institution_id=notice.institution_id, year=notice.year, serial=notice.serial
        )
    for row in History.objects.filter(serial__isnull=True):  # rows of notices no longer there: unnumbered
        History.objects.filter(pk=row.pk).update(year=row.history_date.year, serial=0)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0006_supervision_notice_answer"),
        ("integrity", "0003_fill_reviewers"),
    ]

    operations = [
        migrations.AddField(
            model_name="supervisionnotice",
            name="institution",
            field=models.ForeignKey(
                null=True,
                on_delete=models.deletion.PROTECT,
                related_name="supervision_notices",
                to="integrity.institution",
                verbose_name="issued by",
            ),
        ),
        migrations.AddField(
            model_name="supervisionnotice",
            name="year",
            field=models.PositiveSmallIntegerField(null=True, verbose_name="year"),
        ),
        migrations.AddField(
            model_name="supervisionnotice",
            name="serial",
            field=models.PositiveIntegerField(null=True, verbose_name="serial number"),
        ),
        migrations.AddField(
            model_name="historicalsupervisionnotice",
            name="institution",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=models.deletion.DO_NOTHING,
                related_name="+",
                to="integrity.institution",
                verbose_name="issued by",
            ),
        ),
        migrations.AddField(
            model_name="historicalsupervisionnotice",
            name="year",
            field=models.PositiveSmallIntegerField(null=True, verbose_name="year"),
        ),
        migrations.AddField(
            model_name="historicalsupervisionnotice",
            name="serial",
            field=models.PositiveIntegerField(null=True, verbose_name="serial number"),
        ),
        migrations.RunPython(number, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="historicalsupervisionnotice",
            name="year",
            field=models.PositiveSmallIntegerField(verbose_name="year"),
        ),
        migrations.AlterField(
            model_name="historicalsupervisionnotice",
            name="serial",
            field=models.PositiveIntegerField(verbose_name="serial number"),
        ),
        migrations.AlterField(
            model_name="supervisionnotice",
            name="institution",
            field=models.ForeignKey(
                on_delete=models.deletion.PROTECT,
                related_name="supervision_notices",
                to="integrity.institution",
                verbose_name="issued by",
            ),
        ),
        migrations.AlterField(
            model_name="supervisionnotice", name="year", field=models.PositiveSmallIntegerField(verbose_name="year")
        ),
        migrations.AlterField(
            model_name="supervisionnotice",
            name="serial",
            field=models.PositiveIntegerField(verbose_name="serial number"),
        ),
        migrations.AddConstraint(
            model_name="supervisionnotice",
            constraint=models.UniqueConstraint(fields=("institution", "year", "serial"), name="one_notice_per_number"),
        ),
    ]
