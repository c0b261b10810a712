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


@pytest.mark.django_db
@pytest.mark.today("2026-11-26")
def test_a_light_is_not_written_again_when_its_sources_give_the_same_reasons_in_another_order(world, monkeypatch):
    """The sources read without an ``ORDER BY``: the same reasons in another order are the same light, and what is
    stored is in the order the page shows (the worst first) whatever order they came in."""
    monkeypatch.setattr(ledger, "_sources", dict(ledger._sources))
    monkeypatch.setattr(ledger, "MESSAGES", dict(ledger.MESSAGES))
    ledger.messages({"extra": gettext_noop("%(n)s things are missing.")})
    given = [
        Reason("extra", Colour.YELLOW, "extra", {"n": 1}, ("todos",)),
        Reason("extra", Colour.RED, "extra", {"n": 2}, ("todos",)),
        Reason("other", Colour.YELLOW, "extra", {"n": 3}, ("todos",)),
    ]

    def source(owed):
        for reason in given:
            yield world.officer.pk, reason

    ledger.register("tests.extra", source)
    compute_lights(officer_ids=[world.officer.pk])
    stored = Light.objects.get(officer=world.officer)
    extra = [r for r in stored.reasons if r["kind"] in ("extra", "other")]
    assert [r["params"]["n"] for r in extra] == [2, 1, 3]  # red first, then by kind
    marker = [{"kind": "marker", "colour": "red", "message": "extra", "params": {"n": 0}, "link": ["todos"]}]
    Light.objects.filter(pk=stored.pk).update(reasons=marker)  # what a rewrite would replace

    given.reverse()
    compute_lights(officer_ids=[world.officer.pk])
    assert Light.objects.get(officer=world.officer).reasons == marker  # not written again

    given[0] = Reason("extra", Colour.YELLOW, "extra", {"n": 4}, ("todos",))  # a reason changed: written
    compute_lights(officer_ids=[world.officer.pk])
    extra = [r for r in Light.objects.get(officer=world.officer).reasons if r["kind"] in ("extra", "other")]
    assert [r["params"]["n"] for r in extra] == [2, 1, 4]


@pytest.mark.django_db
def test_rows_are_the_querysets_own_in_its_order_on_every_database(world):
    """``ledger.rows`` reads a whole run's rows at once (on PostgreSQL, as the driver gives them): the same values
    and types as the queryset, in the order it names its columns (an annotation before a field included)."""
    from django.db.models import Count, Min

    from integrity.models import Officer

    by_body = Officer.objects.values("institution_id").annotate(n=Count("id"), first=Min("date_joined")).order_by()
    named = by_body.values_list("institution_id", "n", "first")
    assert sorted(ledger.rows(named)) == sorted(named) and len(named) >= 3
    reordered = by_body.values_list("n", "institution_id")  # an annotation named before a field
    assert sorted(ledger.rows(reordered)) == sorted(reordered)
    assert {type(row[2]) for row in ledger.rows(named)} == {type(row[2]) for row in named}
    assert ledger.rows(Officer.objects.none().values_list("pk", "username")) == []
