"""The risks app's kinds of obligation: checks and tables to file, and to review; and what a check not filed does
to its officer's light (``integrity.ledger``)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import F, IntegerField, Q, Value
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from integrity import ledger
from integrity.ledger import Owed, Reason
from integrity.obligations import (
    Obligation,
    ObligationKind,
    register,
    to_review,
    waiting_annotations,
    waiting_since,
)
from risks import letters, reviews
from risks.choices import CheckStatus, ProposalStatus, ReviewStatus, RiskStatus, TableStatus
from risks.models import MonthlyCheck, PersonalRiskTable, RiskPoint, RiskPointReview, RiskProposal
from risks.queries import approvable_risk_points, policies_by_institution, reviewable_q
from risks.rules import check_status

MESSAGES = {
    "check_due": gettext_noop("The monthly check for %(month)s is due on %(due)s."),
    "check_overdue": gettext_noop("The monthly check for %(month)s is overdue (due %(due)s)."),
}

# A filing waits on the officer's reviewer (``integrity.routing``) from the moment it was submitted.
WAITING_ON_REVIEWER = waiting_annotations(actor="officer__reviewer_id", subject="officer_id", since="submitted_at")


def _check(check: MonthlyCheck) -> Obligation:
    return Obligation(
        _("Monthly check for %(month)s") % {"month": f"{check.period:%Y-%m}"},
        check.get_absolute_url(),
        check.officer.full_name,
        check.due_on,
    )


def _table(table: PersonalRiskTable) -> Obligation:
    return Obligation(_("Personal risk table"), table.get_absolute_url(), table.officer.full_name)


def _proposal(proposal: RiskProposal) -> Obligation:
    return Obligation(
        _("Proposed risk point: %(risk)s") % {"risk": str(proposal)},
        proposal.get_absolute_url(),
        proposal.officer.full_name,
        since=waiting_since(proposal.submitted_at),
    )


def _risk_point(risk_point: RiskPoint) -> Obligation:
    where = risk_point.post or risk_point.department or risk_point.institution
    return Obligation(_("Risk point: %(risk)s") % {"risk": str(risk_point)}, risk_point.get_absolute_url(), str(where))


@dataclass(frozen=True)
class _Unfiled:
    due_on: datetime.date
    submitted_at: None = None


def check_reasons(owed: Owed) -> Iterator[tuple[int, Reason]]:
    """Monthly checks not filed by then that are due soon or overdue: for today, simply not filed (the condition the
    indexes serve); for a past day, also those filed after it."""
    not_filed_then = Q(submitted_at__isnull=True)
    if owed.replay:
        not_filed_then |= Q(submitted_at__gte=owed.end_of_day)
    policies = policies_by_institution(owed.institutions)
    # Only checks due by the longest warning any body gives: next month's checks are not read for the month before.
    horizon = owed.as_of + datetime.timedelta(days=max((p.due_soon_days for p in policies.values()), default=31))
    # A province's checks fall on a few months and due days per body: what they say (the colour, the message and
    # its parameters) is worked out once per body, due day and month, and shared by the reasons that say it.
    said: dict[tuple[int, datetime.date, datetime.date], tuple[str, str, dict[str, str]] | None] = {}
    for pk, officer_id, due_on, period in ledger.rows(
        owed.narrow(MonthlyCheck.objects.filter(not_filed_then, period__lte=owed.as_of, due_on__lte=horizon))
        .order_by()
        .values_list("pk", "officer_id", "due_on", "period")
    ):
        placed = owed.officers.get(officer_id)
        if placed is None:
            continue
        key = (placed[0], due_on, period)
        if key not in said:
            said[key] = _said(check_status(_Unfiled(due_on), policies[placed[0]], owed.as_of), due_on, period)
        if (found := said[key]) is not None:
            yield officer_id, Reason("monthly_check", *found, ("risks:check_detail", pk))


def _said(status: CheckStatus, due_on: datetime.date, period: datetime.date) -> tuple[str, str, dict[str, str]] | None:
    """A check's colour, message and its parameters when it puts a reason on the light: due soon or overdue."""
    params = {"month": period.isoformat()[:7], "due": due_on.isoformat()}  # strftime: seven times dearer
    if status == CheckStatus.DUE_SOON:
        return status.light, "check_due", params
    if status == CheckStatus.OVERDUE:
        return status.light, "check_overdue", params
    return None


def register_kinds() -> None:
    ledger.messages(MESSAGES)
    ledger.register("risks.monthly_check", check_reasons)
    register(
        ObligationKind(
            "risks.check_review",
            gettext_lazy("Monthly checks to review"),
            lambda actor: (
                MonthlyCheck.objects.filter(
                    reviewable_q(actor), submitted_at__isnull=False, review_status=ReviewStatus.PENDING
                )
                .select_related("officer")
                .order_by("submitted_at")
            ),
            to_review(_check),
            order=10,
            waiting_records=lambda: (
                MonthlyCheck.objects.filter(submitted_at__isnull=False, review_status=ReviewStatus.PENDING)
                .select_related("officer")
                .annotate(
                    **waiting_annotations(actor="officer__reviewer_id", subject="officer_id", since="submitted_at")
                )
            ),
        )
    )
    register(
        ObligationKind(
            "risks.table_review",
            gettext_lazy("Personal risk tables to approve"),
            lambda actor: (
                PersonalRiskTable.objects.filter(reviewable_q(actor), status=TableStatus.SUBMITTED)
                .select_related("officer")
                .order_by("submitted_at")
            ),
            _table,
            order=11,
            waiting_records=lambda: (
                PersonalRiskTable.objects.filter(status=TableStatus.SUBMITTED, archived_at__isnull=True)
                .select_related("officer")
                .annotate(
                    **waiting_annotations(actor="officer__reviewer_id", subject="officer_id", since="submitted_at")
                )
            ),
        )
    )
    register(
        ObligationKind(
            "risks.proposal_review",
            gettext_lazy("Proposed risk points to decide"),
            lambda actor: (
                RiskProposal.objects.filter(reviewable_q(actor), status=ProposalStatus.PENDING)
                .select_related("officer")
                .order_by("submitted_at")
            ),
            _proposal,
            order=12,
            waiting_records=lambda: (
                RiskProposal.objects.filter(status=ProposalStatus.PENDING)
                .select_related("officer")
                .annotate(
                    **waiting_annotations(actor="officer__reviewer_id", subject="officer_id", since="submitted_at")
                )
            ),
        )
    )
    register(
        ObligationKind(
            "risks.risk_point_approval",
            gettext_lazy("Risk points to approve or publish"),
            lambda actor: (
                approvable_risk_points(actor)
                .filter(status__in=[RiskStatus.SUBMITTED, RiskStatus.APPROVED])
                .select_related("post", "department", "institution")
                .order_by("pk")
            ),
            _risk_point,
            order=13,
        )
    )
    register(
        ObligationKind(
            "risks.my_check",
            gettext_lazy("My monthly checks to file"),
            lambda actor: (
                MonthlyCheck.objects.filter(officer=actor, submitted_at__isnull=True, table__isnull=False)
                .select_related("officer")
                .order_by("due_on")
            ),
            _check,
            order=60,
        )
    )
    register(
        ObligationKind(
            "risks.my_table",
            gettext_lazy("My personal risk table to fill in"),
            lambda actor: PersonalRiskTable.objects.filter(
                officer=actor, archived_at__isnull=True, status__in=[TableStatus.DUE, TableStatus.RETURNED]
            ).select_related("officer"),
            _table,
            order=61,
        )
    )
    register(
        ObligationKind(
            reviews.KIND,
            gettext_lazy("Risk points to review this year (一年一查)"),
            reviews.owed_reviews,
            reviews.describe,
            order=25,
            waiting_records=lambda: (
                RiskPointReview.objects.filter(reviewed_at__isnull=True)
                .select_related("risk_point")
                .annotate(
                    w_actor=F("owner_id"),
                    w_subject=Value(None, output_field=IntegerField()),
                    w_institution=F("risk_point__institution_id"),
                    w_since=F("due_on"),
                )
            ),
        )
    )
    register(
        ObligationKind(
            letters.KIND,
            gettext_lazy("Responsibility letters to sign"),
            letters.owed_letters,
            letters.describe,
            order=24,
            waiting_items=letters.letters_waiting,
        )
    )
