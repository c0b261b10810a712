"""Inspections (督察): the list, planning one, its page (plan, checklist, findings, report), checking an item, a
finding and its rectification, evidence, the report as PDF. The writes are ``inspections.actions``."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from inspections import actions, documents
from inspections.choices import InspectionStatus, ItemResult
from inspections.filtersets import InspectionFilterSet
from inspections.forms import CheckForm, FindingForm, InspectionForm, TextForm
from inspections.models import ChecklistItem, Evidence, Inspection
from inspections.queries import inspectable_departments, may_plan, visible_findings, visible_inspections
from inspections.tables import InspectionTable
from integrity.lists import ScopedListView
from integrity.models import Officer
from integrity.queries import visible_officers
from integrity.views import show_errors


class InspectionListView(ScopedListView):
    title = gettext_lazy("Inspections")
    export_name = "inspections"
    table_class = InspectionTable
    filterset_class = InspectionFilterSet

    def scoped_queryset(self, user: Officer) -> QuerySet:
        return visible_inspections(user).select_related("institution", "leader")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if may_plan(self.request.user):
            context["add_url"] = reverse("inspections:new")
        return context


def inspection_new(request: HttpRequest) -> HttpResponse:
    """Plan an inspection: the checklist is drawn from the published risk points of the departments chosen."""
    if not may_plan(request.user):
        raise Http404
    form = InspectionForm(
        request.POST or None,
        departments=inspectable_departments(request.user),
        officers=visible_officers(request.user).filter(is_active=True),
    )
    if request.method == "POST" and form.is_valid():
        try:
            inspection = actions.plan_inspection(acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The inspection is planned; its checklist has %(n)s items.") % {
                "n": inspection.items.count()
            })  # fmt: skip
            return redirect(inspection)
    return render(request, "risks/form.html", {"form": form, "title": _("Plan an inspection")})


def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
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


def item_check(request: HttpRequest, pk: int) -> HttpResponse:
    """Check one item of the checklist; then on to the next item still to check."""
    item = get_object_or_404(
        ChecklistItem.objects.filter(inspection__in=visible_inspections(request.user).values("pk")).select_related(
            "inspection", "department", "institution", "checked_by"
        ),
        pk=pk,
    )
    inspection = item.inspection
    form = CheckForm(request.POST or None, request.FILES or None, officers=_officers(inspection))
    if request.method == "POST" and form.is_valid():
        try:
            actions.check_item(item, acting_user=request.user, **form.cleaned_data_for_action())
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The item is checked."))
            following = inspection.items.filter(result=ItemResult.PENDING).first()
            return redirect(following.get_absolute_url() if following else inspection.get_absolute_url())
    return render(
        request,
        "inspections/item.html",
        {
            "item": item,
            "inspection": inspection,
            "form": form,
            "may_check": actions.is_on_team(inspection, request.user),
        },
    )


def finding_new(request: HttpRequest, pk: int) -> HttpResponse:
    """A problem found outside the checklist."""
    inspection = get_object_or_404(visible_inspections(request.user), pk=pk)
    if not actions.is_on_team(inspection, request.user):
        raise Http404
    form = FindingForm(
        request.POST or None, request.FILES or None, officers=_officers(inspection),
        departments=inspection.departments.select_related("institution"),
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            data = form.cleaned_data_for_action()
            finding = actions.record_finding(
                inspection, department=form.cleaned_data["department"], text=data["problem"],
                officer=data["officer"], files=data["files"], acting_user=request.user,
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The finding is recorded; its rectification is owed."))
            return redirect(finding)
    return render(request, "risks/form.html", {"form": form, "title": _("Record a finding")})


def finding_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A finding, its evidence and its rectification: the owner records what was done."""
    finding = get_object_or_404(
        visible_findings(request.user).select_related(
            "inspection", "department", "institution", "officer", "owner", "rectified_by"
        ),
        pk=pk,
    )
    form = TextForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                actions.rectify(finding, text=form.cleaned_data["text"], acting_user=request.user)
                actions.add_evidence(finding, request.FILES.getlist("files"), acting_user=request.user)
            except PermissionDenied:
                raise Http404 from None
            except ValidationError as error:
                show_errors(request, error)
            else:
                messages.success(request, _("The rectification is recorded."))
        return redirect(finding)
    return render(
        request,
        "inspections/finding.html",
        {
            "finding": finding,
            "evidence": finding.evidence.select_related("uploaded_by").defer("content"),
            "rectify_form": form if finding.is_open and finding.owner_id == request.user.pk else None,
            "history": finding.history.select_related("history_user").order_by("history_date"),
        },
    )


def evidence(request: HttpRequest, pk: int) -> HttpResponse:
    """A file kept with a finding, always as a download (never shown inline: it came from a user)."""
    found = get_object_or_404(Evidence.objects.filter(finding__in=visible_findings(request.user).values("pk")), pk=pk)
    response = HttpResponse(bytes(found.content), content_type=found.content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(found.filename)}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
def inspection_report(request: HttpRequest, pk: int) -> HttpResponse:
    """The team leader closes the inspection with its conclusion."""
    inspection = get_object_or_404(visible_inspections(request.user), pk=pk)
    form = TextForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Write the inspection's conclusion."))
        actions.issue_report(inspection, summary=form.cleaned_data["text"], acting_user=request.user)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, _("The inspection is reported."))
    return redirect(inspection)


def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = get_object_or_404(visible_inspections(request.user).select_related("institution", "leader"), pk=pk)
    response = HttpResponse(documents.report_pdf(inspection), content_type="application/pdf")
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(inspection.title)}.pdf"
    return response
