from django.db import migrations

# The five risk categories institutions start from; administrators add, rename or retire their own.
DEFAULTS = ["思想道德", "制度机制", "岗位职责", "业务流程", "外部环境"]


def add_defaults(apps, schema_editor):
    RiskCategory = apps.get_model("risks", "RiskCategory")
    for order, name in enumerate(DEFAULTS):
        RiskCategory.objects.get_or_create(name=name, defaults={"order": order})


class Migration(migrations.Migration):
    dependencies = [("risks", "0001_initial")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
