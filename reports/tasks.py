"""Jobs of the reports app: keep each institution's report of the month, quarter and year just ended."""

from __future__ import annotations

from celery import shared_task

from reports.report import keep_ended_periods


@shared_task(name="reports.keep_ended_periods")
def keep_ended_periods_task() -> int:
    """Nightly; a second run (or a run after a worker died) keeps only what is still missing."""
    return keep_ended_periods()
