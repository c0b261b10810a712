"""The project package: settings, URLs, the Celery app, and the organisation-and-people models."""

from integrity.celeryconf import app as celery_app

__all__ = ["celery_app"]
