"""Risk points: the derived grade and who answers for it, adjustments with reasons, the workflow, the policy."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from risks import actions
from risks.choices import Grade, RiskScope, RiskStatus
from risks.models import RiskPoint, RiskPolicy
from tests.risks.records import post_risk

pytestmark = pytest.mark.django_db


def test_the_grade_follows_likelihood_and_impact_and_names_who_answers(client_for, world):
    high = post_risk(world.officer.post, "违规作出不起诉决定", likelihood=3, impact=5)
    medium = post_risk(world.officer.post, "违规会见律师", likelihood=2, impact=4)
    low = post_risk(world.officer.post, "量刑建议不当", likelihood=1, impact=3)
    assert (high.grade, medium.grade, low.grade) == (Grade.HIGH, Grade.MEDIUM, Grade.LOW)
    client = client_for(world.inspector)
    for risk_point, answers in ((high, world.chief), (medium, world.deputy), (low, world.depthead)):
        page = client.get(risk_point.get_absolute_url()).content.decode()
        responsible = page.split('data-testid="responsible">')[1].split("</dd>")[0]
        assert answers.full_name in responsible
        others = {world.chief, world.deputy, world.depthead} - {answers}
        assert not any(o.full_name in responsible for o in others)


def test_the_grade_cannot_be_typed(client_for, world):
    risk_point = post_risk(world.officer.post, likelihood=1, impact=1, publish=False)
    client_for(world.admin).post(
        reverse("risks:risk_point_edit", args=[risk_point.pk]),
        {
            "scope": "post",
            "post": risk_point.post_id,
            "category": risk_point.category_id,
            "description": "x",
            "likelihood": "1",
            "impact": "1",
            "grade": "high",
            "identification_method": "self",
        },
    )
    risk_point.refresh_from_db()
    assert risk_point.grade == Grade.LOW


def test_a_collectively_graded_risk_is_marked_until_scored(client_for, world):
    risk_point = actions.save_risk_point(
        None,
        institution=world.city,
        data={
            "scope": RiskScope.INSTITUTION,
            "category": post_risk(world.officer.post).category,
            "description": "“三重一大”事项未经集体讨论",
            "collective_grade": "high",
        },
        acting_user=world.admin,
    )
    assert risk_point.grade == Grade.HIGH and not risk_point.is_scored
    page = client_for(world.admin).get(risk_point.get_absolute_url()).content.decode()
    assert "集体定" in page
    actions.save_risk_point(risk_point, institution=world.city, data={"likelihood": 1, "impact": 2}, acting_user=None)
    risk_point.refresh_from_db()
    assert risk_point.grade == Grade.LOW and risk_point.collective_grade == ""


def test_a_risk_needs_a_score_or_a_collective_grade(world):
    with pytest.raises(ValidationError):
        actions.save_risk_point(
            None,
            institution=world.city,
            data={
                "scope": RiskScope.INSTITUTION,
                "category": post_risk(world.officer.post).category,
                "description": "x",
            },
            acting_user=None,
        )


def test_adjusting_a_published_risk_needs_a_reason_and_keeps_it(client_for, world):
    risk_point = post_risk(world.officer.post, likelihood=2, impact=3)
    with pytest.raises(ValidationError):
        actions.save_risk_point(risk_point, institution=world.city, data={"impact": 5}, acting_user=world.admin)
    actions.save_risk_point(
        risk_point, institution=world.city, data={"impact": 5}, reason="近期同类案件多发", acting_user=world.admin
    )
    risk_point.refresh_from_db()
    assert risk_point.grade == Grade.MEDIUM  # 2 × 5 = 10
    latest = risk_point.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (world.admin, "近期同类案件多发")
    page = client_for(world.inspector).get(risk_point.get_absolute_url()).content.decode()
    assert "近期同类案件多发" in page and world.admin.full_name in page
    # The changes read as people say them: the field's label and the choice's name, not "status: draft → submitted".
    assert "危害程度：3 → 5" in page and "状态：草稿 → 已提交" in page
    assert "impact：" not in page and "status：" not in page


def test_the_workflow_runs_draft_submitted_approved_published(client_for, world):
    risk_point = post_risk(world.officer.post, publish=False, by=world.depthead)
    assert risk_point.status == RiskStatus.DRAFT
    url = lambda step: reverse("risks:risk_point_move", args=[risk_point.pk, step])  # noqa: E731
    assert client_for(world.officer).post(url("submit")).status_code == 404  # an officer is no editor
    client_for(world.depthead).post(url("submit"))
    assert client_for(world.depthead).post(url("approve")).status_code == 404  # heads do not approve their own
    client_for(world.deputy).post(url("return"), {"reason": ""})
    risk_point.refresh_from_db()
    assert risk_point.status == RiskStatus.SUBMITTED  # a return needs a reason
    client_for(world.deputy).post(url("approve"))
    client_for(world.chief).post(url("publish"))
    risk_point.refresh_from_db()
    assert risk_point.status == RiskStatus.PUBLISHED
    published = client_for(world.officer).get(reverse("risks:published_list")).content.decode()
    assert risk_point.description in published


def test_drafts_are_not_shown_to_officers(client_for, world):
    draft = post_risk(world.officer.post, "尚未公示的风险", publish=False, by=world.depthead)
    assert client_for(world.officer).get(draft.get_absolute_url()).status_code == 404
    assert client_for(world.depthead).get(draft.get_absolute_url()).status_code == 200


def test_changing_the_policy_regrades_every_scored_risk(client_for, world):
    risk_point = post_risk(world.officer.post, likelihood=3, impact=4)  # 12: medium by default
    response = client_for(world.admin).post(
        reverse("risks:policy"),
        {"high_threshold": "12", "medium_threshold": "6", "check_due_day": "25", "due_soon_days": "5"},
    )
    assert response.status_code == 302
    risk_point.refresh_from_db()
    assert risk_point.grade == Grade.HIGH
    assert client_for(world.officer).post(reverse("risks:policy"), {"high_threshold": "20"}).status_code == 404


def test_a_bad_policy_is_refused_with_nothing_changed(client_for, world):
    response = client_for(world.admin).post(
        reverse("risks:policy"),
        {"high_threshold": "6", "medium_threshold": "8", "check_due_day": "0", "due_soon_days": "5"},
    )
    assert response.status_code == 200 and "alert-danger" in response.content.decode()
    assert not RiskPolicy.objects.exists()


def test_the_risk_point_list_costs_the_same_queries_for_5_and_50_rows(client_for, world, django_assert_num_queries):
    client = client_for(world.inspector)
    for rows in (5, 50):
        while RiskPoint.objects.count() < rows:
            post_risk(world.officer.post, f"风险{RiskPoint.objects.count()}", publish=False)
        # session, user, scope, the page with its relations (no count), the three filter choice lists, the bell
        with django_assert_num_queries(8):
            assert client.get(reverse("risks:risk_point_list")).status_code == 200


def test_the_matrix_counts_each_cell(client_for, world):
    post_risk(world.officer.post, "甲", likelihood=3, impact=5)
    post_risk(world.officer.post, "乙", likelihood=3, impact=5)
    post_risk(world.officer.post, "丙", likelihood=1, impact=2)
    page = client_for(world.inspector).get(reverse("risks:matrix")).content.decode()
    cell = page.split('data-cell="3-5"')[1].split("</td>")[0]
    assert ">2</a>" in cell and "likelihood=3&amp;impact=5" in cell
    listed = client_for(world.inspector).get(reverse("risks:risk_point_list"), {"likelihood": 3, "impact": 5})
    assert "甲" in listed.content.decode() and "丙" not in listed.content.decode()
