"""Give every existing officer their reviewer by the four levels (kept up to date by the role actions after this)."""

from django.db import migrations


def fill(apps, schema_editor):
    from integrity.routing import Chain, Person, RoleRow, reviewer

    Officer = apps.get_model("integrity", "Officer")
    RoleAssignment = apps.get_model("integrity", "RoleAssignment")
    Institution = apps.get_model("integrity", "Institution")
    rows = [
        RoleRow(*row)
        for row in RoleAssignment.objects.filter(officer__is_active=True).values_list(
            "officer_id", "role", "institution_id", "departments__id"
        )
    ]
    chain = Chain.build(rows, dict(Institution.objects.values_list("pk", "parent_id")))
    for pk, department_id, institution_id in Officer.objects.values_list("pk", "department_id", "institution_id"):
        found = reviewer(Person(pk, department_id, institution_id), chain)
        if found is not None:
            Officer.objects.filter(pk=pk).update(reviewer_id=found)


class Migration(migrations.Migration):
    dependencies = [("integrity", "0002_officer_reviewer")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
