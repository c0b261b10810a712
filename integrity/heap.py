"""The process's heap after start-up, set aside from Python's cycle collector.

A web or Celery worker holds a few hundred thousand objects once Django and every app are loaded (modules, classes,
functions, the URLconf). They live as long as the process, yet each full collection of the cycle collector scans
them all: 70 ms at a time in a worker of this project, once every twenty-odd requests of a busy page — the slowest
twentieth of its requests. ``gc.freeze()`` moves them into a generation the collector never scans; what requests
allocate is collected as before.
"""

import gc


def freeze_startup_heap() -> None:
    """Load what every request needs (the URLconf imports every app's views), collect once, and freeze the rest."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - read to import the views now, before freezing
    gc.collect()
    gc.freeze()
