"""A warning from a clue follows from what its verification found: only a clue found true or partly true, about a
named officer, may lead to one, and then about that officer or their department. The warning form offers only such
clues, through a search, as it does officers and departments."""

import datetime

import pytest
from django.urls import reverse

from alerts import clues
from alerts.choices import ClueKind, Outcome
from alerts.models import IntegrityWarning

# The dates below are November 2026's; the clock stands on the day these tests were written against.
pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-11-20")]
TODAY = datetime.date(2026, 11, 20)


def a_clue(world, *, source="群众来信", subject=None, outcome=None):
    """A petition about 李明 (or ``subject``) registered by the city's discipline staff, verified to ``outcome``
    when one is given, else still being verified."""
    clue = clues.register_clue(
        institution=world.city, kind=ClueKind.PETITION, source=source, subject=subject or world.officer,
        content="反映接受当事人宴请", received_on=TODAY, acting_user=world.inspector,
    )  # fmt: skip
    clues.assign_verifier(clue, world.inspector, acting_user=world.inspector)
    if outcome is not None:
        clarification = "经核查反映不实，予以澄清。" if outcome == Outcome.UNTRUE else ""
        clues.conclude_clue(clue, outcome=outcome, clarification=clarification, acting_user=world.inspector)
    clue.refresh_from_db()
    return clue


def select_of(page: str, name: str) -> str:
    return page.split(f'<select name="{name}"', 1)[1].split("</select>", 1)[0]


FORM = {"level": "general", "target": "officer", "facts": "接受当事人宴请", "source": "群众来信"}


def test_a_warning_comes_only_from_a_clue_found_true_and_only_about_its_officer(client_for, world):
    verifying, untrue = a_clue(world), a_clue(world, outcome=Outcome.UNTRUE)
    founded = a_clue(world, outcome=Outcome.PARTLY_TRUE)
    client = client_for(world.inspector)
    url = reverse("alerts:warning_propose")
    for clue in (verifying, untrue):
        refused = client.post(url, {**FORM, "officer": world.officer.pk, "clue": clue.pk})
        assert refused.status_code == 200 and "clue" in refused.context["form"].errors
    elsewhere = client.post(url, {**FORM, "officer": world.colleague.pk, "clue": founded.pk})
    assert elsewhere.status_code == 200
    assert world.officer.full_name in str(elsewhere.context["form"].non_field_errors())
    other_department = {**FORM, "target": "department", "department": world.office.pk, "clue": founded.pk}
    assert world.officer.department != world.office
    assert client.post(url, other_department).status_code == 200
    assert not IntegrityWarning.objects.exists()  # nothing written for any refusal

    assert client.post(url, {**FORM, "officer": world.officer.pk, "clue": founded.pk}).status_code == 302
    own_department = {**other_department, "department": world.officer.department.pk}
    assert client.post(url, own_department).status_code == 302
    assert [(w.officer, w.department, w.clue) for w in IntegrityWarning.objects.order_by("pk")] == [
        (world.officer, world.officer.department, founded),
        (None, world.officer.department, founded),
    ]


def test_the_clue_page_offers_a_warning_only_once_the_clue_is_found_true(client_for, world):
    client = client_for(world.inspector)
    propose = reverse("alerts:warning_propose")
    for outcome, offered in ((None, False), (Outcome.UNTRUE, False), (Outcome.TRUE, True)):
        clue = a_clue(world, outcome=outcome)
        assert clue.may_lead_to_a_warning is offered
        assert (f"{propose}?clue={clue.pk}" in client.get(clue.get_absolute_url()).content.decode()) is offered
    # The principal leader reads the founded clue but may not propose (the form is discipline staff's): no button.
    leaders_page = client_for(world.chief).get(clue.get_absolute_url())
    assert leaders_page.status_code == 200 and propose not in leaders_page.content.decode()
    assert client_for(world.chief).get(propose).status_code == 404


def test_the_form_draws_only_the_clue_it_came_from_and_the_search_offers_only_founded_clues(client_for, world):
    founded = a_clue(world, source="巡察移交", outcome=Outcome.TRUE)
    a_clue(world, source="巡察移交", outcome=Outcome.UNTRUE)
    a_clue(world, source="巡察移交")
    about_colleague = a_clue(world, source="来访", subject=world.colleague, outcome=Outcome.TRUE)
    client = client_for(world.inspector)
    page = client.get(reverse("alerts:warning_propose")).content.decode()
    assert 'data-testid="clue-search"' in page and reverse("alerts:clue_options") in page
    assert select_of(page, "clue").count("<option") == 1  # the empty choice only

    came_from = {"clue": founded.pk, "officer": world.officer.pk}
    chosen = select_of(client.get(reverse("alerts:warning_propose"), came_from).content.decode(), "clue")
    assert chosen.count("<option") == 2 and f'<option value="{founded.pk}" selected>' in chosen
    assert "属实" in chosen and world.officer.full_name in chosen

    options = reverse("alerts:clue_options")
    found = client.get(options, {"q": "巡察"}).content.decode()
    assert found.count("<option") == 2 and f'value="{founded.pk}"' in found  # the empty choice and the founded clue
    by_name = client.get(options, {"q": world.colleague.full_name}).content.decode()
    assert f'value="{about_colleague.pk}"' in by_name and f'value="{founded.pk}"' not in by_name
    assert client.get(options, {"q": ""}).content.decode().count("<option") == 1
    assert "查无此线索" in client.get(options, {"q": "没有的来源"}).content.decode()


def test_the_clue_search_is_discipline_staffs_and_within_their_bodies(client_for, world):
    a_clue(world, source="巡察移交", outcome=Outcome.TRUE)
    options = reverse("alerts:clue_options")
    assert client_for(world.depthead).get(options, {"q": "巡察"}).status_code == 404
    assert client_for(world.officer).get(options, {"q": "巡察"}).status_code == 404
    assert client_for(world.inspector).get(options, {"q": "巡察"}).content.decode().count("<option") == 2
    assert client_for(world.dh_inspector).get(options, {"q": "巡察"}).content.decode().count("<option") == 1
