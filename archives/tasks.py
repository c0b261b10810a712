"""Jobs of the archives app: batch printing, opening each quarter's assessments and each year's talks."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from archives import actions, printing, quarters
from archives.models import PrintJob
from archives.rules import quarter_start


@shared_task(name="archives.print_batch")
def print_batch_task(job_id: int) -> int:
    """Take a batch and send its officers still to print out in chunks (all of them at once for the workers of the
    ``printing`` queue); with nobody left, merge. Returns how many officers were sent."""
    job = PrintJob.objects.get(pk=job_id)
    if not printing.claim(job):
        return 0
    job.refresh_from_db()
    waiting = printing.missing(job)
    for chunk in printing.chunks(waiting):
        print_chunk_task.delay(job_id, chunk)
    if not waiting:
        merge_batch_task.delay(job_id)
    return len(waiting)


@shared_task(name="archives.print_chunk")
def print_chunk_task(job_id: int, officer_ids: list[int]) -> int:
    """Print a chunk of a batch; the chunk that leaves nobody missing sends the merge."""
    job = PrintJob.objects.get(pk=job_id)
    printed = printing.print_chunk(job, officer_ids)
    if printing.accounted_for(job):
        merge_batch_task.delay(job_id)
    return printed


@shared_task(name="archives.merge_batch")
def merge_batch_task(job_id: int) -> None:
    printing.merge(PrintJob.objects.get(pk=job_id))


@shared_task(name="archives.resume_print_jobs")
def resume_print_jobs_task() -> int:
    """Hand every batch whose run has died (or whose message was lost) to a new run, which prints who is missing."""
    stale = list(printing.stale_jobs().values_list("pk", flat=True))
    for job_id in stale:
        print_batch_task.delay(job_id)
    return len(stale)


@shared_task(name="archives.open_quarter")
def open_quarter_task() -> int:
    return quarters.open_quarter(quarter_start(timezone.localdate()))


@shared_task(name="archives.open_annual_talks")
def open_annual_talks_task() -> int:
    return actions.open_annual_talks(timezone.localdate().year)


@shared_task(name="archives.open_duty_accounts")
def open_duty_accounts_task() -> int:
    """Daily from January: leaders owe the account of the year just ended until its due day."""
    from archives.accounts import open_duty_accounts

    return open_duty_accounts()
