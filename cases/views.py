"""Cases pages. Thin: records come through the scoped queries, changes go through the actions."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import F, Prefetch, Q, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cases import actions, assessments, documents, notices
from cases.choices import PartyRole
from cases.filtersets import CaseFilterSet, NoticeFilterSet
from cases.forms import (
    CaseForm,
    FactsChangedForm,
    MoveForm,
    TextForm,
)
from cases.models import Case, CaseHandler, Stage, SupervisionNotice
from cases.panels import panels_for
from cases.queries import (
    case_register_institutions,
    gate_for,
    policy_for,
    visible_cases,
    visible_declarations,
    visible_notices,
    with_needs,
)
from cases.rules import declaration_overdue
from cases.tables import CaseTable, NoticeTable
from integrity.http import AuthenticatedHttpRequest
from integrity.lists import ScopedListView
from integrity.models import Department, Officer
from integrity.queries import (
    scope_for,
)
from integrity.views import act, submit


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

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        scope = scope_for(self.request.user)
        if scope.headed_department_ids or scope.is_administrator or scope.case_institution_ids:
            from django.urls import reverse

            context["add_url"] = reverse("cases:case_create")
        return context


def case_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(visible_cases(request.user), pk=pk)
    handlers = list(case.case_handlers.select_related("officer"))
    declarations = {d.officer_id: d for d in case.declarations.all()}
    assessed = list(case.assessments.select_related("stage").order_by("-pk"))
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
    if request.user.pk not in declarations and not assessed:
        # The first assessment is started by a handler: anyone else has no page to open until there is one.
        missing = [replace(m, url="") if m.kind == "assessment" else m for m in missing]
    # A declaration is its handler's record: a co-handler or the case's manager sees whether it is filed, and opens
    # only those they may read (their own, those of the officers they oversee).
    opens = set(visible_declarations(request.user).filter(case=case).values_list("officer_id", flat=True))
    for handler, row in zip(handlers, rows, strict=True):
        row["opens"] = handler.officer_id in opens
    missing = [replace(m, url="") if m.officer_id is not None and m.officer_id not in opens else m for m in missing]
    sees_conflicts = request.user.pk in declarations or scope_for(request.user).sees_others
    if not sees_conflicts:  # case management: whether each is filed and when it is due, never what it says
        for row in rows:
            row["sealed"] = True
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "rows": rows,
            "assessment": assessed[0] if assessed else None,
            "assessments": assessed,
            "facts_form": FactsChangedForm(prefix="facts")
            if assessed and case.closed_on is None and assessments.may_mark_facts_changed(request.user, case)
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
def case_move(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Move a case on (or close it): refused, with each missing piece named and linked, until it is complete."""
    case = get_object_or_404(visible_cases(request.user), pk=pk)
    if not (
        CaseHandler.objects.filter(case=case, officer=request.user).exists() or scope_for(request.user).department_ids
    ):
        raise Http404

    def move(data: dict) -> None:
        try:
            actions.move_case(case, data["stage"], acting_user=request.user)
        except actions.GateClosed as closed:  # each missing piece after what it is about
            raise ValidationError([_("The case cannot move on yet:"), *closed.messages]) from closed

    form = MoveForm(request.POST, stages=Stage.objects.filter(order__gt=case.stage.order))
    return act(
        request, case, move, form=form,
        done=lambda _moved: _("The case is now at %(stage)s.") % {"stage": form.cleaned_data["stage"]},
    )  # fmt: skip


def case_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if not (scope.headed_department_ids or scope.is_administrator or scope.case_institution_ids):
        raise Http404
    departments = Department.objects.filter(
        Q(pk__in=scope.headed_department_ids) | Q(institution__in=case_register_institutions(request.user))
    ).select_related("institution")
    officers = Officer.objects.filter(department__in=departments, is_active=True).select_related("department")
    form = CaseForm(request.POST or None, departments=departments, officers=officers)

    def register(data: dict) -> Case:
        parties = [actions.PartyData(PartyRole.PARTY, n.strip()) for n in data["parties"].splitlines() if n.strip()]
        for line in data["agents"].splitlines():
            name, _sep, firm = line.replace("（", "(").replace("）", ")").partition("(")
            if name.strip():
                parties.append(actions.PartyData(PartyRole.AGENT, name.strip(), firm.rstrip(")").strip()))
        return actions.create_case(
            department=data["department"], number=data["number"], title=data["title"],
            case_type=data["case_type"], received_on=data["received_on"], due_on=data["due_on"],
            handlers=list(data["handlers"]), parties=parties, acting_user=request.user,
        )  # fmt: skip

    return submit(
        request, form, register, done=_("The case has been registered."), template="risks/form.html",
        context={"title": _("New case")},
    )  # fmt: skip


# --- supervision notices -------------------------------------------------------------------------------------


class NoticeListView(ScopedListView):
    """督办通知: open ones first, then the closed, newest first."""

    title = gettext_lazy("Supervision notices (督办通知书)")
    export_name = "notices"
    table_class = NoticeTable
    filterset_class = NoticeFilterSet

    def scoped_queryset(self, user: Officer) -> QuerySet[SupervisionNotice]:
        return visible_notices(user).order_by(F("closed_at").desc(nulls_first=True), "-issued_at", "-pk")


def notice_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    notice = get_object_or_404(visible_notices(request.user), pk=pk)
    addressee = notice.addressed_to_id == request.user.pk and notice.closed_at is None
    context = {
        "notice": notice,
        "can_acknowledge": addressee and notice.acknowledged_at is None,
        "answer_form": TextForm() if addressee and notice.answered_at is None else None,
    }
    return render(request, "cases/notice_detail.html", context)


def notice_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The notice as a one-page PDF to print and file; it prints what is recorded and records nothing."""
    notice = get_object_or_404(visible_notices(request.user), pk=pk)
    response = HttpResponse(documents.notice_pdf(notice), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="notice-{notice.year}-{notice.serial}.pdf"'
    return response


def card_pdf(request: AuthenticatedHttpRequest, pk: int, party: int) -> HttpResponse:
    """A party's supervision card (廉政监督卡) to hand over, for anyone who sees the case; numbered when it is first
    printed, the same number after."""
    case = get_object_or_404(visible_cases(request.user).select_related("institution"), pk=pk)
    card = notices.issue_card(case, get_object_or_404(case.parties, pk=party), acting_user=request.user)
    response = HttpResponse(documents.card_pdf(card, policy_for(case.institution)), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="card-{card.year}-{card.serial}.pdf"'
    return response


@require_POST
def notice_acknowledge(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    notice = get_object_or_404(visible_notices(request.user).filter(addressed_to=request.user), pk=pk)
    notices.acknowledge_notice(notice, acting_user=request.user)
    messages.success(request, _("The notice is acknowledged."))
    return redirect(notice)


@require_POST
def notice_answer(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    notice = get_object_or_404(visible_notices(request.user).filter(addressed_to=request.user), pk=pk)
    return act(
        request, notice, form=TextForm(request.POST), done=_("Your answer has been sent."),
        action=lambda data: notices.answer_notice(notice, answer=data["text"], acting_user=request.user),
    )  # fmt: skip
