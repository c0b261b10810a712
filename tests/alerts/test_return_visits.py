"""Return visits (廉政回访): the nightly job owes a visit for a sample of the cases closed lately — the alert policy's
share, and every case assessed orange or red — to the discipline staff, by the policy's days after closing; the visit
records the party's answers to the questions kept as data, and a "yes" becomes a clue about the lead handler."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from alerts.choices import ClueKind, ClueStatus
from alerts.models import AlertPolicy, Clue, ReturnVisit, VisitQuestion
from alerts.visits import open_return_visits
from cases.models import Assessment, Case
from integrity import obligations
from integrity.choices import DayCount
from tests.cases.records import assess, make_case

# The clock is pinned to 20 November 2026; the cases below closed two days before.
pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-11-20")]
TODAY = datetime.date(2026, 11, 20)
CLOSED = datetime.date(2026, 11, 18)


def closed_case(world, number: str, *, colour: str = "", closed_on=CLOSED) -> Case:
    case = make_case(world.prosecution, [world.officer, world.colleague], number=number)
    if colour:
        Assessment.objects.filter(pk=assess(case, world.officer).pk).update(colour=colour)
    Case.objects.filter(pk=case.pk).update(closed_on=closed_on)
    return case


def owed(officer) -> list:
    return [
        item for kind, items, _n in obligations.to_dos(officer) for item in items if kind.code == "alerts.return_visit"
    ]


def test_the_sample_takes_every_red_or_orange_case_and_the_policys_share_of_the_rest_once(world):
    policy = AlertPolicy.objects.create(
        institution=world.city, visit_share=0, visit_days=30, days_counted=DayCount.CALENDAR
    )
    red = closed_case(world, "（2026）江检刑诉字第101号", colour="red")
    orange = closed_case(world, "（2026）江检刑诉字第102号", colour="orange")
    blue = closed_case(world, "（2026）江检刑诉字第103号", colour="blue")
    plain = closed_case(world, "（2026）江检刑诉字第104号")
    closed_case(world, "（2026）江检刑诉字第105号", colour="red", closed_on=TODAY - datetime.timedelta(days=45))
    make_case(world.prosecution, [world.officer], number="（2026）江检刑诉字第106号")  # still open

    open_return_visits(TODAY)
    visits = {visit.case_id: visit for visit in ReturnVisit.objects.all()}
    assert set(visits) == {red.pk, orange.pk}
    assert visits[red.pk].due_on == CLOSED + datetime.timedelta(days=30)
    assert visits[red.pk].handler == world.officer  # the lead handler
    policy.visit_share = 100
    policy.save()
    open_return_visits(TODAY)
    open_return_visits(TODAY)
    assert set(ReturnVisit.objects.values_list("case_id", flat=True)) == {red.pk, orange.pk, blue.pk, plain.pk}


def test_a_visit_is_the_discipline_staffs_and_a_yes_becomes_a_clue_about_the_handler(world, client_for):
    case = closed_case(world, "（2026）江检刑诉字第201号", colour="red")
    quiet = closed_case(world, "（2026）江检刑诉字第202号", colour="red")
    open_return_visits(TODAY)
    visit, other = ReturnVisit.objects.get(case=case), ReturnVisit.objects.get(case=quiet)
    assert {item.url for item in owed(world.inspector)} == {visit.get_absolute_url(), other.get_absolute_url()}
    assert not owed(world.officer) and not owed(world.dh_inspector)
    assert client_for(world.officer).get(visit.get_absolute_url()).status_code == 404  # the handler does not see it

    gifts = VisitQuestion.objects.get(order=1)
    response = client_for(world.inspector).post(
        visit.get_absolute_url(),
        {"party": "钱某某", "by_phone": "on", f"q{gifts.pk}": "on", "notes": "反映主办人曾接受律师宴请。"},
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.visited_on == TODAY and visit.visited_by == world.inspector and visit.by_phone
    assert [a["yes"] for a in visit.answers] == [q.pk == gifts.pk for q in VisitQuestion.objects.all()]
    clue = visit.clue
    assert (clue.kind, clue.subject, clue.status) == (ClueKind.RETURN_VISIT, world.officer, ClueStatus.REGISTERED)
    assert gifts.text in clue.content and case.number in clue.content
    assert visit.get_absolute_url() not in {item.url for item in owed(world.inspector)}

    client_for(world.inspector).post(other.get_absolute_url(), {"party": "周某", "notes": "无意见。"})
    other.refresh_from_db()
    assert other.visited_on == TODAY and other.clue is None
    assert Clue.objects.count() == 1
    page = client_for(world.inspector).get(reverse("alerts:visit_detail", args=[visit.pk])).content.decode()
    assert 'data-testid="visit-clue"' in page and 'data-testid="visit-form"' not in page
