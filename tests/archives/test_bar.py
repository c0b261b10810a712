"""A 不良 grade bars promotion: refused unless a principal leader records an override, which one promotion uses.
The clock is pinned to 20 November 2026; the bar and the moves are dated from it."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from archives import actions
from archives.documents import archive_body
from archives.models import BarOverride, QuarterlyAssessment
from archives.queries import integrity_archive
from integrity import actions as org
from integrity.models import PostAssignment
from tests.factories import PostFactory

pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-11-20")]
TODAY = datetime.date(2026, 11, 20)


@pytest.fixture
def barred(world):
    """The officer graded 不良 last quarter: barred for a year from the grading."""
    QuarterlyAssessment.objects.create(
        officer=world.officer, quarter=datetime.date(2026, 7, 1), score=55, grade="poor",
        barred_until=datetime.date(2027, 10, 10),
    )  # fmt: skip
    return world.officer


def senior_post(world, rank: int = 2):
    return PostFactory(department=world.officer.department, name="副处长", rank=rank)


def promote(world, post, day=TODAY):
    return org.assign_post(world.officer, post, started_on=day, note="提任", acting_user=world.admin)


def test_a_barred_officer_s_promotion_is_refused_with_nothing_written(world, barred):
    before = list(PostAssignment.objects.filter(officer=world.officer).values_list("pk", "ended_on"))
    with translation.override("en"), pytest.raises(ValidationError, match="barred from promotion until 2027-10-10"):
        promote(world, senior_post(world))
    world.officer.refresh_from_db()
    assert list(PostAssignment.objects.filter(officer=world.officer).values_list("pk", "ended_on")) == before
    assert world.officer.post.rank == 0


def test_a_move_that_is_no_promotion_and_a_promotion_after_the_bar_go_ahead(world, barred):
    sideways = PostFactory(department=world.officer.department, name="检察官助理", rank=0)
    promote(world, sideways)
    promote(world, senior_post(world), day=datetime.date(2027, 10, 11))
    world.officer.refresh_from_db()
    assert world.officer.post.name == "副处长"


def test_a_principal_leader_s_override_lets_one_promotion_through_and_shows_in_the_archive(world, barred, client_for):
    url = reverse("archives:override_bar", args=[world.officer.pk])
    assert client_for(world.depthead).post(url, {"override-reason": "x"}).status_code == 404  # a leader decides
    with pytest.raises(PermissionDenied):
        actions.override_bar(world.officer, reason="x", acting_user=world.admin)
    page = client_for(world.chief).get(world.officer.get_absolute_url()).content.decode()
    assert 'data-testid="bar-overrides"' in page
    client_for(world.chief).post(url, {"override-reason": "业务骨干，经党组研究同意提任"})
    override = BarOverride.objects.get(officer=world.officer)
    assert override.granted_by == world.chief and override.used_for is None

    assignment = promote(world, senior_post(world))
    override.refresh_from_db()
    assert override.used_for == assignment
    with pytest.raises(ValidationError):  # one override, one promotion
        promote(world, senior_post(world, rank=3), day=TODAY + datetime.timedelta(days=1))
    body = archive_body(integrity_archive(world.officer, TODAY.replace(month=1, day=1), TODAY))
    assert "业务骨干，经党组研究同意提任" in body and world.chief.full_name in body and "副处长" in body


def test_an_override_needs_a_bar_and_a_reason(world):
    with pytest.raises(ValidationError):
        actions.override_bar(world.officer, reason="业务骨干", acting_user=world.chief)  # not barred
    QuarterlyAssessment.objects.create(
        officer=world.officer, quarter=datetime.date(2026, 7, 1), grade="poor", barred_until=datetime.date(2027, 1, 1)
    )
    with pytest.raises(ValidationError):
        actions.override_bar(world.officer, reason=" ", acting_user=world.chief)


def reward(world, kind="reward", day=TODAY, acting_user=None):
    return actions.add_record(
        world.officer, acting_user=acting_user or world.chief, kind=kind, occurred_on=day, title="年度优秀检察官"
    )


@pytest.mark.parametrize("kind", ["reward", "nomination"])
def test_a_barred_officer_s_award_or_nomination_is_refused_with_nothing_written(world, barred, kind):
    with translation.override("en"), pytest.raises(ValidationError, match="may not receive an award"):
        reward(world, kind)
    assert not world.officer.archive_records.exists()
    reward(world, "praise")  # praise about casework is no award
    reward(world, kind, day=datetime.date(2027, 10, 11))  # dated after the bar
    assert world.officer.archive_records.count() == 2


def test_an_override_lets_one_award_through_and_the_records_page_says_why_not(world, barred, client_for):
    url = reverse("archives:records", args=[world.officer.pk])
    data = {"record": "1", "record-kind": "nomination", "record-occurred_on": TODAY.isoformat(), "record-title": "推荐"}
    page = client_for(world.depthead).post(url, data).content.decode()
    assert 'class="alert alert-danger"' in page and "2027-10-10" in page  # the form says why and until when
    assert not world.officer.archive_records.exists()

    override = actions.override_bar(world.officer, reason="抗疫表现突出，党组同意", acting_user=world.chief)
    record = reward(world, acting_user=world.depthead)
    override.refresh_from_db()
    assert override.used_for_record == record and override.used
    with pytest.raises(ValidationError):  # one override, one award
        reward(world)
    with pytest.raises(ValidationError):  # and no promotion on a used override
        promote(world, senior_post(world))
    body = archive_body(integrity_archive(world.officer, TODAY.replace(month=1, day=1), TODAY))
    assert "抗疫表现突出，党组同意" in body and "年度优秀检察官" in body
