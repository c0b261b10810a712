"""A worker's start-up heap is set aside from the cycle collector (``integrity.heap``)."""

import gc
import subprocess
import sys

from celery.signals import worker_process_init

WORKER = """
import gc, sys
import integrity.{module}
print(gc.get_freeze_count(), "alerts.views" in sys.modules)
"""


def test_a_web_worker_freezes_its_heap_once_every_view_is_imported():
    for module in ("wsgi", "asgi"):
        done = subprocess.run(
            [sys.executable, "-c", WORKER.format(module=module)], capture_output=True, text=True, check=True
        )
        frozen, views = done.stdout.split()
        assert int(frozen) > 50_000 and views == "True", (module, done.stdout)


def test_a_celery_pool_process_freezes_its_heap_when_it_starts():
    gc.unfreeze()
    try:
        assert gc.get_freeze_count() == 0
        worker_process_init.send(sender=None)
        assert gc.get_freeze_count() > 50_000
    finally:
        gc.unfreeze()
