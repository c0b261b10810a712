"""Writes of inspections (督察): plan one (its checklist drawn from the published risk points in scope), check its
items, record findings with their evidence, rectify a finding, issue the report.

Closing the loop: the team leader owes the report by the plan's last day; each finding is owed in rectification by
whoever answers for its department or officer (``integrity.routing``), by the alert policy's days; both are chased
past their day like every obligation (``inspections.obligations``)."""

from __future__ import annotations

import mimetypes
from collections.abc import Iterable
from pathlib import PurePath
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from alerts.models import AlertPolicy
from inspections.choices import InspectionStatus, ItemResult
from inspections.models import ChecklistItem, Evidence, Finding, Inspection
from inspections.queries import inspectable_departments, may_plan
from integrity import notify
from integrity.actions import audited, claim
from integrity.models import Department, Institution, Officer
from integrity.queries import chain_for, day_counter
from integrity.routing import Chain, Person, reviewer
from risks.choices import RiskScope, RiskStatus
from risks.models import RiskPoint
from risks.queries import worst_first

EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
EVIDENCE_SUFFIXES = (".jpg", ".jpeg", ".png", ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".txt")


@transaction.atomic
def plan_inspection(
    *,
    acting_user: Officer,
    departments: Iterable[Department],
    leader: Officer,
    team: Iterable[Officer] = (),
    **fields: Any,
) -> Inspection:
    """Plan an inspection of the acting user's institution over ``departments`` (of it or of the bodies below), and
    draw its checklist: every published risk point of those departments and their posts, department by department,
    highest grade first."""
    departments = list(departments)
    if not may_plan(acting_user):
        raise PermissionDenied
    allowed = set(inspectable_departments(acting_user).values_list("pk", flat=True))
    if not departments or any(d.pk not in allowed for d in departments):
        raise ValidationError(_("Choose the departments to inspect among those you oversee."))
    if fields["ends_on"] < fields["starts_on"]:
        raise ValidationError(_("The inspection cannot end before it starts."))
    inspection = Inspection(institution=acting_user.institution, leader=leader, planned_by=acting_user, **fields)
    audited(inspection, acting_user, _("Planned")).save()
    inspection.departments.set(departments)
    inspection.team.set([officer for officer in team if officer.pk != leader.pk])
    # The body-level points (单位层面) of each body inspected first, then the departments' and their posts'.
    bodies = Q(scope=RiskScope.INSTITUTION, institution__in={d.institution_id for d in departments})
    points = (
        RiskPoint.objects.filter(status=RiskStatus.PUBLISHED)
        .filter(bodies | Q(scope__in=[RiskScope.DEPARTMENT, RiskScope.POST], department__in=departments))
        .values_list("pk", "institution_id", "department_id", "description", "measures", "grade")
        .order_by(
            F("department__name").asc(nulls_first=True), "institution__path", "department_id", worst_first(), "pk"
        )
    )
    ChecklistItem.objects.bulk_create(
        [
            ChecklistItem(
                inspection=inspection,
                institution_id=institution,
                department_id=department,
                risk_point_id=pk,
                text=description,
                measures=measures,
                grade=grade,
            )
            for pk, institution, department, description, measures, grade in points
        ],
        batch_size=2000,
    )
    notify.tell(
        [leader.pk, *inspection.team.values_list("pk", flat=True)],
        occasion=f"inspection:{inspection.pk}",
        text=_("You are on the team of %(title)s, %(start)s to %(end)s.")
        % {"title": inspection.title, "start": inspection.starts_on, "end": inspection.ends_on},
        url=inspection.get_absolute_url(),
    )
    return inspection


def is_on_team(inspection: Inspection, officer: Officer) -> bool:
    return inspection.leader_id == officer.pk or inspection.team.filter(pk=officer.pk).exists()


def _check_team(inspection: Inspection, acting_user: Officer) -> None:
    if not is_on_team(inspection, acting_user):
        raise PermissionDenied
    if inspection.status != InspectionStatus.PLANNED:
        raise ValidationError(_("The inspection is reported: its checklist and findings are closed."))


@transaction.atomic
def check_item(
    item: ChecklistItem,
    *,
    acting_user: Officer,
    problem: str = "",
    officer: Officer | None = None,
    files: Iterable[UploadedFile] = (),
) -> Finding | None:
    """A team member records what checking an item found: nothing, or a problem, which becomes a finding."""
    _check_team(item.inspection, acting_user)
    result = ItemResult.FINDING if problem.strip() else ItemResult.CLEAR
    if not claim(
        item, Q(result=ItemResult.PENDING), acting_user=acting_user, reason=result.label,
        result=result, checked_by=acting_user, checked_at=timezone.now(),
    ):  # fmt: skip
        raise ValidationError(_("This item has already been checked."))
    if result == ItemResult.CLEAR:
        return None
    return record_finding(
        item.inspection, department=item.department, institution=item.institution, text=problem, officer=officer,
        item=item, files=files, acting_user=acting_user,
    )  # fmt: skip


def owner_for(department: Department | None, officer: Officer | None, chain: Chain, institution_id: int) -> int | None:
    """Who rectifies a finding: whoever answers for the officer it concerns (never the officer), for the
    department — its head, or the deputy in charge when the head is the one concerned — or, for the body's own, its
    principal leader."""
    if officer is not None:
        return reviewer(Person.of(officer), chain)
    return reviewer(Person(0, department.pk if department else None, institution_id), chain)


@transaction.atomic
def record_finding(
    inspection: Inspection,
    *,
    department: Department | None,
    text: str,
    acting_user: Officer,
    institution: Institution | None = None,
    officer: Officer | None = None,
    item: ChecklistItem | None = None,
    files: Iterable[UploadedFile] = (),
) -> Finding:
    """Record a problem found in ``department``, or in the body ``institution`` itself (单位层面), about ``officer``
    when it concerns one: it is owed in rectification by its owner, by the days of the inspecting body's policy, and
    the owner is told."""
    _check_team(inspection, acting_user)
    if not text.strip():
        raise ValidationError(_("Describe the problem found."))
    body = department.institution if department is not None else institution
    in_scope = (
        inspection.departments.filter(pk=department.pk)
        if department
        else inspection.departments.filter(institution=body)
    )
    if body is None or not in_scope.exists():
        raise ValidationError(_("The department is not in the inspection's scope."))
    if officer is not None and (officer.department_id, officer.institution_id) != (
        department.pk if department else officer.department_id,
        body.pk,
    ):
        raise ValidationError(_("The officer concerned is not in that department."))
    files = list(files)
    _check_files(files)
    policy = AlertPolicy.objects.filter(institution=inspection.institution).first() or AlertPolicy()
    due_on = day_counter(inspection.institution, policy.days_counted).after(timezone.localdate(), policy.finding_days)
    finding = Finding(
        inspection=inspection, item=item, institution=body, department=department, officer=officer,
        text=text.strip(), owner_id=owner_for(department, officer, chain_for(), body.pk), due_on=due_on,
        recorded_by=acting_user,
    )  # fmt: skip
    audited(finding, acting_user, _("Found in the inspection")).save()
    add_evidence(finding, files, acting_user=acting_user)
    if finding.owner_id:
        notify.tell(
            [finding.owner_id], occasion=f"finding:{finding.pk}",
            text=_("An inspection finding in %(department)s to rectify by %(day)s: %(text)s")
            % {"department": finding.where, "day": due_on, "text": finding.text[:60]},
            url=finding.get_absolute_url(),
        )  # fmt: skip
    return finding


def _check_files(files: list[UploadedFile]) -> None:
    for upload in files:
        if PurePath(upload.name or "").suffix.lower() not in EVIDENCE_SUFFIXES:
            raise ValidationError(
                _("%(name)s: evidence is a picture, a PDF, a Word or Excel file, or text.") % {"name": upload.name}
            )
        if (upload.size or 0) > EVIDENCE_MAX_BYTES:
            raise ValidationError(_("%(name)s is larger than 10 MB.") % {"name": upload.name})


def add_evidence(finding: Finding, files: Iterable[UploadedFile], *, acting_user: Officer) -> list[Evidence]:
    files = list(files)
    _check_files(files)
    return Evidence.objects.bulk_create(
        [
            Evidence(
                finding=finding,
                filename=PurePath(upload.name or "").name[:255],
                uploaded_by=acting_user,
                content_type=mimetypes.guess_type(upload.name or "")[0] or "application/octet-stream",
                content=b"".join(upload.chunks()),
            )
            for upload in files
        ]
    )


def rectify(finding: Finding, *, text: str, acting_user: Officer) -> Finding:
    """The owner records what was done: the finding closes."""
    if finding.owner_id != acting_user.pk:
        raise PermissionDenied
    if not text.strip():
        raise ValidationError(_("Write what was done to rectify it."))
    if not claim(
        finding, Q(rectified_at__isnull=True), acting_user=acting_user, reason=_("Rectified"),
        rectification=text.strip(), rectified_by=acting_user, rectified_at=timezone.now(),
    ):  # fmt: skip
        raise ValidationError(_("This finding has already been rectified."))
    notify.tell(
        [finding.inspection.leader_id], occasion=f"finding:{finding.pk}:rectified",
        text=_("Rectified: %(text)s") % {"text": finding.text[:60]}, url=finding.get_absolute_url(),
    )  # fmt: skip
    return finding


def issue_report(inspection: Inspection, *, summary: str, acting_user: Officer) -> Inspection:
    """The team leader closes the inspection with its conclusion once every item is checked; the report (PDF) is
    then the inspection as recorded. The findings stay owed until rectified."""
    if inspection.leader_id != acting_user.pk:
        raise PermissionDenied
    if not summary.strip():
        raise ValidationError(_("Write the inspection's conclusion."))
    if inspection.items.filter(result=ItemResult.PENDING).exists():
        raise ValidationError(_("Check every item of the checklist first."))
    if not claim(
        inspection, Q(status=InspectionStatus.PLANNED), acting_user=acting_user, reason=_("Reported"),
        status=InspectionStatus.REPORTED, summary=summary.strip(), reported_at=timezone.now(),
    ):  # fmt: skip
        raise ValidationError(_("The inspection is already reported."))
    return inspection


@transaction.atomic
def reroute_findings(officer_ids: set[int]) -> int:
    """Roles or posts changed: the open findings about these officers, in their departments, or of their bodies
    themselves, go to whoever answers for them now (subscribed to ``integrity.events.routes_changed``). Returns how
    many moved."""
    departments, bodies = set(), set()
    for department, body in Officer.objects.filter(pk__in=officer_ids).values_list("department_id", "institution_id"):
        departments.add(department)
        bodies.add(body)
    found = Finding.objects.filter(
        Q(officer_id__in=officer_ids) | Q(department_id__in=departments)
        | Q(department__isnull=True, institution_id__in=bodies),
        rectified_at__isnull=True,
    ).select_related("officer", "department")  # fmt: skip
    chain = chain_for()
    moved = 0
    for finding in found:
        now = owner_for(finding.department, finding.officer, chain, finding.institution_id)
        if now != finding.owner_id:
            finding.owner_id = now
            audited(finding, None, _("Re-routed: who answers has changed")).save(update_fields=["owner"])
            moved += 1
    return moved
