"""The yearly review of every risk point (一年一查): owed to whoever answers for it from January to the end of the
risk policy's month, confirmed or — once adjusted — recorded as revised, re-routed when the people change."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from integrity import actions as org
from integrity import obligations
from integrity.choices import Role
from risks import actions, reviews
from risks.choices import ReviewOutcome, RiskScope
from risks.models import RiskPointReview, RiskPolicy
from tests.factories import PostFactory
from tests.risks.records import post_risk

# The clock is pinned to Tuesday 1 December 2026 while the catalog is published, then moved to Tuesday 5 January
# 2027, when the year's reviews are owed (by the end of June by default).
pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-12-01")]
JANUARY = datetime.datetime(2027, 1, 5, 9, tzinfo=datetime.UTC)
TODAY = datetime.date(2027, 1, 5)


def owed(officer) -> list:
    return [item for kind, items, _n in obligations.to_dos(officer) for item in items if kind.code == reviews.KIND]


def waiting() -> dict:
    kind = next(kind for kind in obligations.kinds() if kind.code == reviews.KIND)
    return {(item.record_id, item.actor_id): item.since for item in kind.waiting()}


def published(institution, scope, description, department=None):
    point = actions.save_risk_point(
        None, institution=institution, acting_user=None,
        data={
            "scope": scope, "department": department, "description": description, "likelihood": 3, "impact": 3,
            "category": actions.ensure_categories(["履职风险"])["履职风险"], "measures": "集体研究",
        },
    )  # fmt: skip
    for step in ("submit", "approve", "publish"):
        actions.move_risk_point(point, step, acting_user=None)
    return point


@pytest.fixture
def catalog(world, clock):
    points = {
        "post": post_risk(PostFactory(department=world.prosecution, name="检察官"), "违规会见律师"),
        "body": published(world.city, RiskScope.INSTITUTION, "重大事项决策不民主"),
        "investigation": published(world.city, RiskScope.DEPARTMENT, "立案监督不到位", world.investigation),
        "district": post_risk(world.dh_officer.post, "违规办理取保候审"),
        "draft": post_risk(world.colleague.post, "尚未发布", publish=False),
    }
    RiskPolicy.objects.create(institution=world.dh, review_month=3)
    clock.move_to(JANUARY)
    points["new"] = post_risk(world.officer.post, "今年新识别的风险")
    return points


def test_each_published_point_of_last_year_is_owed_to_whoever_answers_for_it_by_the_policy_month(world, catalog):
    assert reviews.open_reviews(TODAY) == 4
    assert reviews.open_reviews(TODAY) == 0  # a second run opens nothing
    opened = {r.risk_point_id: (r.owner, r.due_on) for r in RiskPointReview.objects.select_related("owner")}
    june, march = datetime.date(2027, 6, 30), datetime.date(2027, 3, 31)
    assert opened == {
        catalog["post"].pk: (world.depthead, june),  # the head of its department
        catalog["body"].pk: (world.chief, june),  # the body's own: the principal leader
        catalog["investigation"].pk: (world.deputy, june),  # no head: the deputy in charge
        catalog["district"].pk: (world.dh_head, march),
    }  # neither the draft nor this year's new point
    [item] = owed(world.depthead)
    assert item.url == catalog["post"].get_absolute_url() and item.due_on == june
    review = RiskPointReview.objects.get(risk_point=catalog["post"])
    assert waiting()[(review.pk, world.depthead.pk)] == june

    RiskPointReview.objects.all().delete()  # nothing recorded yet: as if the job had not run
    assert reviews.open_reviews(datetime.date(2027, 4, 1)) == 3  # past the district's day: its point waits a year


def test_the_owner_confirms_or_after_adjusting_records_it_revised(world, catalog):
    reviews.open_reviews(TODAY)
    review = RiskPointReview.objects.get(risk_point=catalog["post"])
    with pytest.raises(PermissionDenied):
        reviews.record_review(review, outcome=ReviewOutcome.CONFIRMED, acting_user=world.chief)
    with pytest.raises(ValidationError):
        reviews.record_review(review, outcome=ReviewOutcome.REVISED, acting_user=world.depthead)  # not adjusted

    actions.save_risk_point(
        catalog["post"], institution=world.city, data={"measures": "会见全程录音录像"}, reason="年度复查：补充措施",
        acting_user=world.depthead,
    )  # fmt: skip
    reviews.record_review(review, outcome=ReviewOutcome.REVISED, note="补充防控措施", acting_user=world.depthead)
    review.refresh_from_db()
    assert (review.outcome, review.reviewed_by, review.note) == ("revised", world.depthead, "补充防控措施")
    assert catalog["post"].history.filter(history_change_reason="年度复查：补充措施").exists()
    assert owed(world.depthead) == [] and (review.pk, world.depthead.pk) not in waiting()
    with pytest.raises(ValidationError):
        reviews.record_review(review, outcome=ReviewOutcome.CONFIRMED, acting_user=world.depthead)

    body = RiskPointReview.objects.get(risk_point=catalog["body"])
    reviews.record_review(body, outcome=ReviewOutcome.CONFIRMED, acting_user=world.chief)
    assert RiskPointReview.objects.get(pk=body.pk).outcome == "confirmed"


def test_an_open_review_follows_a_new_head(world, catalog, django_capture_on_commit_callbacks):
    reviews.open_reviews(TODAY)
    with django_capture_on_commit_callbacks(execute=True):
        org.grant_role(
            world.colleague, Role.DEPARTMENT_HEAD, world.city, departments=[world.investigation], acting_user=None
        )
    review = RiskPointReview.objects.get(risk_point=catalog["investigation"])
    assert review.owner == world.colleague
    assert [i.url for i in owed(world.colleague)] == [catalog["investigation"].get_absolute_url()]
    assert owed(world.deputy) == []


def test_the_risk_point_page_records_the_review_for_its_owner_only(world, catalog, client_for):
    reviews.open_reviews(TODAY)
    review = RiskPointReview.objects.get(risk_point=catalog["post"])
    head = client_for(world.depthead)
    page = head.get(catalog["post"].get_absolute_url()).content.decode()
    assert 'data-testid="review-form"' in page and "一年一查" in page
    assert (
        'data-testid="review-form"'
        not in client_for(world.chief).get(catalog["post"].get_absolute_url()).content.decode()
    )
    url = reverse("risks:risk_point_review", args=[review.pk])
    assert client_for(world.chief).post(url, {"outcome": "confirmed"}).status_code == 404
    assert client_for(world.xs_inspector).post(url, {"outcome": "confirmed"}).status_code == 404
    assert head.post(url, {"outcome": "confirmed", "note": "无变化"}).status_code == 302
    review.refresh_from_db()
    assert review.outcome == "confirmed" and review.note == "无变化"
