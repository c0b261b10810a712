"""A supervision notice can be issued for any overdue obligation: it names the kind and the record."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def name_the_assessments(apps, schema_editor):
    for model in ("SupervisionNotice", "HistoricalSupervisionNotice"):
        apps.get_model("cases", model).objects.filter(record_id__isnull=True).update(
            kind="cases.assessment", record_id=models.F("assessment_id")
        )


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0008_assessment_approver'),
        ('integrity', '0003_fill_reviewers'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalsupervisionnotice',
            name='kind',
            field=models.CharField(default='cases.assessment', max_length=50, verbose_name='obligation'),
        ),
        migrations.AddField(
            model_name='historicalsupervisionnotice',
            name='record_id',
            field=models.PositiveIntegerField(null=True),
        ),
        migrations.AddField(
            model_name='historicalsupervisionnotice',
            name='title',
            field=models.CharField(blank=True, max_length=200, verbose_name='what is overdue'),
        ),
        migrations.AddField(
            model_name='historicalsupervisionnotice',
            name='url',
            field=models.CharField(blank=True, max_length=300),
        ),
        migrations.AddField(
            model_name='supervisionnotice',
            name='kind',
            field=models.CharField(default='cases.assessment', max_length=50, verbose_name='obligation'),
        ),
        migrations.AddField(
            model_name='supervisionnotice',
            name='record_id',
            field=models.PositiveIntegerField(null=True),
        ),
        migrations.AddField(
            model_name='supervisionnotice',
            name='title',
            field=models.CharField(blank=True, max_length=200, verbose_name='what is overdue'),
        ),
        migrations.AddField(
            model_name='supervisionnotice',
            name='url',
            field=models.CharField(blank=True, max_length=300),
        ),
        migrations.AlterField(
            model_name='supervisionnotice',
            name='assessment',
            field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='notice', to='cases.assessment', verbose_name='assessment'),
        ),
        migrations.RunPython(name_the_assessments, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="supervisionnotice", name="record_id", field=models.PositiveIntegerField()
        ),
        migrations.AlterField(
            model_name="historicalsupervisionnotice", name="record_id", field=models.PositiveIntegerField()
        ),
        migrations.AddConstraint(
            model_name='supervisionnotice',
            constraint=models.UniqueConstraint(fields=('kind', 'record_id'), name='one_notice_per_obligation'),
        ),
    ]
