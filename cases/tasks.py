"""Beat jobs of the cases app: thin and idempotent."""

from __future__ import annotations

import zoneinfo

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from cases import actions


@shared_task(name="cases.issue_supervision_notices")
def issue_supervision_notices_task() -> int:
    """督办: a notice for every assessed case past its handling deadline (once per case)."""
    today = timezone.now().astimezone(zoneinfo.ZoneInfo(settings.TIME_ZONE)).date()
    return actions.issue_supervision_notices(today)
