"""Responsibility letters (廉政责任书): each year the head of each department signs for its published risk points and
measures; until then it is the head's obligation, due by the end of the risk policy's month and chased past it."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from integrity import obligations
from risks.letters import KIND
from risks.models import ResponsibilityLetter, RiskPolicy
from tests.factories import PostFactory
from tests.risks.records import post_risk

# The clock is pinned to 10 January 2027: this year's letters are owed by the end of March.
pytestmark = [pytest.mark.django_db, pytest.mark.today("2027-01-10")]


def owed(officer) -> list:
    return [item for kind, items, _n in obligations.to_dos(officer) for item in items if kind.code == KIND]


def test_the_head_signs_the_departments_letter_for_its_risk_points_as_they_stand(world, client_for):
    assert not owed(world.depthead)  # until the institution's policy requires letters
    RiskPolicy.objects.create(institution=world.city, letters_from=2027)
    post = PostFactory(department=world.prosecution, name="检察官")
    post_risk(post, "违规会见律师")
    post_risk(PostFactory(department=world.office, name="文书"), "泄露案情")  # another department's
    post_risk(post, "尚未发布的风险", publish=False)
    [item] = owed(world.depthead)
    assert item.due_on == datetime.date(2027, 3, 31) and item.subject == world.prosecution.name
    assert not owed(world.officer) and not owed(world.chief)
    url = reverse("risks:letter", args=[world.prosecution.pk])
    assert item.url == url
    department_page = client_for(world.chief).get(reverse("integrity:department_detail", args=[world.prosecution.pk]))
    assert url in department_page.content.decode()  # where leaders and discipline staff find it

    page = client_for(world.chief).get(url).content.decode()
    assert "违规会见律师" in page and "泄露案情" not in page and "尚未发布" not in page
    assert 'data-testid="letter-sign"' not in page  # only the head signs
    assert client_for(world.chief).post(url).status_code == 404
    assert client_for(world.depthead).post(url).status_code == 302
    letter = ResponsibilityLetter.objects.get()
    assert (letter.year, letter.signed_by, [p["description"] for p in letter.points]) == (
        2027, world.depthead, ["违规会见律师"],
    )  # fmt: skip
    assert not owed(world.depthead)
    client_for(world.depthead).post(url)  # signed once a year
    assert ResponsibilityLetter.objects.count() == 1
    assert 'data-testid="letter-signed"' in client_for(world.chief).get(url).content.decode()
    assert client_for(world.xs_inspector).get(url).status_code == 404


def test_an_unsigned_letter_waits_on_its_head_from_the_policys_month(world):
    RiskPolicy.objects.create(institution=world.city, letters_from=2027, letter_month=1)
    RiskPolicy.objects.create(institution=world.dh, letters_from=2028)  # the district starts next year
    kind = next(kind for kind in obligations.kinds() if kind.code == KIND)
    waiting = {(item.actor_id, item.record_id): item.since for item in kind.waiting()}
    assert waiting[(world.depthead.pk, world.prosecution.pk)] == datetime.date(2027, 1, 31)
    assert world.dh_head.pk not in {actor for actor, _department in waiting}
    assert not owed(world.dh_head) and owed(world.depthead)
