"""The risks app's kinds of obligation: checks and tables to file, and to review."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from integrity.obligations import Obligation, ObligationKind, register, to_review, waiting_annotations
from risks.choices import ReviewStatus, TableStatus
from risks.models import MonthlyCheck, PersonalRiskTable
from risks.queries import reviewable_q

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


def register_kinds() -> None:
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
