"""A batch prints each officer once. Two runs of one batch could print an officer twice before runs claimed their
job: the later copies are let go of the batch (they stay on file under their own numbers, sealed and verifiable,
as single prints), so the constraint can hold."""

from django.db import migrations, models
from django.db.models import Min


def detach_second_copies(apps, schema_editor):
    PrintedDocument = apps.get_model("archives", "PrintedDocument")
    firsts = (
        PrintedDocument.objects.filter(job__isnull=False)
        .values("job", "officer")
        .annotate(first=Min("pk"))
        .values_list("first", flat=True)
    )
    PrintedDocument.objects.filter(job__isnull=False).exclude(pk__in=list(firsts)).update(job=None)


class Migration(migrations.Migration):
    dependencies = [
        ("archives", "0010_print_job_heartbeat"),
    ]

    operations = [
        migrations.RunPython(detach_second_copies, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="printeddocument",
            constraint=models.UniqueConstraint(
                condition=models.Q(("job__isnull", False)), fields=("job", "officer"), name="printed_once_per_job"
            ),
        ),
    ]
