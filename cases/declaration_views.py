"""Cases pages of the handlers' integrity declarations and their declared relations: filing, amending, reviewing,
deciding a relation conflict."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases import actions, declarations
from cases.choices import ConflictDecision, ReviewStatus
from cases.forms import (
    CommentForm,
    ConflictDecisionForm,
    DeclarationForm,
    RelationForm,
    TextForm,
)
from cases.models import Declaration
from cases.queries import (
    questions_for,
    reviewable_declarations,
    visible_declarations,
    visible_relations,
)
from integrity import audit
from integrity.choices import AuditEventKind
from integrity.http import AuthenticatedHttpRequest
from integrity.models import Officer
from integrity.queries import (
    scope_for,
)
from integrity.views import act, submit

# --- declarations --------------------------------------------------------------------------------------------


def declaration_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    declaration = get_object_or_404(visible_declarations(request.user), pk=pk)
    if declaration.officer_id != request.user.pk:  # someone else's declaration: who read it is kept
        audit.record(AuditEventKind.VIEWED, request=request, target=f"declaration:{declaration.pk}")
    return render(request, "cases/declaration_detail.html", _declaration_page(request, declaration))


def _declaration_page(
    request: AuthenticatedHttpRequest,
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
        context["review_form"] = CommentForm()
    return context


def _replacements(declaration: Declaration) -> QuerySet[Officer]:
    """Who may take a recused handler's place: active officers of the case's institution not handling it already."""
    case = declaration.case
    return (
        Officer.objects.filter(institution_id=case.institution_id, is_active=True)
        .exclude(case_assignments__case=case)
        .select_related("department")
        .order_by("department__order", "full_name")
    )


@require_POST
def declaration_submit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    declaration = get_object_or_404(visible_declarations(request.user).filter(officer=request.user), pk=pk)
    conflicted = declarations.has_conflict(declaration)
    questions = questions_for(declaration.case.institution)
    form = DeclarationForm(request.POST, questions=questions, conflicted=conflicted)
    return submit(
        request, form,
        lambda data: declarations.submit_declaration(
            declaration, form.answers(), explanation=data.get("explanation", ""), acting_user=request.user
        ),
        done=_("Your declaration has been submitted."), to=declaration, template="cases/declaration_detail.html",
        context=_declaration_page(request, declaration, form=form),
    )  # fmt: skip


@require_POST
def declaration_amend(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    declaration = get_object_or_404(visible_declarations(request.user).filter(officer=request.user), pk=pk)
    return act(
        request, declaration, form=TextForm(request.POST),
        done=_("Your correction has been added; the original stays as submitted."),
        action=lambda data: declarations.amend_declaration(declaration, text=data["text"], acting_user=request.user),
    )  # fmt: skip


@require_POST
def declaration_review(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    declaration = get_object_or_404(reviewable_declarations(request.user), pk=pk)
    return act(
        request, declaration,
        lambda data: declarations.review_declaration(declaration, comment=data["text"], acting_user=request.user),
        done=_("The review has been recorded."), form=CommentForm(request.POST),
    )  # fmt: skip


@require_POST
def declaration_decide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The reviewer decides a relation conflict: recuse the handler, naming who takes the case, or keep them."""
    declaration = get_object_or_404(reviewable_declarations(request.user).select_related("case"), pk=pk)
    form = ConflictDecisionForm(request.POST, candidates=_replacements(declaration))
    return submit(
        request, form,
        lambda data: declarations.decide_conflict(
            declaration, recuse=data["decision"] == ConflictDecision.RECUSE, reason=data["reason"],
            replacement=data["replacement"], acting_user=request.user,
        ),
        done=_("The decision has been recorded."), to=declaration, template="cases/declaration_detail.html",
        context={"form": None} | _declaration_page(request, declaration, decision_form=form),
    )  # fmt: skip


# --- relations -----------------------------------------------------------------------------------------------


def relations(request: AuthenticatedHttpRequest) -> HttpResponse:
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
def relation_review(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    scope = scope_for(request.user)
    if not scope.watches_institution:
        raise Http404
    relation = get_object_or_404(visible_relations(request.user).exclude(officer=request.user), pk=pk)
    actions.review_relation(relation, acting_user=request.user)
    messages.success(request, _("The relation has been reviewed."))
    return redirect("cases:relations")
