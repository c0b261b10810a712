from django.db import migrations, models


class Migration(migrations.Migration):
    """The document hash names its algorithm (SHA-256 or SM3): ``sha256`` becomes ``digest``; existing values, bare
    SHA-256, keep verifying as they are."""

    dependencies = [("archives", "0007_printed_layout")]

    operations = [
        migrations.RenameField("printeddocument", "sha256", "digest"),
        migrations.AlterField(
            "printeddocument", "digest", models.CharField(max_length=80, verbose_name="hash")
        ),
    ]
