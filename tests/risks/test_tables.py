"""Personal risk tables: opened for each officer, pre-filled from the post, signed, approved, archived on a move."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from integrity import actions as org
from risks import personal
from risks.choices import TableStatus
from risks.models import MonthlyCheck, PersonalRiskTable
from risks.tasks import open_risk_tables_task
from tests.factories import PostFactory
from tests.risks.records import post_risk

# The dates below are November 2026's; the clock stands on the day these tests were written against.
pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-11-20")]


def test_a_table_is_opened_per_officer_prefilled_with_the_posts_published_risks(world):
    published = post_risk(world.officer.post, "违规会见律师")
    post_risk(world.officer.post, "草稿风险", publish=False)
    assert open_risk_tables_task() > 0
    assert open_risk_tables_task() == 0
    table = PersonalRiskTable.objects.get(officer=world.officer)
    assert [i.risk_point for i in table.items.all()] == [published]
    assert table.status == TableStatus.DUE and table.main_duties == world.officer.post.main_duties


def test_a_post_change_archives_the_table_and_a_new_one_becomes_due(world):
    post_risk(world.officer.post)
    personal.open_risk_tables()
    old = PersonalRiskTable.objects.get(officer=world.officer)
    new_post = PostFactory(department=world.investigation, name="检察员")
    org.assign_post(world.officer, new_post, started_on=datetime.date(2026, 10, 1), acting_user=world.admin)
    personal.open_risk_tables()
    old.refresh_from_db()
    assert old.archived_at is not None
    current = PersonalRiskTable.objects.get(officer=world.officer, archived_at=None)
    assert current.post == new_post and current.status == TableStatus.DUE


def test_the_officer_fills_signs_and_the_head_approves(client_for, world):
    post_risk(world.officer.post, "违规会见律师")
    personal.open_risk_tables()
    table = PersonalRiskTable.objects.get(officer=world.officer)
    client = client_for(world.officer)
    item = table.items.get()
    client.post(
        reverse("risks:risk_table_save", args=[table.pk]),
        {
            "main_duties": "审查起诉、出庭公诉",
            "items-TOTAL_FORMS": "2",
            "items-INITIAL_FORMS": "1",
            "items-0-risk_point_id": item.risk_point_id,
            "items-0-description": item.description,
            "items-0-measures": "会见在接待室",
            "items-1-description": "八小时以外交往不慎",
            "items-1-measures": "交往报告",
        },
    )
    assert table.items.count() == 2
    client.post(
        reverse("risks:risk_table_submit", args=[table.pk]),
        {"pledge": "本人承诺……", "signed_on": "2026-11-02", "agree": "on"},
    )
    table.refresh_from_db()
    assert table.status == TableStatus.SUBMITTED and table.pledge_signed_on == datetime.date(2026, 11, 2)

    with pytest.raises(ValidationError):
        personal.save_risk_table(table, main_duties="改", items=[personal.ItemData("改")], acting_user=world.officer)
    client_for(world.depthead).post(reverse("risks:risk_table_review", args=[table.pk]), {"decision": "approve"})
    table.refresh_from_db()
    assert table.status == TableStatus.APPROVED and table.reviewed_by == world.depthead


def test_a_pledge_must_be_agreed_to(client_for, world):
    post_risk(world.officer.post)
    personal.open_risk_tables()
    table = PersonalRiskTable.objects.get(officer=world.officer)
    client_for(world.officer).post(
        reverse("risks:risk_table_submit", args=[table.pk]), {"pledge": "承诺", "signed_on": "2026-11-02"}
    )
    table.refresh_from_db()
    assert table.status == TableStatus.DUE


def test_checks_are_made_against_the_current_table(world):
    post_risk(world.officer.post)
    personal.open_risk_tables()
    personal.open_monthly_checks(datetime.date(2026, 11, 1))
    check = MonthlyCheck.objects.get(officer=world.officer)
    assert check.table == PersonalRiskTable.objects.get(officer=world.officer, archived_at=None)
