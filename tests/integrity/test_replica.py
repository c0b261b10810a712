"""With a replica (``DATABASE_REPLICA_URL``), the lists and the board read from it; writes, the pages that follow a
write and exports stay on the primary. The replica here is a mirror of the test database."""

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = [
    pytest.mark.django_db(transaction=True, databases=["default", "replica"]),
    pytest.mark.today("2026-11-20"),
]


def _reads(client, url, **params):
    with (
        CaptureQueriesContext(connections["replica"]) as replica,
        CaptureQueriesContext(connections["default"]) as primary,
    ):
        response = client.get(url, params)
    assert response.status_code == 200
    return [q["sql"] for q in replica.captured_queries], [q["sql"] for q in primary.captured_queries]


def test_the_lists_and_the_board_read_from_the_replica_and_nothing_else_does(client_for, world, settings):
    settings.DATABASE_ROUTERS = ["integrity.replica.ReplicaRouter"]
    client = client_for(world.inspector)

    replica, primary = _reads(client, reverse("cases:case_list"))
    assert any('FROM "cases_case"' in sql for sql in replica)
    assert not any('FROM "cases_case"' in sql for sql in primary)
    replica, primary = _reads(client, reverse("alerts:board"))
    assert any('"alerts_lightevent"' in sql for sql in replica)  # the feed
    assert any('"alerts_light"' in sql for sql in primary)  # the counts it caches: never a lagging replica's

    # A page that is not a list reads from the primary.
    replica, _ = _reads(client, reverse("todos"))
    assert replica == []
    # An export writes its audit row: it reads where it writes.
    replica, primary = _reads(client, reverse("cases:case_list"), _export="csv")
    assert replica == [] and any('FROM "cases_case"' in sql for sql in primary)


def test_the_page_after_a_write_reads_from_the_primary(client_for, world, settings):
    settings.DATABASE_ROUTERS = ["integrity.replica.ReplicaRouter"]
    client = client_for(world.inspector)
    assert client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"}).status_code == 302
    replica, primary = _reads(client, reverse("cases:case_list"))
    assert replica == [] and any('FROM "cases_case"' in sql for sql in primary)
    # Once the replica has had time to catch up (the cookie has expired), lists read from it again.
    client.cookies.pop("wrote_at")
    replica, _ = _reads(client, reverse("cases:case_list"))
    assert any('FROM "cases_case"' in sql for sql in replica)


def test_without_the_router_everything_reads_from_the_primary(client_for, world):
    replica, primary = _reads(client_for(world.inspector), reverse("cases:case_list"))
    assert replica == [] and any('FROM "cases_case"' in sql for sql in primary)
