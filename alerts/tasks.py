"""Beat jobs of the alerts app: thin and idempotent."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from alerts import circulars
from alerts.engine import compute_lights
from alerts.models import Circular
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


@shared_task(name="alerts.deliver_circular")
def deliver_circular_task(circular_id: int) -> int:
    circular = Circular.objects.filter(pk=circular_id, delivered_at__isnull=True).first()
    return circulars.deliver(circular) if circular else 0


@shared_task(name="alerts.deliver_pending_circulars")
def deliver_pending_circulars_task() -> int:
    return circulars.deliver_pending(timezone.now())
