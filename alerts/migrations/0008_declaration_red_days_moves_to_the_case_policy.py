"""When a missing declaration turns red is a case rule: it moves from the alert policy to the case policy, with each
body's setting."""

from django.db import migrations


def move_to_case_policy(apps, schema_editor):
    AlertPolicy = apps.get_model("alerts", "AlertPolicy")
    CasePolicy = apps.get_model("cases", "CasePolicy")
    for institution_id, days in AlertPolicy.objects.values_list("institution_id", "declaration_red_days"):
        CasePolicy.objects.update_or_create(institution_id=institution_id, defaults={"declaration_red_days": days})


def move_back(apps, schema_editor):
    AlertPolicy = apps.get_model("alerts", "AlertPolicy")
    CasePolicy = apps.get_model("cases", "CasePolicy")
    for institution_id, days in CasePolicy.objects.values_list("institution_id", "declaration_red_days"):
        AlertPolicy.objects.filter(institution_id=institution_id).update(declaration_red_days=days)


class Migration(migrations.Migration):
    dependencies = [
        ("alerts", "0007_review_escalation"),
        ("cases", "0010_case_policy_declaration_red_days_and_history"),
    ]

    operations = [
        migrations.RunPython(move_to_case_policy, move_back),
        migrations.RemoveField(model_name="alertpolicy", name="declaration_red_days"),
        migrations.RemoveField(model_name="historicalalertpolicy", name="declaration_red_days"),
    ]
