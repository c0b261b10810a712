"""Beat jobs of the alerts app: thin and idempotent."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from alerts.engine import compute_lights
from alerts.reminders import deliver_emails, send_reminders
from alerts.visits import open_return_visits


@shared_task(name="alerts.compute_lights")
def compute_lights_task() -> int:
    return compute_lights().changed


@shared_task(name="alerts.send_reminders")
def send_reminders_task() -> int:
    return send_reminders()


@shared_task(name="alerts.open_return_visits")
def open_return_visits_task() -> int:
    return open_return_visits(timezone.localdate())


@shared_task(name="alerts.deliver_emails")
def deliver_emails_task() -> int:
    return deliver_emails()
