"""The demo institution inside a test database: seeded once for a module, in a transaction rolled back after it."""

from __future__ import annotations

import io
from collections.abc import Iterator

from django.core.management import call_command
from django.db import transaction

from integrity.demo import DEMO_USERNAMES

DEMO_ACCOUNTS = sorted(DEMO_USERNAMES)


def seeded_demo(django_db_blocker) -> Iterator[None]:
    """Seed the demo for the tests of one module; every test inside still runs in its own savepoint."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)
