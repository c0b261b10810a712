"""Talks by level and through the year (四级谈话): every officer is owed a one-to-one talk each year by the one over
them, a newcomer a talk on arrival, a post change a talk, a departure a talk on leaving; a talk recorded with its
occasion meets what is owed, and the round's coverage is counted by department. The clock is pinned to 20 November
2026; due days are counted from it."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from archives import actions
from archives.choices import TalkOccasion
from archives.models import ArchivePolicy, TalkDue
from archives.obligations import talks_owed_by
from archives.queries import talk_coverage
from cases.models import CaseHandler, Declaration
from integrity import actions as org
from integrity.models import Officer
from integrity.obligations import kinds
from risks.models import PersonalRiskTable
from tests.cases.records import make_case
from tests.factories import PostFactory

pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-11-20")]
TODAY = datetime.date(2026, 11, 20)


def talk(world, officer, occasion="", held_on=TODAY, by=None):
    return actions.add_talk(
        officer, acting_user=by or world.depthead, kind="integrity", held_on=held_on, held_by="何琳",
        content="廉洁从检，一岗双责", occasion=occasion,
    )  # fmt: skip


def test_the_annual_round_owes_every_active_officer_a_talk_by_the_policy_month_once(world):
    ArchivePolicy.objects.create(institution=world.dh, annual_talk_month=6)
    opened = actions.open_annual_talks(2026)
    active = Officer.objects.filter(is_active=True, department__isnull=False).count()
    assert opened == active
    assert actions.open_annual_talks(2026) == 0  # a second run opens nothing
    assert TalkDue.objects.get(officer=world.officer, occasion="annual").due_on == datetime.date(2026, 10, 31)
    assert TalkDue.objects.get(officer=world.dh_officer, occasion="annual").due_on == datetime.date(2026, 6, 30)


def test_the_talk_is_owed_by_the_one_over_the_officer(world):
    actions.open_annual_talks(2026)
    owed = {o.officer for o in talks_owed_by(world.depthead)}
    assert world.officer in owed and world.colleague in owed and world.depthead not in owed
    assert world.depthead in {o.officer for o in talks_owed_by(world.deputy)}  # a head is talked to by the deputy
    assert world.officer not in {o.officer for o in talks_owed_by(world.deputy)}


def test_a_talk_with_its_occasion_meets_what_is_owed_and_the_coverage_counts_it(world):
    actions.open_annual_talks(2026)
    before = {r["department"]: r for r in talk_coverage(Officer.objects.all(), 2026, TODAY)}
    prosecution = before["公诉处"]
    assert prosecution["held"] == 0 and prosecution["overdue"] == prosecution["owed"] > 0  # due 31 October

    talk(world, world.officer)  # no occasion: a talk, but not the one owed
    assert TalkDue.objects.get(officer=world.officer, occasion="annual").talk is None
    held = talk(world, world.officer, "annual")
    assert TalkDue.objects.get(officer=world.officer, occasion="annual").talk == held
    assert world.officer not in {o.officer for o in talks_owed_by(world.depthead)}

    after = {r["department"]: r for r in talk_coverage(Officer.objects.all(), 2026, TODAY)}["公诉处"]
    assert (after["held"], after["overdue"]) == (1, prosecution["overdue"] - 1)
    assert after["coverage"] == round(100 / prosecution["owed"])


def test_a_newcomer_and_a_post_change_owe_a_talk_within_the_policy_days_and_a_back_dated_post_owes_none(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the talk follows the post change once it commits
        newcomer = org.create_officer(
            username="newbie", full_name="新人", department=world.prosecution,
            post=PostFactory(department=world.prosecution, name="书记员"), started_on=TODAY, acting_user=world.admin,
        )  # fmt: skip
        org.assign_post(world.officer, PostFactory(department=world.investigation, name="检察官"), started_on=TODAY,
                        acting_user=world.admin)  # fmt: skip
        org.assign_post(world.colleague, PostFactory(department=world.prosecution, name="助理"),
                        started_on=TODAY - datetime.timedelta(days=31), acting_user=world.admin)  # fmt: skip
    entry = TalkDue.objects.get(officer=newcomer)
    assert (entry.occasion, entry.due_on) == (TalkOccasion.ENTRY, TODAY + datetime.timedelta(days=30))
    assert PersonalRiskTable.objects.filter(officer=newcomer, archived_at=None).exists()  # and the pledge with it
    assert TalkDue.objects.get(officer=world.officer).occasion == TalkOccasion.POST_CHANGE
    assert not TalkDue.objects.filter(officer=world.colleague).exists()


def test_a_departure_hands_on_the_cases_closes_the_talks_owed_and_owes_an_exit_talk(world):
    actions.open_annual_talks(2026)
    case = make_case(world.prosecution, [world.officer])
    with translation.override("en"), pytest.raises(ValidationError, match="successor"):
        org.record_departure(world.officer, left_on=TODAY, departure="transfer_out", acting_user=world.admin)
    world.officer.refresh_from_db()
    assert world.officer.is_active

    org.record_departure(
        world.officer, left_on=TODAY, departure="transfer_out", successor=world.colleague, acting_user=world.admin
    )
    world.officer.refresh_from_db()
    assert not world.officer.is_active and world.officer.left_on == TODAY
    assert world.officer.post_assignments.get(ended_on=TODAY)
    assert list(CaseHandler.objects.filter(case=case).values_list("officer_id", "is_lead")) == [
        (world.colleague.pk, True)
    ]
    assert Declaration.objects.get(case=case, officer=world.colleague).submitted_at is None  # owed by the successor
    assert not PersonalRiskTable.objects.filter(officer=world.officer, archived_at=None).exists()
    annual = TalkDue.objects.get(officer=world.officer, occasion="annual")
    assert annual.closed_at is not None and annual.talk is None
    exit_talk = TalkDue.objects.get(officer=world.officer, occasion="exit")
    assert exit_talk.due_on == TODAY + datetime.timedelta(days=30)
    assert exit_talk in talks_owed_by(world.depthead)
    coverage = {r["department"]: r for r in talk_coverage(Officer.objects.all(), 2026, TODAY)}["公诉处"]
    assert coverage["other_open"] == 1
    with pytest.raises(ValidationError):  # once
        org.record_departure(world.officer, left_on=TODAY, departure="retirement", acting_user=world.admin)


def test_the_talk_kind_escalates_like_any_other_and_the_round_page_answers_by_scope(world, client_for):
    assert next(k for k in kinds() if k.code == "archives.talk").escalates
    actions.open_annual_talks(2026)
    page = client_for(world.depthead).get(reverse("archives:talk_round")).content.decode()
    assert 'data-testid="talk-coverage"' in page and "公诉处" in page and "东湖" not in page
    assert client_for(world.officer).get(reverse("archives:talk_round")).status_code == 404
    records = client_for(world.depthead).get(reverse("archives:records", args=[world.officer.pk])).content.decode()
    assert 'data-testid="talks-owed"' in records and "2026-10-31" in records


def test_the_departure_form_is_the_administrator_s(world, client_for):
    url = reverse("integrity:officer_leave", args=[world.colleague.pk])
    assert client_for(world.depthead).post(url, {"leave-departure": "retirement"}).status_code == 404
    data = {"leave-departure": "retirement", "leave-left_on": TODAY.isoformat()}
    client_for(world.admin).post(url, data)
    world.colleague.refresh_from_db()
    assert world.colleague.departure == "retirement" and not world.colleague.is_active
