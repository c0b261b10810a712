"""Beat jobs of the risks app: thin, idempotent, safe to run twice or twice at once."""

from __future__ import annotations

import zoneinfo

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from risks import importing, personal


@shared_task(name="risks.open_monthly_checks")
def open_monthly_checks_task() -> int:
    """Open this month's checks (the month as it is in Asia/Shanghai, or the configured zone)."""
    today = timezone.now().astimezone(zoneinfo.ZoneInfo(settings.TIME_ZONE)).date()
    return personal.open_monthly_checks(today.replace(day=1))


@shared_task(name="risks.open_risk_tables")
def open_risk_tables_task() -> int:
    """Archive the tables of officers who changed post and open the tables now due."""
    return personal.open_risk_tables()


@shared_task(name="risks.import_batch", acks_late=True)
def import_batch_task(batch_id: int) -> str:
    """An uploaded catalog file, checked (a preview) or imported (see ``risks.importing.run_job``)."""
    batch = importing.run_job(batch_id)
    return batch.status if batch else "taken"


@shared_task(name="risks.open_risk_point_reviews")
def open_risk_point_reviews_task() -> int:
    """Daily from January: each published risk point owes this year's review (一年一查) until its due day."""
    from risks.reviews import open_reviews

    return open_reviews()
