"""Beat jobs of the cases app: thin and idempotent."""

from __future__ import annotations

import zoneinfo

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from cases import importing, notices


@shared_task(name="cases.issue_supervision_notices")
def issue_supervision_notices_task() -> int:
    """督办: a notice for every assessed case past its handling deadline (once per case)."""
    today = timezone.now().astimezone(zoneinfo.ZoneInfo(settings.TIME_ZONE)).date()
    return notices.issue_supervision_notices(today)


@shared_task(name="cases.import_file", acks_late=True)
def import_file_task(job_id: int) -> str:
    """An uploaded case export, imported (see ``cases.importing.run_job``: one worker at a time, again if it died)."""
    job = importing.run_job(job_id)
    return job.status if job else "taken"
