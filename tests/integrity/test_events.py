"""What follows a change is decided above it: lights and risk tables follow at once, and imports run one way."""

from __future__ import annotations

import ast
import datetime
from pathlib import Path

import pytest
from django.db import transaction

from alerts.models import Light
from integrity import actions as org
from integrity import events
from risks.choices import TableStatus
from risks.models import PersonalRiskTable
from tests.cases.records import make_case
from tests.factories import PostFactory
from tests.risks.records import post_risk

ROOT = Path(__file__).resolve().parents[2]
LAYERS = [
    "integrity",
    "risks",
    "cases",
    "alerts",
    "inspections",
    "archives",
    "reports",
    "desk",
]  # each may import only those before it


@pytest.mark.django_db
def test_a_new_case_turns_its_handler_yellow_at_once(world, today, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        make_case(world.prosecution, [world.officer], received_on=today - datetime.timedelta(days=10))
    light = Light.objects.get(officer=world.officer)
    assert light.colour in ("yellow", "red") and "declaration" in [r["kind"] for r in light.reasons]


@pytest.mark.django_db
def test_a_post_change_makes_the_new_risk_table_due_at_once(world, today, django_capture_on_commit_callbacks):
    new_post = PostFactory(department=world.investigation)
    post_risk(new_post)
    with django_capture_on_commit_callbacks(execute=True):
        org.assign_post(world.officer, new_post, started_on=today, acting_user=world.admin)
    table = PersonalRiskTable.objects.get(officer=world.officer, archived_at__isnull=True)
    assert table.post == new_post and table.status == TableStatus.DUE and table.items.count() == 1


@pytest.fixture
def delivered(monkeypatch) -> list[tuple[str, set[int]]]:
    """What each subscriber received, in order, instead of what the apps subscribed."""
    calls: list[tuple[str, set[int]]] = []
    subscribers = {event: [lambda ids, event=event: calls.append((event, set(ids)))] for event in events.ORDER}
    monkeypatch.setattr(events, "_subscribers", subscribers)
    return calls


@pytest.mark.django_db
def test_a_transaction_delivers_each_event_once_with_every_officer_and_the_lights_last(
    delivered, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        for n in range(50):
            events.officers_changed(1, 2, n % 3 + 3)
        events.post_changed(7)
        events.routes_changed([8])
    assert delivered == [
        ("post_changed", {7}),
        ("routes_changed", {8}),
        ("officers_changed", {1, 2, 3, 4, 5, 7}),
    ]


@pytest.mark.django_db
def test_what_a_rolled_back_savepoint_sent_alone_is_not_delivered(delivered, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        try:
            with transaction.atomic():
                events.officers_changed(1)
                raise RuntimeError
        except RuntimeError:
            pass
        events.officers_changed(2)
    assert delivered == [("officers_changed", {2})]


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_each_send_is_delivered_at_once(delivered):
    events.officers_changed(1)
    events.officers_changed(2)
    assert delivered == [("officers_changed", {1}), ("officers_changed", {2})]


def test_imports_run_one_way():
    upward = []
    for layer, app in enumerate(LAYERS):
        for path in (ROOT / app).rglob("*.py"):
            relative = str(path.relative_to(ROOT))
            if "migrations" in relative:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
                names += [a.name for a in node.names] if isinstance(node, ast.Import) else []
                upward += [f"{relative} imports {n}" for n in names if n.split(".")[0] in LAYERS[layer + 1 :]]
    assert not upward
