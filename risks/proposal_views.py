"""Risk points proposed by officers for their posts (自己找、群众提), and their reviewer's decision."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from risks import actions
from risks.choices import ProposalStatus
from risks.forms import ProposalDecisionForm, ProposalForm
from risks.models import RiskProposal
from risks.queries import reviewable_q, visible_proposals


def proposals(request: HttpRequest) -> HttpResponse:
    """Propose a risk point for my post; my proposals and what became of them; those I decide."""
    form = ProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.propose_risk_point(acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your proposal has gone to %(reviewer)s.") % {"reviewer": _reviewer(request)})
            return redirect("risks:proposals")
    return render(
        request,
        "risks/proposals.html",
        {
            "form": form if request.user.post_id else None,
            "mine": visible_proposals(request.user).filter(officer=request.user)[:50],
            "to_decide": visible_proposals(request.user).filter(
                reviewable_q(request.user), status=ProposalStatus.PENDING
            ),
        },
    )


def _reviewer(request: HttpRequest) -> str:
    reviewer = request.user.reviewer
    return reviewer.full_name if reviewer else _("the reviewer")


def _page(request: HttpRequest, proposal: RiskProposal, form: ProposalDecisionForm | None = None) -> dict:
    may_decide = (
        proposal.status == ProposalStatus.PENDING
        and RiskProposal.objects.filter(reviewable_q(request.user), pk=proposal.pk).exists()
    )
    return {"proposal": proposal, "form": (form or ProposalDecisionForm()) if may_decide else None}


def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_object_or_404(visible_proposals(request.user), pk=pk)
    return render(request, "risks/proposal_detail.html", _page(request, proposal))


@require_POST
def proposal_decide(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_object_or_404(visible_proposals(request.user).filter(reviewable_q(request.user)), pk=pk)
    form = ProposalDecisionForm(request.POST)
    if form.is_valid():
        accept = form.cleaned_data["decision"] == "accept"
        try:
            actions.decide_proposal(
                proposal,
                accept=accept,
                note=form.cleaned_data["note"],
                grading=form.grading() if accept else None,
                acting_user=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The decision has been recorded."))
            return redirect(proposal)
    return render(request, "risks/proposal_detail.html", _page(request, proposal, form))
