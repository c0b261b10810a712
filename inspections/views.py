"""Inspections (督察): the list, planning one, its page (plan, checklist, findings, report), checking an item, a
finding and its rectification, evidence, the report as PDF. The writes are ``inspections.actions``."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from inspections import actions, documents
from inspections.choices import InspectionStatus, ItemResult
from inspections.filtersets import InspectionFilterSet
from inspections.forms import CheckForm, ConclusionForm, FindingForm, InspectionForm, TextForm
from inspections.models import ChecklistItem, Evidence, Finding, Inspection
from inspections.queries import inspectable_departments, may_plan, visible_findings, visible_inspections
from inspections.tables import InspectionTable
from integrity.http import AuthenticatedHttpRequest
from integrity.lists import ScopedListView
from integrity.models import Officer
from integrity.queries import visible_officers
from integrity.views import act, submit


class InspectionListView(ScopedListView):
    title = gettext_lazy("Inspections")
    export_name = "inspections"
    table_class = InspectionTable
    filterset_class = InspectionFilterSet

    def scoped_queryset(self, user: Officer) -> QuerySet:
        return visible_inspections(user).select_related("institution", "leader")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if may_plan(self.request.user):
            context["add_url"] = reverse("inspections:new")
        return context


def inspection_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Plan an inspection: the checklist is drawn from the published risk points of the departments chosen."""
    if not may_plan(request.user):
        raise Http404
    form = InspectionForm(
        request.POST or None,
        departments=inspectable_departments(request.user),
        officers=visible_officers(request.user).filter(is_active=True),
    )
    return submit(
        request, form, lambda data: actions.plan_inspection(acting_user=request.user, **data),
        done=lambda inspection: _("The inspection is planned; its checklist has %(n)s items.") % {
            "n": inspection.items.count()
        },
        template="risks/form.html", context={"title": _("Plan an inspection")},
    )  # fmt: skip


def inspection_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    inspection = get_object_or_404(
        visible_inspections(request.user).select_related("institution", "leader", "planned_by"), pk=pk
    )
    items = inspection.items.select_related("department__institution", "institution", "checked_by")
    counts = items.aggregate(
        total=Count("pk"), pending=Count("pk", filter=Q(result=ItemResult.PENDING)),
        found=Count("pk", filter=Q(result=ItemResult.FINDING)),
    )  # fmt: skip
    on_team = actions.is_on_team(inspection, request.user)
    return render(
        request,
        "inspections/detail.html",
        {
            "inspection": inspection,
            "departments": inspection.departments.select_related("institution"),
            "team": inspection.team.all(),
            "items": items,
            "counts": counts,
            "findings": inspection.findings.select_related("department", "institution", "officer", "owner"),
            "may_check": on_team and inspection.status == InspectionStatus.PLANNED,
            "report_form": TextForm()
            if inspection.leader_id == request.user.pk and inspection.status == InspectionStatus.PLANNED
            else None,
        },
    )


def _officers(inspection: Inspection) -> QuerySet[Officer]:
    """Whom a finding may concern: the officers of the departments inspected (the team may name them, whichever
    body its members come from)."""
    return Officer.objects.filter(department__in=inspection.departments.all(), is_active=True)


def item_check(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Check one item of the checklist; then on to the next item still to check."""
    item = get_object_or_404(
        ChecklistItem.objects.filter(inspection__in=visible_inspections(request.user).values("pk")).select_related(
            "inspection", "department", "institution", "checked_by"
        ),
        pk=pk,
    )
    inspection = item.inspection
    form = CheckForm(request.POST or None, request.FILES or None, officers=_officers(inspection))

    user = request.user

    def following(_checked: object) -> Inspection | ChecklistItem:
        return inspection.items.filter(result=ItemResult.PENDING).first() or inspection

    return submit(
        request, form, lambda _data: actions.check_item(item, acting_user=user, **form.cleaned_data_for_action()),
        done=_("The item is checked."), to=following, template="inspections/item.html",
        context={"item": item, "inspection": inspection, "may_check": actions.is_on_team(inspection, request.user)},
    )  # fmt: skip


def finding_new(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A problem found outside the checklist."""
    inspection = get_object_or_404(visible_inspections(request.user), pk=pk)
    if not actions.is_on_team(inspection, request.user):
        raise Http404
    form = FindingForm(
        request.POST or None, request.FILES or None, officers=_officers(inspection),
        departments=inspection.departments.select_related("institution"),
    )  # fmt: skip

    def record(data: dict) -> Finding:
        given = form.cleaned_data_for_action()
        return actions.record_finding(
            inspection, department=data["department"], text=given["problem"], officer=given["officer"],
            files=given["files"], acting_user=request.user,
        )  # fmt: skip

    return submit(
        request, form, record, done=_("The finding is recorded; its rectification is owed."),
        template="risks/form.html", context={"title": _("Record a finding")},
    )  # fmt: skip


def finding_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A finding, its evidence and its rectification: the owner records what was done."""
    finding = get_object_or_404(
        visible_findings(request.user).select_related(
            "inspection", "department", "institution", "officer", "owner", "rectified_by"
        ),
        pk=pk,
    )
    if request.method == "POST":

        def rectify(data: dict) -> None:
            actions.rectify(finding, text=data["text"], acting_user=request.user)
            actions.add_evidence(finding, request.FILES.getlist("files"), acting_user=request.user)

        return act(request, finding, rectify, done=_("The rectification is recorded."), form=TextForm(request.POST))
    form = TextForm()
    return render(
        request,
        "inspections/finding.html",
        {
            "finding": finding,
            "evidence": finding.evidence.select_related("uploaded_by").defer("content"),
            "rectify_form": form if finding.is_open and finding.owner_id == request.user.pk else None,
            "history": finding.history.select_related("history_user").order_by("history_date"),
            # The owner and the department's head see the finding, not always the inspection it came from.
            "sees_inspection": visible_inspections(request.user).filter(pk=finding.inspection_id).exists(),
        },
    )


def evidence(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A file kept with a finding, always as a download (never shown inline: it came from a user)."""
    found = get_object_or_404(Evidence.objects.filter(finding__in=visible_findings(request.user).values("pk")), pk=pk)
    response = HttpResponse(bytes(found.content), content_type=found.content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(found.filename)}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
def inspection_report(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The team leader closes the inspection with its conclusion."""
    inspection = get_object_or_404(visible_inspections(request.user), pk=pk)
    return act(
        request, inspection,
        lambda data: actions.issue_report(inspection, summary=data["text"], acting_user=request.user),
        done=_("The inspection is reported."), form=ConclusionForm(request.POST),
    )  # fmt: skip


def report_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    inspection = get_object_or_404(visible_inspections(request.user).select_related("institution", "leader"), pk=pk)
    response = HttpResponse(documents.report_pdf(inspection), content_type="application/pdf")
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(inspection.title)}.pdf"
    return response
