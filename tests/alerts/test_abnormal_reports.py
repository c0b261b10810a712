"""An officer reports an abnormal situation (异常情况报告): it reaches the discipline staff as a clue of its own
kind waiting for a verifier, the officer follows what became of it, and is never its verifier. The clock is pinned
to 20 November 2026; the days reported are counted from it."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from alerts import clues
from alerts.choices import ClueKind, ClueStatus
from alerts.models import Clue
from integrity import actions as org
from integrity.choices import Role
from integrity.obligations import to_dos
from tests.factories import OfficerFactory

pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-11-20")]
TODAY = datetime.date(2026, 11, 20)


def report(world, **data):
    values = {
        "occurred_on": TODAY - datetime.timedelta(days=2), "counterpart": "被告人家属刘某",
        "content": "在法院门口拦住我，提出请吃饭", "response": "当场拒绝并告知其依法办事",
    } | data  # fmt: skip
    return clues.report_abnormal(acting_user=world.officer, **values)


def test_a_report_reaches_the_discipline_staff_of_the_officer_s_institution_as_a_clue_to_assign(world):
    clue = report(world)
    assert (clue.kind, clue.status, clue.institution, clue.reporter) == (
        ClueKind.ABNORMAL, ClueStatus.REGISTERED, world.city, world.officer,
    )  # fmt: skip
    assert clue.subject is None and clue.received_on == TODAY
    groups = {kind.code: items for kind, items, _ in to_dos(world.inspector)}
    assert [o.url for o in groups["alerts.clue_assignment"]] == [clue.get_absolute_url()]
    assert "alerts.clue_assignment" not in {kind.code for kind, _, _ in to_dos(world.officer)}


def test_a_report_in_the_future_or_without_who_and_what_is_refused_with_nothing_written(world):
    with pytest.raises(ValidationError):
        report(world, occurred_on=TODAY + datetime.timedelta(days=1))
    with pytest.raises(ValidationError):
        report(world, counterpart=" ")
    with pytest.raises(ValidationError):
        report(world, content="")
    assert not Clue.objects.exists()


def test_nobody_verifies_their_own_report(world):
    clue = clues.report_abnormal(
        occurred_on=TODAY, counterpart="律师", content="电话打探案情", response="", acting_user=world.inspector
    )
    with pytest.raises(ValidationError):
        clues.assign_verifier(clue, world.inspector, acting_user=world.inspector)
    colleague = OfficerFactory(username="inspector2", full_name="钱敏", department=world.inspector.department)
    org.grant_role(colleague, Role.DISCIPLINE, world.city, acting_user=None)
    assert clues.assign_verifier(clue, colleague, acting_user=world.inspector).verifier == colleague


def test_the_officer_files_on_the_page_and_follows_the_outcome_while_the_staff_read_it_in_full(world, client_for):
    url = reverse("alerts:abnormal_report")
    data = {"occurred_on": "2026-11-18", "counterpart": "当事人王某", "content": "送来购物卡", "response": "退回"}
    assert client_for(world.officer).post(url, data).status_code == 302
    clue = Clue.objects.get()
    page = client_for(world.officer).get(url).content.decode()
    assert 'data-testid="my-abnormal-reports"' in page and "送来购物卡" in page and "当事人王某" in page
    detail = client_for(world.inspector).get(clue.get_absolute_url()).content.decode()
    assert world.officer.full_name in detail and "退回" in detail
    assert client_for(world.officer).get(clue.get_absolute_url()).status_code == 404  # the clue itself is theirs

    bad = client_for(world.officer).post(url, data | {"occurred_on": "2026-11-21"})
    assert bad.status_code == 200 and Clue.objects.count() == 1
