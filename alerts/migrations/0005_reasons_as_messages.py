"""Light reasons and light changes keep their message and parameters instead of text translated when stored."""

from django.db import migrations, models


def _as_recorded(reason):
    if "message" in reason:
        return reason
    return {
        "kind": reason.get("kind", ""),
        "colour": reason.get("colour", "green"),
        "message": "as_recorded",
        "params": {"text": reason.get("text", "")},
        "url": reason.get("url", ""),
    }


def forwards(apps, schema_editor):
    Light = apps.get_model("alerts", "Light")
    LightEvent = apps.get_model("alerts", "LightEvent")
    lights = []
    for light in Light.objects.exclude(reasons=[]).only("pk", "reasons").iterator(chunk_size=2000):
        light.reasons = [_as_recorded(r) for r in light.reasons]
        lights.append(light)
    Light.objects.bulk_update(lights, ["reasons"], batch_size=2000)
    events = []
    for event in LightEvent.objects.exclude(why="").only("pk", "why", "to_colour").iterator(chunk_size=2000):
        event.reasons = [_as_recorded({"colour": event.to_colour, "text": event.why})]
        events.append(event)
    LightEvent.objects.bulk_update(events, ["reasons"], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [("alerts", "0004_notification_email_attempts")]

    operations = [
        migrations.AddField(
            model_name="lightevent", name="reasons", field=models.JSONField(default=list, verbose_name="reasons")
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.RemoveField(model_name="lightevent", name="why"),
    ]
