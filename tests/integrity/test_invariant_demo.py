"""The loop closes in the demo (``test_invariant``): every open item has an actor who is not its subject, who sees
it, opens it and completes it; supervision notices reach the handler and the one who follows them up. The demo is
seeded once for this module, apart from the generated institution of ``test_invariant``."""

from __future__ import annotations

import pytest

from cases.models import SupervisionNotice
from tests.demo import seeded_demo
from tests.integrity.test_invariant import (
    assert_lights_keep_only_own_filings,
    assert_notices_reach_the_handler_and_a_follower,
    close_the_loop,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_blocker, demo_snapshot, migrated_database):
    yield from seeded_demo(django_db_blocker, demo_snapshot, migrated_database)


def test_every_open_item_in_the_demo_has_an_actor_who_sees_opens_and_completes_it(client_for, demo):
    assert SupervisionNotice.objects.filter(closed_at__isnull=True).exists()
    assert_notices_reach_the_handler_and_a_follower()
    subjects = close_the_loop(client_for)
    assert subjects, "the demo has open items"
    assert_lights_keep_only_own_filings(subjects)
