"""The archives app's kinds of obligation: personal matters reports to review."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from archives.models import MattersReport
from archives.queries import reviewable_matters
from integrity.obligations import Obligation, ObligationKind, register


def _report(report: MattersReport) -> Obligation:
    return Obligation(
        _("%(kind)s (personal matters report)") % {"kind": report.get_kind_display()},
        reverse("archives:matters") + f"#report-{report.pk}",
        report.officer.full_name,
    )


def register_kinds() -> None:
    register(
        ObligationKind(
            "archives.matters_review",
            gettext_lazy("Personal matters reports to review"),
            lambda actor: reviewable_matters(actor).order_by("submitted_at", "pk"),
            _report,
            order=16,
        )
    )
