"""Risk points proposed by officers for their posts (自己找、群众提), and their reviewer's decision."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from integrity.http import AuthenticatedHttpRequest
from integrity.views import submit
from risks import actions
from risks.choices import ProposalStatus
from risks.forms import ProposalDecisionForm, ProposalForm
from risks.models import RiskProposal
from risks.queries import reviewable_q, visible_proposals


def proposals(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Propose a risk point for my post; my proposals and what became of them; those I decide."""
    form = ProposalForm(request.POST or None)
    return submit(
        request,
        form,
        lambda data: actions.propose_risk_point(acting_user=request.user, **data),
        done=lambda _proposal: _("Your proposal has gone to %(reviewer)s.") % {"reviewer": _reviewer(request)},
        to="risks:proposals",
        template="risks/proposals.html",
        context={
            "form": form if request.user.post_id else None,
            "mine": visible_proposals(request.user).filter(officer=request.user)[:50],
            "to_decide": visible_proposals(request.user).filter(
                reviewable_q(request.user), status=ProposalStatus.PENDING
            ),
        },
    )


def _reviewer(request: AuthenticatedHttpRequest) -> str:
    reviewer = request.user.reviewer
    return reviewer.full_name if reviewer else _("the reviewer")


def _page(request: AuthenticatedHttpRequest, proposal: RiskProposal, form: ProposalDecisionForm | None = None) -> dict:
    may_decide = (
        proposal.status == ProposalStatus.PENDING
        and RiskProposal.objects.filter(reviewable_q(request.user), pk=proposal.pk).exists()
    )
    return {"proposal": proposal, "form": (form or ProposalDecisionForm()) if may_decide else None}


def proposal_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    proposal = get_object_or_404(visible_proposals(request.user), pk=pk)
    return render(request, "risks/proposal_detail.html", _page(request, proposal))


@require_POST
def proposal_decide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    proposal = get_object_or_404(visible_proposals(request.user).filter(reviewable_q(request.user)), pk=pk)
    form = ProposalDecisionForm(request.POST)

    def decide(data: dict) -> None:
        accept = data["decision"] == "accept"
        grading = form.grading() if accept else None
        actions.decide_proposal(proposal, accept=accept, note=data["note"], grading=grading, acting_user=request.user)

    return submit(
        request, form, decide, done=_("The decision has been recorded."), to=proposal,
        template="risks/proposal_detail.html", context=_page(request, proposal, form),
    )  # fmt: skip
