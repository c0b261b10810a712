"""The archives app's kinds of obligation: personal matters reports to review."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from archives.choices import ReportStatus
from archives.models import MattersReport
from archives.queries import reviewable_matters
from integrity.obligations import Obligation, ObligationKind, Waiting, register, waiting_since
from integrity.queries import chain_for
from integrity.routing import discipline_for


def _report(report: MattersReport) -> Obligation:
    return Obligation(
        _("%(kind)s (personal matters report)") % {"kind": report.get_kind_display()},
        reverse("archives:matters") + f"#report-{report.pk}",
        report.officer.full_name,
        since=waiting_since(report.submitted_at),
    )


def _reports_waiting() -> Iterator[Waiting]:
    """Reports awaiting review, each with the discipline officer who answers for reviewing it."""
    chain = chain_for()
    for report in MattersReport.objects.filter(status=ReportStatus.SUBMITTED).select_related("officer"):
        institution = report.officer.institution_id
        actor = discipline_for(institution, chain, subject=report.officer_id)
        yield Waiting(
            "archives.matters_review", report.pk, actor, report.officer_id, institution, report.submitted_at,
            _report(report),
        )  # fmt: skip


def register_kinds() -> None:
    register(
        ObligationKind(
            "archives.matters_review",
            gettext_lazy("Personal matters reports to review"),
            lambda actor: reviewable_matters(actor).order_by("submitted_at", "pk"),
            _report,
            order=16,
            waiting_items=_reports_waiting,
        )
    )
