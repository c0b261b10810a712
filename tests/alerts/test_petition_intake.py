"""Petition intake (控申): the petition office registers what the body receives; it reaches the discipline staff who
answer for the officer concerned as a clue to dispose of, and the office follows only its status."""

from __future__ import annotations

import pytest
from django.urls import reverse

from alerts.models import Clue
from integrity import actions as org
from integrity import obligations
from integrity.choices import Role
from tests.factories import OfficerFactory

# The clock is pinned to Friday 20 November 2026; petitions are received that day or before.
pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-11-20")]


def assigned_to(officer) -> list[str]:
    return [
        i.url for kind, items, _n in obligations.to_dos(officer) for i in items if kind.code == "alerts.clue_assignment"
    ]


@pytest.fixture
def intake(world):
    clerk = OfficerFactory(username="intake", full_name="钱多", department=world.office)
    org.grant_role(clerk, Role.PETITION_INTAKE, world.city, acting_user=None)
    return clerk


def petition(**extra) -> dict:
    return {
        "source": "群众来信", "channel": "来信", "subject": "", "content": "反映某干警收受当事人礼品",
        "received_on": "2026-11-19", **extra,
    }  # fmt: skip


def test_a_registered_petition_goes_to_the_discipline_staff_who_answer_for_the_officer(world, client_for, intake):
    clerk = client_for(intake)
    assert clerk.post(reverse("alerts:intake"), petition(subject="李明")).status_code == 302
    assert clerk.post(reverse("alerts:intake"), petition(subject="陈静", channel="来访")).status_code == 302
    city, district = Clue.objects.order_by("pk")
    assert (city.subject, city.institution, city.kind, city.registered_by) == (
        world.officer,
        world.city,
        "petition",
        intake,
    )
    assert (district.subject, district.institution) == (world.dh_officer, world.dh)
    assert assigned_to(world.inspector) == [city.get_absolute_url()]
    assert assigned_to(world.dh_inspector) == [district.get_absolute_url()]

    clerk.get(reverse("alerts:intake"))  # the success messages are shown once
    page = clerk.get(reverse("alerts:intake")).content.decode()
    table = page[page.index('data-testid="intake-registered"') :]
    assert table.count("群众来信") == 2 and table.count("登记</span>") == 2  # what they registered, and its status
    assert "收受当事人礼品" not in page and "李明" not in page  # not what it says
    assert clerk.get(city.get_absolute_url()).status_code == 404
    assert clerk.get(reverse("alerts:clue_list")).status_code == 404


@pytest.mark.parametrize(
    ("extra", "error"),
    [
        ({"subject": "不存在的人"}, "没有"),
        ({"subject": "钱多"}, "同事"),
        ({"received_on": "2026-11-21"}, "未来"),
        ({"content": ""}, "必填"),
    ],
)
def test_bad_input_says_what_is_wrong_and_writes_nothing(world, client_for, intake, extra, error):
    response = client_for(intake).post(reverse("alerts:intake"), petition(**extra))
    assert response.status_code == 200 and error in response.content.decode()
    assert not Clue.objects.exists()


def test_two_officers_of_the_same_name_need_the_staff_number(world, client_for, intake):
    OfficerFactory(username="li2", full_name="李明", department=world.xs_officer.department, staff_number="X-7")
    clerk = client_for(intake)
    response = clerk.post(reverse("alerts:intake"), petition(subject="李明"))
    assert response.status_code == 200 and "工号" in response.content.decode()
    assert clerk.post(reverse("alerts:intake"), petition(subject="X-7")).status_code == 302
    assert Clue.objects.get().institution == world.xs


def test_only_the_petition_office_has_the_page(world, client_for):
    for officer in (world.officer, world.inspector, world.chief):
        assert client_for(officer).get(reverse("alerts:intake")).status_code == 404
