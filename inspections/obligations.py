"""The inspections app's kinds of obligation: the team leader owes the report by the plan's last day; a finding's
owner owes its rectification by its due day. Both wait from their day and are chased past it like every obligation
(``alerts.escalation``)."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inspections.choices import InspectionStatus
from inspections.models import Finding, Inspection
from inspections.queries import open_findings
from integrity.obligations import Obligation, ObligationKind, Waiting, register


def _inspection(inspection: Inspection) -> Obligation:
    return Obligation(
        _("Check and report: %(title)s") % {"title": inspection.title},
        inspection.get_absolute_url(),
        inspection.institution.name,
        inspection.ends_on,
    )


def _reports_waiting() -> Iterator[Waiting]:
    for inspection in Inspection.objects.filter(status=InspectionStatus.PLANNED).select_related("institution"):
        yield Waiting(
            "inspections.report", inspection.pk, inspection.leader_id, None, inspection.institution_id,
            inspection.ends_on, partial(_inspection, inspection),
        )  # fmt: skip


def _finding(finding: Finding) -> Obligation:
    return Obligation(
        _("Rectify: %(text)s") % {"text": finding.text[:60]},
        finding.get_absolute_url(),
        finding.officer.full_name if finding.officer else finding.where,
        finding.due_on,
    )


def _findings_waiting() -> Iterator[Waiting]:
    for finding in Finding.objects.filter(rectified_at__isnull=True, owner__isnull=False).select_related(
        "department", "officer", "institution"
    ):
        yield Waiting(
            "inspections.rectification", finding.pk, finding.owner_id, finding.officer_id,
            finding.institution_id, finding.due_on, partial(_finding, finding),
        )  # fmt: skip


def register_kinds() -> None:
    register(
        ObligationKind(
            "inspections.report",
            gettext_lazy("Inspections to carry out and report"),
            lambda actor: (
                Inspection.objects.filter(leader=actor, status=InspectionStatus.PLANNED)
                .select_related("institution")
                .order_by("ends_on")
            ),
            _inspection,
            order=22,
            waiting_items=_reports_waiting,
        )
    )
    register(
        ObligationKind(
            "inspections.rectification",
            gettext_lazy("Inspection findings to rectify"),
            open_findings,
            _finding,
            order=21,
            waiting_items=_findings_waiting,
        )
    )
