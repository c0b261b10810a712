"""Two workers at the same moment: the jobs' idempotence is tested by running them twice at once (PostgreSQL)."""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import connection


def twice_at_once(job: Callable[[], object]) -> list[Exception]:
    """Run ``job`` in two threads released together, each on its own connection; returns what they raised."""
    barrier, errors = threading.Barrier(2), []

    def run() -> None:
        try:
            barrier.wait()
            job()
        except Exception as error:  # returned to the test, which asserts there is none
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors
