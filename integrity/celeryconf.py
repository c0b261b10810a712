"""The Celery application. Its settings are the ``CELERY_*`` names in ``integrity.settings``."""

import os

from celery import Celery
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "integrity.settings")

app = Celery("integrity")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_process_init.connect
def _freeze_startup_heap(**kwargs: object) -> None:
    """Each pool process sets its start-up heap aside from the cycle collector (``integrity.heap``)."""
    from integrity.heap import freeze_startup_heap

    freeze_startup_heap()
