"""Cases pages of the risk assessments: starting one, deciding it, the feedback, the list and the review queue."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cases import assessments
from cases.choices import AssessmentStatus, ReviewStatus
from cases.filtersets import AssessmentFilterSet
from cases.forms import (
    AssessmentForm,
    DecisionForm,
    FactsChangedForm,
    TextForm,
)
from cases.grades import grades
from cases.models import Assessment, CaseHandler
from cases.queries import (
    approvable_assessments,
    current_assessment,
    narrowed_for_the_planner,
    reassessed_orders,
    reviewable_declarations,
    visible_assessments,
    visible_cases,
    visible_declarations,
)
from cases.rules import assessment_overdue, reassessment_due
from cases.tables import AssessmentTable, DeclarationTable
from integrity.http import AuthenticatedHttpRequest
from integrity.lists import ScopedListView
from integrity.models import Department, Institution, Officer
from integrity.queries import (
    scope_for,
)
from integrity.views import act, submit

# --- assessments ---------------------------------------------------------------------------------------------


def assessment_start(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The assessment form of a case: a handler starts one when the case has none or has reached a re-assessed
    stage, and edits a draft or a returned one; anyone else is shown the current one."""
    case = get_object_or_404(visible_cases(request.user).select_related("stage"), pk=pk)
    current = current_assessment(case)
    editable = current is not None and current.status in (AssessmentStatus.DRAFT, AssessmentStatus.RETURNED)
    due = current is None or reassessment_due(case.stage.order, current.stage.order, reassessed_orders())
    if not CaseHandler.objects.filter(case=case, officer=request.user).exists() or not (editable or due):
        if current:
            return redirect(current)
        raise Http404
    initial = {"factors": current.factors.all(), "plan": current.plan} if current else None

    def save(data: dict) -> Assessment:
        saved = assessments.save_assessment(
            case, factors=list(data["factors"]), plan=data["plan"], acting_user=request.user
        )
        if "submit" in request.POST:
            assessments.submit_assessment(saved, acting_user=request.user)
        return saved

    return submit(
        request, AssessmentForm(request.POST or None, initial=initial), save, done=_("The assessment has been saved."),
        template="cases/assessment_form.html",
        context={"case": case, "assessment": current if editable else None, "previous": current},
    )  # fmt: skip


@require_POST
def assessment_facts(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A handler or a leader marks that the facts of the case changed: it is assessed again."""
    case = get_object_or_404(visible_cases(request.user), pk=pk)
    if not assessments.may_mark_facts_changed(request.user, case):
        raise Http404
    return act(
        request, case, form=FactsChangedForm(request.POST, prefix="facts"),
        done=_("The case will be assessed again; it is held until the new one is approved."),
        action=lambda data: assessments.mark_facts_changed(case, reason=data["text"], acting_user=request.user),
    )  # fmt: skip


def assessment_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    assessment = get_object_or_404(visible_assessments(request.user), pk=pk)
    can_decide = approvable_assessments(request.user).filter(pk=pk).exists()
    own = assessment.author_id == request.user.pk
    return render(
        request,
        "cases/assessment_detail.html",
        {
            "assessment": assessment,
            "factors": assessment.factors.all(),
            "following": Assessment.objects.filter(previous=assessment).first(),
            "approvals": assessment.approvals.select_related("approver"),
            "decision_form": DecisionForm() if can_decide else None,
            "feedback_form": TextForm() if own and assessment.status == AssessmentStatus.APPROVED else None,
            "can_edit": own and assessment.status in (AssessmentStatus.DRAFT, AssessmentStatus.RETURNED),
            "overdue": assessment_overdue(assessment.status, assessment.deadline, timezone.localdate()),
        },
    )


@require_POST
def assessment_decide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    assessment = get_object_or_404(approvable_assessments(request.user), pk=pk)
    return act(
        request, assessment, form=DecisionForm(request.POST), done=_("Your decision has been recorded."),
        action=lambda data: assessments.decide_assessment(
            assessment, approve=data["decision"] == "approve", reason=data["reason"], acting_user=request.user
        ),
    )  # fmt: skip


@require_POST
def assessment_feedback(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    assessment = get_object_or_404(visible_assessments(request.user).filter(author=request.user), pk=pk)
    return act(
        request, assessment, form=TextForm(request.POST), done=_("The closing feedback has been filed."),
        action=lambda data: assessments.file_feedback(assessment, feedback=data["text"], acting_user=request.user),
    )  # fmt: skip


class AssessmentListView(ScopedListView):
    """Leaders and discipline staff: assessments by grade and department, the overdue ones."""

    title = gettext_lazy("Case risk assessments")
    export_name = "assessments"
    table_class = AssessmentTable
    filterset_class = AssessmentFilterSet

    def scoped_queryset(self, user: Officer) -> QuerySet:
        return visible_assessments(user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        """Beside the list, its assessments by grade: per body when they span several (and none is chosen), per
        department of the one body otherwise — never a province's departments merged by name."""
        context = super().get_context_data(**kwargs)
        assessments = narrowed_for_the_planner(self.filterset.qs, self.request.user, "case_id")
        counted = grades(assessments, self.filterset, self.request.user)
        per_body = len(counted.by_body) > 1
        model = Institution if per_body else Department
        cells = counted.by_body if per_body else counted.by_department
        names: dict[int | None, str] = dict(model.objects.filter(pk__in=list(cells)).values_list("pk", "name"))
        context["grid_per_body"] = per_body
        context["grid"] = sorted(((names.get(pk, "—"), counts) for pk, counts in cells.items()), key=lambda row: row[0])
        return context

    template_name = "cases/assessment_list.html"


def review_queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A head's queue: declarations with a yes to review, and assessments waiting for this user's approval."""
    declarations = (
        reviewable_declarations(request.user)
        .filter(review_status=ReviewStatus.PENDING)
        .select_related("case__department", "officer")
    )
    waiting = approvable_assessments(request.user)
    return render(
        request,
        "cases/review_queue.html",
        {
            "declarations": DeclarationTable(declarations, orderable=False),
            "assessments": AssessmentTable(waiting, orderable=False),
        },
    )


def yes_declarations(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Those who watch officers (leaders, discipline staff, heads and deputies): every declaration with a yes answer
    in their scope."""
    scope = scope_for(request.user)
    if not scope.watches_officers:
        raise Http404
    rows = visible_declarations(request.user).filter(has_yes=True).exclude(officer=request.user)
    table = DeclarationTable(rows, request=request)
    table.paginate(page=request.GET.get("page", 1), per_page=50)
    return render(request, "cases/yes_declarations.html", {"table": table})
