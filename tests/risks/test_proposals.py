"""Officers propose risk points for their posts (自己找、群众提): the proposal waits in the reviewer's to-dos; accepted,
it becomes a submitted risk point of the post that waits on the leaders, and once published it reaches the post's
risk tables; declined, it says why. The clock is pinned to 20 November 2026 for the waiting days."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from integrity.obligations import to_dos
from risks import actions
from risks.choices import ProposalStatus, RiskScope, RiskStatus
from risks.models import RiskPoint, RiskProposal

pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-11-20")]


def propose(world, **data):
    values = {"description": "庭前会见律师时泄露证据", "identification_method": "public"} | data
    return actions.propose_risk_point(acting_user=world.officer, **values)


def grading(**data):
    return {"category": actions.ensure_categories(["岗位职责"])["岗位职责"], "likelihood": 3, "impact": 4} | data


def codes(actor) -> dict:
    return {kind.code: items for kind, items, _ in to_dos(actor)}


def test_a_proposal_waits_on_the_proposer_s_reviewer_and_nobody_else(world):
    proposal = propose(world)
    assert proposal.post == world.officer.post and proposal.status == ProposalStatus.PENDING
    assert [o.url for o in codes(world.depthead)["risks.proposal_review"]] == [proposal.get_absolute_url()]
    assert codes(world.depthead)["risks.proposal_review"][0].since == datetime.date(2026, 11, 20)
    assert "risks.proposal_review" not in codes(world.officer)
    assert "risks.proposal_review" not in codes(world.chief)
    kind = next(k for k, _, _ in to_dos(world.depthead) if k.code == "risks.proposal_review")
    assert [(w.actor_id, w.subject_id) for w in kind.waiting()] == [(world.depthead.pk, world.officer.pk)]


def test_accepted_it_becomes_a_submitted_risk_point_of_the_post_for_the_leaders(world):
    proposal = propose(world, measures="会见全程录音")
    actions.decide_proposal(proposal, accept=True, grading=grading(), acting_user=world.depthead)
    proposal.refresh_from_db()
    point = proposal.risk_point
    assert proposal.status == ProposalStatus.ACCEPTED and proposal.decided_by == world.depthead
    assert (point.scope, point.post, point.status, point.identification_method, point.grade) == (
        RiskScope.POST, world.officer.post, RiskStatus.SUBMITTED, "public", "medium",
    )  # fmt: skip
    assert point.measures == "会见全程录音" and point.created_by == world.depthead
    approvals = codes(world.deputy).get("risks.risk_point_approval", []) + codes(world.chief).get(
        "risks.risk_point_approval", []
    )
    assert point.get_absolute_url() in {o.url for o in approvals}
    with pytest.raises(ValidationError):  # decided once
        actions.decide_proposal(proposal, accept=False, note="重复", acting_user=world.depthead)
    assert "risks.proposal_review" not in codes(world.depthead)


def test_declining_needs_a_reason_and_only_the_reviewer_decides(world):
    proposal = propose(world)
    for outsider in (world.officer, world.chief, world.inspector):
        with pytest.raises(PermissionDenied):
            actions.decide_proposal(proposal, accept=False, note="不成立", acting_user=outsider)
    with pytest.raises(ValidationError):
        actions.decide_proposal(proposal, accept=False, note=" ", acting_user=world.depthead)
    with pytest.raises(ValidationError):  # accepting without a category grades nothing
        actions.decide_proposal(
            proposal, accept=True, grading={"likelihood": 3, "impact": 4}, acting_user=world.depthead
        )
    assert not RiskPoint.objects.exists()
    actions.decide_proposal(proposal, accept=False, note="岗位风险点已涵盖", acting_user=world.depthead)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DECLINED and proposal.risk_point is None


def test_a_proposal_needs_a_post_a_method_and_a_description(world):
    with pytest.raises(ValidationError):
        propose(world, identification_method="leaders")
    with pytest.raises(ValidationError):
        propose(world, description=" ")
    world.officer.post = None
    with pytest.raises(ValidationError):
        propose(world)
    assert not RiskProposal.objects.exists()


def test_the_pages_propose_list_and_decide(world, client_for):
    url = reverse("risks:proposals")
    data = {"description": "当事人通过亲属请托", "identification_method": "self"}
    assert client_for(world.officer).post(url, data).status_code == 302
    proposal = RiskProposal.objects.get()
    assert "当事人通过亲属请托" in client_for(world.officer).get(url).content.decode()
    assert 'data-testid="proposals-to-decide"' in client_for(world.depthead).get(url).content.decode()

    decide = reverse("risks:proposal_decide", args=[proposal.pk])
    page = client_for(world.depthead).post(decide, {"decision": "accept", "likelihood": "3", "impact": "4"})
    assert page.status_code == 200 and not RiskPoint.objects.exists()  # no category: shown again, nothing written
    category = actions.ensure_categories(["岗位职责"])["岗位职责"]
    response = client_for(world.depthead).post(
        decide, {"decision": "accept", "category": category.pk, "likelihood": "2", "impact": "2"}
    )
    assert response.status_code == 302
    page = client_for(world.officer).get(proposal.get_absolute_url()).content.decode()
    assert 'data-testid="proposal-risk-point"' in page and world.depthead.full_name in page
    assert client_for(world.xs_officer).get(proposal.get_absolute_url()).status_code == 404
