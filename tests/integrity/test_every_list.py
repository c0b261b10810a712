"""Every list of every app answers as a page, as an htmx fragment, sorted, paged past its end and filtered with odd
values, for each demo role: 200 or 404 (not this role's list), never a server error."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from integrity.models import Officer
from tests.demo import DEMO_ACCOUNTS, seeded_demo
from tests.sessions import passed_second_factor
from tests.walk import list_views, pages_without_arguments

pytestmark = pytest.mark.django_db

ODD_VALUES = ["-1", "abc", "99999999999999999999", "2026-02-30", "'\"<>%;--", "０", "  "]
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(scope="module")
def demo(django_db_blocker, demo_snapshot, migrated_database):
    yield from seeded_demo(django_db_blocker, demo_snapshot, migrated_database)


@pytest.fixture
def clients(demo) -> dict[str, Client]:
    made = {}
    for officer in Officer.objects.filter(username__in=DEMO_ACCOUNTS):
        made[officer.username] = Client()
        made[officer.username].force_login(officer)
        passed_second_factor(made[officer.username])
    return made


def _columns(view_class) -> list[str]:
    table_class = view_class.table_class or view_class().get_table_class()
    return list(table_class.base_columns)


def _answers(client: Client, url: str, params: dict, *, follow: bool = False, **headers) -> int:
    response = client.get(url, params, follow=follow, **headers)
    assert response.status_code in (200, 404), f"{url} {params} {headers}: {response.status_code}"
    return response.status_code


@pytest.mark.parametrize(("name", "view_class"), list_views(), ids=[name for name, _ in list_views()])
def test_every_list_answers_every_request(clients, name, view_class):
    url = reverse(name)
    filters = list(view_class.filterset_class.base_filters) if view_class.filterset_class else []
    seen_by = []
    for username, client in clients.items():
        if _answers(client, url, {}) == 404:
            continue
        seen_by.append(username)
        fragment = client.get(url, {}, **HTMX)
        assert fragment.status_code == 200, f"{name} as htmx for {username}: {fragment.status_code}"
        assert "<html" not in fragment.content.decode() and "<table" in fragment.content.decode()
        _answers(client, url, {"page": 99999})
        _answers(client, url, {"page": "x", "sort": "no-such-column"}, **HTMX)
        for value in ODD_VALUES:
            _answers(client, url, dict.fromkeys(filters, value), **HTMX)
    assert seen_by, f"no demo role can open {name}"
    client = clients[seen_by[-1]]
    for column in _columns(view_class):
        for sort in (column, f"-{column}"):
            _answers(client, url, {"sort": sort}, **HTMX)


@pytest.mark.parametrize("name", pages_without_arguments())
def test_every_page_answers_each_demo_role(clients, name):
    url = reverse(name)
    for client in clients.values():
        _answers(client, url, {}, follow=True)
        _answers(client, url, {}, follow=True, **HTMX)
