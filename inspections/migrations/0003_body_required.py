# The body of every item and finding is filled (0002) before it is required, in a transaction of its own: PostgreSQL
# does not alter a table with the fill's deferred constraint checks still pending.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('inspections', '0002_body_level_items'),
    ]

    operations = [
        migrations.AlterField(
            model_name='checklistitem',
            name='institution',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='integrity.institution', verbose_name='institution'),
        ),
        migrations.AlterField(
            model_name='finding',
            name='institution',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='integrity.institution', verbose_name='institution'),
        ),
    ]
