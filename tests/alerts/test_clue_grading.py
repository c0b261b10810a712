"""Clue grading and routing (线索分级): graded on registration by who the clue concerns and what it alleges, and
routed by grade — a general clue to the discipline staff, one about a department head (or alleging what the policy
names serious) to the discipline lead, one about a leader of the body to the body above. The disposal chosen by the
staff waits for the lead's approval; the lead approves it or returns it with a reason. A clue is linked to the cases
it concerns; the case shows it to those who may see the clue, and that one exists to the case's reviewers."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from alerts import clues
from alerts.choices import ClueGrade, ClueKind, ClueMethod, ClueStatus
from alerts.escalation import escalate
from alerts.models import AlertPolicy, Clue, Notification
from alerts.queries import visible_clues
from alerts.rules import clue_grade
from integrity import actions as org
from integrity import obligations
from integrity.choices import Role
from integrity.models import RoleAssignment
from integrity.routing import Level
from tests.cases.records import make_case
from tests.factories import OfficerFactory

# The clock is pinned to Friday 25 September 2026, before the National Day break.
pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-09-25")]
TODAY = datetime.date(2026, 9, 25)


@pytest.fixture
def lead(world):
    """The city body's discipline lead (纪检组长), one of its discipline staff."""
    lead = OfficerFactory(username="lead", full_name="韩冰", department=world.inspector.department)
    org.grant_role(lead, Role.DISCIPLINE, world.city, acting_user=None)
    org.grant_role(lead, Role.DISCIPLINE_LEAD, world.city, acting_user=None)
    return lead


def register(world, subject, content="反映其接受当事人宴请", institution=None) -> Clue:
    return clues.register_clue(
        institution=institution or subject.institution, kind=ClueKind.PETITION, source="12309 检察服务中心",
        subject=subject, content=content, received_on=TODAY, acting_user=world.inspector,
    )  # fmt: skip


def owed(officer, code: str) -> list[str]:
    return [i.url for kind, items, _n in obligations.to_dos(officer) for i in items if kind.code == code]


@pytest.mark.parametrize(
    ("level", "content", "grade"),
    [
        (Level.MEMBER, "反映其接受当事人宴请", ClueGrade.GENERAL),
        (Level.MEMBER, "反映其收受贿赂、受贿十万元", ClueGrade.IMPORTANT),
        (Level.HEAD, "反映其接受当事人宴请", ClueGrade.IMPORTANT),
        (Level.DEPUTY, "反映其接受当事人宴请", ClueGrade.MAJOR),
        (Level.PRINCIPAL, "", ClueGrade.MAJOR),
    ],
)
def test_a_clue_is_graded_by_who_it_concerns_and_what_it_alleges(level, content, grade):
    assert clue_grade(level, content, AlertPolicy().serious_words) == grade


def test_each_grade_goes_to_who_decides_it(world, lead):
    officer, head = register(world, world.officer), register(world, world.depthead)
    serious = register(world, world.colleague, content="反映其受贿")
    assert (officer.grade, officer.owner) == (ClueGrade.GENERAL, world.inspector)
    assert (head.grade, head.owner) == (ClueGrade.IMPORTANT, lead)
    assert (serious.grade, serious.owner) == (ClueGrade.IMPORTANT, lead)
    assert owed(lead, "alerts.clue_assignment") == [head.get_absolute_url(), serious.get_absolute_url()]
    assert owed(world.inspector, "alerts.clue_assignment") == [officer.get_absolute_url()]
    # A body without a lead: its discipline staff decide the important ones too.
    district_head = register(world, world.dh_head)
    assert (district_head.grade, district_head.owner) == (ClueGrade.IMPORTANT, world.dh_inspector)


def test_a_clue_about_a_leader_of_the_body_goes_to_the_body_above_and_is_hidden_from_the_body(world, lead, client_for):
    dh_chief = OfficerFactory(username="dh_chief", full_name="郑毅", department=world.dh_head.department)
    org.grant_role(dh_chief, Role.PRINCIPAL_LEADER, world.dh, acting_user=None)
    clue = register(world, dh_chief)
    assert (clue.grade, clue.institution, clue.owner) == (ClueGrade.MAJOR, world.dh, lead)
    assert clue in visible_clues(world.inspector) and clue in visible_clues(lead)
    assert clue not in visible_clues(world.dh_inspector)  # the body's own staff answer to its leader
    assert client_for(world.dh_inspector).get(clue.get_absolute_url()).status_code == 404
    # Only the one it waits for decides a graded clue; a colleague may not take it over.
    refused = client_for(world.inspector).post(
        reverse("alerts:clue_action", args=[clue.pk, "assign"]),
        {"method": ClueMethod.PRELIMINARY, "verifier": world.inspector.pk},
    )
    assert refused.status_code == 404 and Clue.objects.get(pk=clue.pk).status == ClueStatus.REGISTERED


def test_the_disposal_the_staff_choose_waits_for_the_leads_approval(world, lead, client_for):
    clue = register(world, world.officer)
    client = client_for(world.inspector)
    client.post(
        reverse("alerts:clue_action", args=[clue.pk, "assign"]),
        {"method": ClueMethod.TALK_INQUIRY, "verifier": world.inspector.pk},
    )
    clue.refresh_from_db()
    assert (clue.status, clue.owner, clue.due_on, clue.method_by) == (
        ClueStatus.PROPOSED, lead, None, world.inspector
    )  # fmt: skip
    assert owed(lead, "alerts.clue_disposal_approval") == [clue.get_absolute_url()]
    assert owed(world.inspector, "alerts.clue_verification") == []  # nothing runs before approval
    with pytest.raises(PermissionDenied):
        clues.decide_disposal(clue, approve=True, acting_user=world.inspector)

    page = client_for(lead).get(clue.get_absolute_url()).content.decode()
    assert 'data-testid="disposal-decision"' in page
    with pytest.raises(ValidationError):
        clues.decide_disposal(clue, approve=False, reason=" ", acting_user=lead)
    client_for(lead).post(reverse("alerts:clue_action", args=[clue.pk, "return"]), {"reason": "应先初步核实"})
    clue.refresh_from_db()
    assert (clue.status, clue.method, clue.verifier, clue.owner) == (ClueStatus.REGISTERED, "", None, world.inspector)
    assert "应先初步核实" in clue.steps.get().text
    assert Notification.objects.filter(recipient=world.inspector, text__contains="应先初步核实").exists()

    clues.assign_verifier(clue, world.inspector, method=ClueMethod.TALK_INQUIRY, acting_user=world.inspector)
    client_for(lead).post(reverse("alerts:clue_action", args=[clue.pk, "approve"]))
    clue.refresh_from_db()
    # Approved on Friday 25 September: 15 working days past the National Day break.
    assert (clue.status, clue.due_on, clue.method_approved_by, clue.owner) == (
        ClueStatus.VERIFYING, datetime.date(2026, 10, 22), lead, None
    )  # fmt: skip
    assert owed(world.inspector, "alerts.clue_verification") == [clue.get_absolute_url()]
    assert owed(lead, "alerts.clue_disposal_approval") == []


def test_a_disposal_the_lead_chooses_runs_at_once(world, lead):
    clue = register(world, world.depthead)
    clues.assign_verifier(clue, world.inspector, method=ClueMethod.PRELIMINARY, acting_user=lead)
    clue.refresh_from_db()
    assert (clue.status, clue.method_approved_by) == (ClueStatus.VERIFYING, lead)


def test_an_approval_left_waiting_is_chased(world, lead):
    clue = register(world, world.officer)
    clues.assign_verifier(clue, world.inspector, method=ClueMethod.TALK_INQUIRY, acting_user=world.inspector)
    late = f"late:alerts.clue_disposal_approval:{clue.pk}"
    escalate(TODAY)
    assert not Notification.objects.filter(occasion=late).exists()
    escalate(TODAY + datetime.timedelta(days=AlertPolicy().review_days + 1))
    assert Notification.objects.filter(occasion=late, recipient=lead).exists()


def test_when_the_lead_goes_the_waiting_clues_go_to_the_staff(world, lead, django_capture_on_commit_callbacks):
    head = register(world, world.depthead)
    proposed = register(world, world.officer)
    clues.assign_verifier(proposed, world.inspector, method=ClueMethod.PRELIMINARY, acting_user=world.inspector)
    with django_capture_on_commit_callbacks(execute=True):
        org.revoke_role(RoleAssignment.objects.get(officer=lead, role=Role.DISCIPLINE_LEAD), acting_user=None)
    head.refresh_from_db(), proposed.refresh_from_db()
    assert head.owner == world.inspector
    assert proposed.owner != world.inspector and proposed.owner is not None  # never the one who proposed it


def test_a_discipline_lead_is_one_of_the_discipline_staff(world):
    with pytest.raises(ValidationError):
        org.grant_role(world.officer, Role.DISCIPLINE_LEAD, world.city, acting_user=None)


def test_a_clue_linked_to_a_case_shows_on_the_case_to_those_who_may_see_it(world, lead, client_for):
    case = make_case(world.prosecution, [world.officer])
    clue = register(world, world.officer)
    inspector = client_for(world.inspector)
    inspector.post(reverse("alerts:clue_action", args=[clue.pk, "link"]), {"number": "（2099）不存在的案号"})
    assert not clue.cases.exists()
    inspector.post(reverse("alerts:clue_action", args=[clue.pk, "link"]), {"number": case.number})
    assert list(clue.cases.all()) == [case]
    assert case.number in inspector.get(clue.get_absolute_url()).content.decode()

    on_case = inspector.get(case.get_absolute_url()).content.decode()
    assert clue.get_absolute_url() in on_case and "接受当事人宴请" in on_case
    reviewer = client_for(world.depthead).get(case.get_absolute_url()).content.decode()
    assert 'data-testid="case-clues"' in reviewer  # the reviewer knows one exists ...
    assert clue.get_absolute_url() not in reviewer and "接受当事人宴请" not in reviewer  # ... not what it says
    handler = client_for(world.officer).get(case.get_absolute_url()).content.decode()
    assert 'data-testid="case-clues"' not in handler  # the officer it concerns learns nothing here
