"""The Celery application. Its settings are the ``CELERY_*`` names in ``integrity.settings``."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "integrity.settings")

app = Celery("integrity")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
