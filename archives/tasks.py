"""Jobs of the archives app: batch printing, opening each quarter's assessments and each year's talks."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from archives import actions
from archives.models import PrintJob
from archives.rules import quarter_start


@shared_task(name="archives.print_batch")
def print_batch_task(job_id: int) -> int:
    job = PrintJob.objects.get(pk=job_id)
    return actions.run_print_job(job).done


@shared_task(name="archives.open_quarter")
def open_quarter_task() -> int:
    return actions.open_quarter(quarter_start(timezone.localdate()))


@shared_task(name="archives.open_annual_talks")
def open_annual_talks_task() -> int:
    return actions.open_annual_talks(timezone.localdate().year)
