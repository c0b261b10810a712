"""Cases pages. Thin: records come through the scoped queries, changes go through the actions."""

from __future__ import annotations

from dataclasses import replace

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cases import actions, documents
from cases.choices import AssessmentStatus, ConflictDecision, PartyRole, ReviewStatus
from cases.filtersets import AssessmentFilterSet, CaseFilterSet, NoticeFilterSet
from cases.forms import (
    AssessmentForm,
    CaseForm,
    ConflictDecisionForm,
    DecisionForm,
    DeclarationForm,
    FactsChangedForm,
    MoveForm,
    RelationForm,
    TextForm,
)
from cases.models import Assessment, Case, CaseHandler, Declaration, Stage, SupervisionNotice
from cases.panels import panels_for
from cases.queries import (
    approvable_assessments,
    case_register_institutions,
    current_assessment,
    gate_for,
    policy_for,
    questions_for,
    reassessed_orders,
    reviewable_declarations,
    visible_assessments,
    visible_cases,
    visible_declarations,
    visible_notices,
    visible_relations,
    with_needs,
)
from cases.rules import assessment_overdue, declaration_overdue, reassessment_due
from cases.tables import AssessmentTable, CaseTable, DeclarationTable, NoticeTable
from integrity import audit
from integrity.choices import AuditEventKind
from integrity.lists import ScopedListView
from integrity.models import Department, Institution, Officer
from integrity.queries import (
    scope_for,
)
from integrity.views import show_errors, show_form_errors


def _handlers_prefetch() -> Prefetch:
    return Prefetch("case_handlers", queryset=CaseHandler.objects.select_related("officer").order_by("-is_lead", "id"))


class CaseListView(ScopedListView):
    """Handlers see their cases with what each still needs; heads their department's; leaders everything."""

    template_name = "cases/case_list.html"
    title = gettext_lazy("Cases")
    export_name = "cases"
    table_class = CaseTable
    filterset_class = CaseFilterSet

    def scoped_queryset(self, user: Officer) -> QuerySet[Case]:
        return with_needs(visible_cases(user)).prefetch_related(_handlers_prefetch())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        scope = scope_for(self.request.user)
        if scope.headed_department_ids or scope.is_administrator or scope.case_institution_ids:
            from django.urls import reverse

            context["add_url"] = reverse("cases:case_create")
        return context


def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(visible_cases(request.user), pk=pk)
    handlers = list(case.case_handlers.select_related("officer"))
    declarations = {d.officer_id: d for d in case.declarations.all()}
    assessments = list(case.assessments.select_related("stage").order_by("-pk"))
    missing = gate_for(case)
    later = Stage.objects.filter(order__gt=case.stage.order)
    today = timezone.localdate()
    rows = [
        {
            "handler": h,
            "declaration": declarations.get(h.officer_id),
            "overdue": declarations.get(h.officer_id) is not None
            and declaration_overdue(
                declarations[h.officer_id].due_on,
                declarations[h.officer_id].submitted_at is not None,
                case.stage.is_decision or case.stage.order > _decision_order(),
                today,
            ),
        }
        for h in handlers
    ]
    sees_conflicts = request.user.pk in declarations or scope_for(request.user).sees_others
    if not sees_conflicts:  # case management: whether each is filed and when it is due, never what it says
        for row in rows:
            row["sealed"] = True
        missing = [replace(m, url="") if m.kind == "declaration" else m for m in missing]
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "rows": rows,
            "assessment": assessments[0] if assessments else None,
            "assessments": assessments,
            "facts_form": FactsChangedForm(prefix="facts")
            if assessments and case.closed_on is None and actions.may_mark_facts_changed(request.user, case)
            else None,
            "missing": missing,
            "move_form": MoveForm(stages=later) if later.exists() else None,
            "parties": case.parties.all(),
            "conflicts": case.conflicts.select_related("relation", "party", "officer") if sees_conflicts else [],
            "is_handler": request.user.pk in declarations,
            "panels": panels_for(case, request.user),
        },
    )


def _decision_order() -> int:
    decision = Stage.objects.filter(is_decision=True).values_list("order", flat=True).first()
    return decision if decision is not None else 10_000


@require_POST
def case_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Move a case on (or close it): refused, with each missing piece named and linked, until it is complete."""
    case = get_object_or_404(visible_cases(request.user), pk=pk)
    if not (
        CaseHandler.objects.filter(case=case, officer=request.user).exists() or scope_for(request.user).department_ids
    ):
        raise Http404
    form = MoveForm(request.POST, stages=Stage.objects.filter(order__gt=case.stage.order))
    if form.is_valid():
        try:
            actions.move_case(case, form.cleaned_data["stage"], acting_user=request.user)
        except actions.GateClosed as closed:
            messages.error(request, _("The case cannot move on yet:"))
            show_errors(request, closed)
        except ValidationError as error:
            show_errors(request, error)
        else:
            messages.success(request, _("The case is now at %(stage)s.") % {"stage": form.cleaned_data["stage"]})
    else:
        show_form_errors(request, form)
    return redirect(case)


def case_create(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if not (scope.headed_department_ids or scope.is_administrator or scope.case_institution_ids):
        raise Http404
    departments = Department.objects.filter(
        Q(pk__in=scope.headed_department_ids) | Q(institution__in=case_register_institutions(request.user))
    ).select_related("institution")
    officers = Officer.objects.filter(department__in=departments, is_active=True).select_related("department")
    form = CaseForm(request.POST or None, departments=departments, officers=officers)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        parties = [actions.PartyData(PartyRole.PARTY, n.strip()) for n in data["parties"].splitlines() if n.strip()]
        for line in data["agents"].splitlines():
            name, _sep, firm = line.replace("（", "(").replace("）", ")").partition("(")
            if name.strip():
                parties.append(actions.PartyData(PartyRole.AGENT, name.strip(), firm.rstrip(")").strip()))
        try:
            case = actions.create_case(
                department=data["department"], number=data["number"], title=data["title"],
                case_type=data["case_type"], received_on=data["received_on"], due_on=data["due_on"],
                handlers=list(data["handlers"]), parties=parties, acting_user=request.user,
            )  # fmt: skip
        except ValidationError as error:
            show_errors(request, error)
        else:
            messages.success(request, _("The case has been registered."))
            return redirect(case)
    return render(request, "risks/form.html", {"form": form, "title": _("New case")})


# --- declarations --------------------------------------------------------------------------------------------


def declaration_detail(request: HttpRequest, pk: int) -> HttpResponse:
    declaration = get_object_or_404(visible_declarations(request.user), pk=pk)
    if declaration.officer_id != request.user.pk:  # someone else's declaration: who read it is kept
        audit.record(AuditEventKind.VIEWED, request=request, target=f"declaration:{declaration.pk}")
    return render(request, "cases/declaration_detail.html", _declaration_page(request, declaration))


def _declaration_page(
    request: HttpRequest,
    declaration: Declaration,
    *,
    form: DeclarationForm | None = None,
    decision_form: ConflictDecisionForm | None = None,
) -> dict:
    """The declaration page's context, for the page itself and for a submission sent back with its errors."""
    own = declaration.officer_id == request.user.pk
    conflicts = list(declaration.case.conflicts.filter(officer=declaration.officer).select_related("relation", "party"))
    context = {
        "declaration": declaration,
        "answers": declaration.answers.all(),
        "amendments": declaration.amendments.select_related("created_by"),
        "conflicts": conflicts,
        "can_review": declaration.review_status == ReviewStatus.PENDING
        and reviewable_declarations(request.user).filter(pk=declaration.pk).exists(),
    }
    if own and declaration.submitted_at is None:
        questions = questions_for(declaration.case.institution)
        context["form"] = form or DeclarationForm(questions=questions, conflicted=bool(conflicts))
    if own and declaration.submitted_at is not None:
        context["amend_form"] = TextForm()
    if context["can_review"] and conflicts and not declaration.conflict_decision:
        context["decision_form"] = decision_form or ConflictDecisionForm(candidates=_replacements(declaration))
    elif context["can_review"]:
        context["review_form"] = TextForm()
    return context


def _replacements(declaration: Declaration):
    """Who may take a recused handler's place: active officers of the case's institution not handling it already."""
    case = declaration.case
    return (
        Officer.objects.filter(institution_id=case.institution_id, is_active=True)
        .exclude(case_assignments__case=case)
        .select_related("department")
        .order_by("department__order", "full_name")
    )


@require_POST
def declaration_submit(request: HttpRequest, pk: int) -> HttpResponse:
    declaration = get_object_or_404(visible_declarations(request.user).filter(officer=request.user), pk=pk)
    conflicted = actions.has_conflict(declaration)
    questions = questions_for(declaration.case.institution)
    form = DeclarationForm(request.POST, questions=questions, conflicted=conflicted)
    if form.is_valid():
        try:
            explanation = form.cleaned_data.get("explanation", "")
            actions.submit_declaration(declaration, form.answers(), explanation=explanation, acting_user=request.user)
        except ValidationError as error:
            show_errors(request, error)
        else:
            messages.success(request, _("Your declaration has been submitted."))
            return redirect(declaration)
    return render(request, "cases/declaration_detail.html", _declaration_page(request, declaration, form=form))


@require_POST
def declaration_amend(request: HttpRequest, pk: int) -> HttpResponse:
    declaration = get_object_or_404(visible_declarations(request.user).filter(officer=request.user), pk=pk)
    form = TextForm(request.POST)
    if form.is_valid():
        try:
            actions.amend_declaration(declaration, text=form.cleaned_data["text"], acting_user=request.user)
        except ValidationError as error:
            show_errors(request, error)
        else:
            messages.success(request, _("Your correction has been added; the original stays as submitted."))
    else:
        show_form_errors(request, form)
    return redirect(declaration)


@require_POST
def declaration_review(request: HttpRequest, pk: int) -> HttpResponse:
    declaration = get_object_or_404(reviewable_declarations(request.user), pk=pk)
    form = TextForm(request.POST)
    comment = form.cleaned_data["text"] if form.is_valid() else ""
    try:
        actions.review_declaration(declaration, comment=comment, acting_user=request.user)
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, _("The review has been recorded."))
    return redirect(declaration)


@require_POST
def declaration_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """The reviewer decides a relation conflict: recuse the handler, naming who takes the case, or keep them."""
    declaration = get_object_or_404(reviewable_declarations(request.user).select_related("case"), pk=pk)
    form = ConflictDecisionForm(request.POST, candidates=_replacements(declaration))
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.decide_conflict(
                declaration, recuse=data["decision"] == ConflictDecision.RECUSE, reason=data["reason"],
                replacement=data["replacement"], acting_user=request.user,
            )  # fmt: skip
        except ValidationError as error:
            show_errors(request, error)
        else:
            messages.success(request, _("The decision has been recorded."))
        return redirect(declaration)
    return render(request, "cases/declaration_detail.html", _declaration_page(request, declaration, decision_form=form))


# --- assessments ---------------------------------------------------------------------------------------------


def assessment_start(request: HttpRequest, pk: int) -> HttpResponse:
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
    form = AssessmentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = actions.save_assessment(
                case,
                factors=list(form.cleaned_data["factors"]),
                plan=form.cleaned_data["plan"],
                acting_user=request.user,
            )
            if "submit" in request.POST:
                actions.submit_assessment(saved, acting_user=request.user)
        except ValidationError as error:
            show_errors(request, error)
        else:
            messages.success(request, _("The assessment has been saved."))
            return redirect(saved)
    context = {"case": case, "form": form, "assessment": current if editable else None, "previous": current}
    return render(request, "cases/assessment_form.html", context)


@require_POST
def assessment_facts(request: HttpRequest, pk: int) -> HttpResponse:
    """A handler or a leader marks that the facts of the case changed: it is assessed again."""
    case = get_object_or_404(visible_cases(request.user), pk=pk)
    if not actions.may_mark_facts_changed(request.user, case):
        raise Http404
    form = FactsChangedForm(request.POST, prefix="facts")
    if form.is_valid():
        try:
            actions.mark_facts_changed(case, reason=form.cleaned_data["text"], acting_user=request.user)
        except ValidationError as error:
            show_errors(request, error)
        else:
            messages.success(request, _("The case will be assessed again; it is held until the new one is approved."))
    else:
        show_form_errors(request, form)
    return redirect(case)


def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
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
def assessment_decide(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_object_or_404(approvable_assessments(request.user), pk=pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            actions.decide_assessment(
                assessment, approve=form.cleaned_data["decision"] == "approve", reason=form.cleaned_data["reason"],
                acting_user=request.user,
            )  # fmt: skip
        except ValidationError as error:
            show_errors(request, error)
        else:
            messages.success(request, _("Your decision has been recorded."))
    else:
        show_form_errors(request, form)
    return redirect(assessment)


@require_POST
def assessment_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_object_or_404(visible_assessments(request.user).filter(author=request.user), pk=pk)
    form = TextForm(request.POST)
    if form.is_valid():
        try:
            actions.file_feedback(assessment, feedback=form.cleaned_data["text"], acting_user=request.user)
        except ValidationError as error:
            show_errors(request, error)
        else:
            messages.success(request, _("The closing feedback has been filed."))
    else:
        show_form_errors(request, form)
    return redirect(assessment)


class AssessmentListView(ScopedListView):
    """Leaders and discipline staff: assessments by grade and department, the overdue ones."""

    title = gettext_lazy("Case risk assessments")
    export_name = "assessments"
    table_class = AssessmentTable
    filterset_class = AssessmentFilterSet

    def scoped_queryset(self, user: Officer) -> QuerySet:
        return visible_assessments(user)

    def get_context_data(self, **kwargs):
        """Beside the list, its assessments by grade: per body when they span several (and none is chosen), per
        department of the one body otherwise — never a province's departments merged by name."""
        context = super().get_context_data(**kwargs)
        counts = (
            self.filterset.qs.order_by()
            .values_list("case__institution_id", "case__department_id", "colour")
            .annotate(n=Count("id"))
        )
        by_body: dict = {}
        by_department: dict = {}
        for institution_id, department_id, colour, n in counts:
            cells = by_body.setdefault(institution_id, {})
            cells[colour] = cells.get(colour, 0) + n
            by_department.setdefault(department_id, {})[colour] = n
        per_body = len(by_body) > 1
        model = Institution if per_body else Department
        cells = by_body if per_body else by_department
        names = dict(model.objects.filter(pk__in=list(cells)).values_list("pk", "name"))
        context["grid_per_body"] = per_body
        context["grid"] = sorted(((names.get(pk, "—"), counts) for pk, counts in cells.items()), key=lambda row: row[0])
        return context

    template_name = "cases/assessment_list.html"


def review_queue(request: HttpRequest) -> HttpResponse:
    """A head's queue: declarations with a yes to review, and assessments waiting for this user's approval."""
    declarations = (
        reviewable_declarations(request.user)
        .filter(review_status=ReviewStatus.PENDING)
        .select_related("case__department", "officer")
    )
    assessments = approvable_assessments(request.user)
    return render(
        request,
        "cases/review_queue.html",
        {
            "declarations": DeclarationTable(declarations, orderable=False),
            "assessments": AssessmentTable(assessments, orderable=False),
        },
    )


def yes_declarations(request: HttpRequest) -> HttpResponse:
    """Leaders and discipline staff: every declaration with a yes answer in their scope."""
    scope = scope_for(request.user)
    if not (scope.watches_institution or scope.department_ids or scope.is_superuser):
        raise Http404
    rows = visible_declarations(request.user).filter(has_yes=True).exclude(officer=request.user)
    table = DeclarationTable(rows, request=request)
    table.paginate(page=request.GET.get("page", 1), per_page=50)
    return render(request, "cases/yes_declarations.html", {"table": table})


# --- relations -----------------------------------------------------------------------------------------------


def relations(request: HttpRequest) -> HttpResponse:
    """My declared relations (and a form to add one); discipline staff also see and review everyone's."""
    form = RelationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.declare_relation(request.user, acting_user=request.user, **form.cleaned_data)
        messages.success(request, _("The relation has been declared."))
        return redirect("cases:relations")
    mine = visible_relations(request.user).filter(officer=request.user)
    others = visible_relations(request.user).exclude(officer=request.user)
    return render(
        request,
        "cases/relations.html",
        {"form": form, "mine": mine, "others": others[:200], "can_review": scope_for(request.user).watches_institution},
    )


@require_POST
def relation_review(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_for(request.user)
    if not scope.watches_institution:
        raise Http404
    relation = get_object_or_404(visible_relations(request.user).exclude(officer=request.user), pk=pk)
    actions.review_relation(relation, acting_user=request.user)
    messages.success(request, _("The relation has been reviewed."))
    return redirect("cases:relations")


# --- supervision notices -------------------------------------------------------------------------------------


class NoticeListView(ScopedListView):
    """督办通知: open ones first, then the closed, newest first."""

    title = gettext_lazy("Supervision notices (督办通知书)")
    export_name = "notices"
    table_class = NoticeTable
    filterset_class = NoticeFilterSet

    def scoped_queryset(self, user: Officer) -> QuerySet[SupervisionNotice]:
        return visible_notices(user).order_by(F("closed_at").desc(nulls_first=True), "-issued_at", "-pk")


def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    notice = get_object_or_404(visible_notices(request.user), pk=pk)
    addressee = notice.addressed_to_id == request.user.pk and notice.closed_at is None
    context = {
        "notice": notice,
        "can_acknowledge": addressee and notice.acknowledged_at is None,
        "answer_form": TextForm() if addressee and notice.answered_at is None else None,
    }
    return render(request, "cases/notice_detail.html", context)


def notice_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The notice as a one-page PDF to print and file; it prints what is recorded and records nothing."""
    notice = get_object_or_404(visible_notices(request.user), pk=pk)
    response = HttpResponse(documents.notice_pdf(notice), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="notice-{notice.year}-{notice.serial}.pdf"'
    return response


def card_pdf(request: HttpRequest, pk: int, party: int) -> HttpResponse:
    """A party's supervision card (廉政监督卡) to hand over, for anyone who sees the case; numbered when it is first
    printed, the same number after."""
    case = get_object_or_404(visible_cases(request.user).select_related("institution"), pk=pk)
    card = actions.issue_card(case, get_object_or_404(case.parties, pk=party), acting_user=request.user)
    response = HttpResponse(documents.card_pdf(card, policy_for(case.institution)), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="card-{card.year}-{card.serial}.pdf"'
    return response


@require_POST
def notice_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    notice = get_object_or_404(visible_notices(request.user).filter(addressed_to=request.user), pk=pk)
    actions.acknowledge_notice(notice, acting_user=request.user)
    messages.success(request, _("The notice is acknowledged."))
    return redirect(notice)


@require_POST
def notice_answer(request: HttpRequest, pk: int) -> HttpResponse:
    notice = get_object_or_404(visible_notices(request.user).filter(addressed_to=request.user), pk=pk)
    form = TextForm(request.POST)
    if form.is_valid():
        try:
            actions.answer_notice(notice, answer=form.cleaned_data["text"], acting_user=request.user)
        except ValidationError as error:
            show_errors(request, error)
        else:
            messages.success(request, _("Your answer has been sent."))
    else:
        show_form_errors(request, form)
    return redirect(notice)
