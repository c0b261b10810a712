"""One ledger: each app declares why an officer's light is not green; the light engine reads the declarations only."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_noop

from alerts.engine import compute_lights
from alerts.models import Light
from integrity import ledger
from integrity.choices import Colour
from integrity.ledger import Reason

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def extra_source(monkeypatch):
    """A source of reasons declared the way an app declares one, removed after the test."""
    monkeypatch.setattr(ledger, "_sources", dict(ledger._sources))
    monkeypatch.setattr(ledger, "MESSAGES", dict(ledger.MESSAGES))

    def declare(officer, colour):
        def source(owed):
            if officer.pk in owed.officers:
                yield officer.pk, Reason("extra", colour, "extra", {"n": 3}, ("todos",))

        ledger.messages({"extra": gettext_noop("%(n)s things are missing.")})
        ledger.register("tests.extra", source)

    return declare


@pytest.mark.django_db
def test_a_declared_source_sets_the_light_and_leaving_it_clears_it(world, extra_source, monkeypatch):
    # Whatever else the day brings (last year's matters report, say) stays as it was around the declared source.
    compute_lights(officer_ids=[world.officer.pk, world.other_officer.pk])
    before = {o: Light.objects.get(officer=o).reasons for o in (world.officer, world.other_officer)}
    assert Colour.RED not in {r["colour"] for reasons in before.values() for r in reasons}

    extra_source(world.officer, Colour.RED)
    compute_lights(officer_ids=[world.officer.pk, world.other_officer.pk])
    light = Light.objects.get(officer=world.officer)
    assert light.colour == Colour.RED
    extra = {"kind": "extra", "colour": "red", "message": "extra", "params": {"n": 3}, "link": ["todos"]}
    assert light.reasons == [extra, *before[world.officer]]
    with translation.override("en"):
        assert (light.explained()[0].text, light.explained()[0].url) == ("3 things are missing.", reverse("todos"))
    assert Light.objects.get(officer=world.other_officer).reasons == before[world.other_officer]

    monkeypatch.delitem(ledger._sources, "tests.extra")
    compute_lights(officer_ids=[world.officer.pk])
    assert Light.objects.get(officer=world.officer).reasons == before[world.officer]


def test_every_app_declares_its_own_reasons():
    assert {code.split(".")[0] for code in ledger._sources} == {"risks", "cases", "alerts", "archives"}
    for message in ("check_overdue", "declarations", "declaration_review", "assessment", "warning", "matters"):
        assert message in ledger.MESSAGES


def test_the_light_engine_knows_no_app_s_tables():
    """The engine reads the ledger; which records make a light yellow or red is each app's declaration."""
    tree = ast.parse((ROOT / "alerts" / "engine.py").read_text(encoding="utf-8"))
    imports = [node for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    imported = {node.module: {a.name for a in node.names} for node in imports}
    assert not {module for module in imported if module.split(".")[0] in {"risks", "cases", "archives"}}
    assert imported["alerts.models"] == {"Light", "LightEvent", "LightSnapshot", "Notification"}


def test_a_reason_stored_before_messages_and_links_reads_as_recorded():
    old = Reason.from_dict({"kind": "old", "colour": "yellow", "message": "gone", "params": {"text": "旧的理由"},
                            "url": "/cases/?incomplete=true"})  # fmt: skip
    assert (old.text, old.url) == ("旧的理由", "/cases/?incomplete=true")
