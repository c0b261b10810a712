"""The demo institution inside a test database for the tests of one module: put back from the run's snapshot (seeded
once per worker), and the migrated database put back after the module."""

from __future__ import annotations

from collections.abc import Iterator

from integrity.demo import DEMO_USERNAMES
from tests import snapshot

DEMO_ACCOUNTS = sorted(DEMO_USERNAMES)


def seeded_demo(django_db_blocker, demo_snapshot, migrated_database) -> Iterator[None]:
    """The demo for the tests of one module; every test inside still runs in its own transaction."""
    with django_db_blocker.unblock():
        snapshot.restore(demo_snapshot)
    yield
    with django_db_blocker.unblock():
        snapshot.restore(migrated_database)
