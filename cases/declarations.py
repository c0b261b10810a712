"""Writes of the declarations of a case (廉政申报): submitting one, reviewing it, deciding a relation conflict it
shows, amending it after submission. One function per change, atomic, with ``acting_user``."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import seals
from cases.actions import replace_handler
from cases.choices import (
    ConflictDecision,
    QuestionKind,
    ReviewStatus,
)
from cases.models import (
    CaseHandler,
    ConflictMatch,
    Declaration,
    DeclarationAmendment,
    DeclarationAnswer,
    DeclarationQuestion,
)
from cases.queries import (
    questions_for,
    reviewable_declarations,
)
from integrity import events
from integrity.actions import claim
from integrity.models import Officer


@dataclass(frozen=True)
class AnswerData:
    question: DeclarationQuestion
    answer: bool
    details: str = ""
    person: str = ""
    person_relation: str = ""
    occurred_on: datetime.date | None = None
    handling: str = ""


def answer_problems(answers: Sequence[AnswerData], questions: Sequence[DeclarationQuestion]) -> list[str]:
    problems = []
    answered, asked = {a.question.pk for a in answers}, {q.pk for q in questions}
    for question in questions:
        if question.pk not in answered:
            problems.append(_("“%(question)s” is not answered.") % {"question": question.text})
    for a in answers:
        if a.question.pk not in asked:
            problems.append(_("“%(question)s” is not asked in this institution.") % {"question": a.question.text})
    for a in answers:
        if not a.answer:
            continue
        if a.question.kind == QuestionKind.INTERCEDING and not (a.person and a.occurred_on and a.handling):
            problems.append(
                _("“%(question)s”: say who, their relation, when, and how it was handled.")
                % {"question": a.question.text}
            )
        elif a.question.kind != QuestionKind.INTERCEDING and not a.details.strip():
            problems.append(_("“%(question)s”: a yes needs its details.") % {"question": a.question.text})
    return problems


@transaction.atomic
def submit_declaration(
    declaration: Declaration, answers: Sequence[AnswerData], *, explanation: str = "", acting_user: Officer
) -> Declaration:
    """File the handler's declaration: every question answered, every yes with its details. Submitted once — the
    conditional update is the claim; a yes sends it to the reviewer. Where a declared relation of the handler matches
    a party or agent of the case, answering no to recusal needs a written ``explanation``, and the declaration goes
    to the reviewer whatever the answers: the reviewer decides (``decide_conflict``)."""
    if declaration.officer_id != acting_user.pk:
        raise PermissionDenied
    problems = answer_problems(answers, list(questions_for(declaration.case.institution)))
    conflicted = has_conflict(declaration)
    recusing = any(a.answer for a in answers if a.question.kind == QuestionKind.RECUSAL)
    if conflicted and not recusing and not explanation.strip():
        problems.append(
            _(
                "A relation you declared matches a party or agent of this case: answer yes to the recusal question, "
                "or explain why it is no reason to recuse. Your reviewer decides either way."
            )
        )
    if problems:
        raise ValidationError(problems)
    has_yes = any(a.answer for a in answers)
    claimed = claim(
        declaration,
        Q(submitted_at__isnull=True),
        acting_user=acting_user,
        reason=_("Submitted"),
        submitted_at=timezone.now(),
        has_yes=has_yes,
        review_status=ReviewStatus.PENDING if has_yes or conflicted else ReviewStatus.NOT_NEEDED,
        conflict_explanation=explanation.strip() if conflicted else "",
    )
    if not claimed:
        raise ValidationError(_("This declaration has already been submitted; corrections are made as amendments."))
    DeclarationAnswer.objects.bulk_create(
        DeclarationAnswer(
            declaration=declaration,
            question=a.question,
            question_text=a.question.text,
            answer=a.answer,
            details=a.details if a.answer else "",
            person=a.person if a.answer else "",
            person_relation=a.person_relation if a.answer else "",
            occurred_on=a.occurred_on if a.answer else None,
            handling=a.handling if a.answer else "",
        )
        for a in answers
    )
    declaration.refresh_from_db()
    seals.seal(declaration)
    events.officers_changed(declaration.officer_id)
    return declaration


def _successor(declaration: Declaration, replacement: Officer | None) -> Officer:
    """Who takes the case over from a recused handler: another active officer of the case's institution, not yet
    one of its handlers."""
    if replacement is None or replacement.pk == declaration.officer_id:
        raise ValidationError(_("Name the officer who handles the case in the recused handler's place."))
    if not (replacement.is_active and replacement.institution_id == declaration.case.institution_id):
        raise ValidationError(_("The case is handed to an officer of its own institution."))
    if CaseHandler.objects.filter(case_id=declaration.case_id, officer=replacement).exists():
        raise ValidationError(_("%(name)s already handles this case.") % {"name": replacement.full_name})
    return replacement


def has_conflict(declaration: Declaration) -> bool:
    """Whether a declared relation of the declaration's handler matches a party or agent of its case."""
    return ConflictMatch.objects.filter(case_id=declaration.case_id, officer_id=declaration.officer_id).exists()


@transaction.atomic
def review_declaration(declaration: Declaration, *, comment: str = "", acting_user: Officer) -> Declaration:
    if declaration.officer_id == acting_user.pk:
        raise PermissionDenied
    if has_conflict(declaration) and not declaration.conflict_decision:
        raise ValidationError(_("A relation conflict is decided, not only reviewed: recuse the handler or keep them."))
    if not claim(
        declaration,
        Q(review_status=ReviewStatus.PENDING),
        acting_user=acting_user,
        reason=comment,
        review_status=ReviewStatus.CLEARED,
        reviewed_by=acting_user,
        reviewed_at=timezone.now(),
        review_comment=comment,
    ):
        raise ValidationError(_("This declaration is not awaiting review."))
    events.officers_changed(declaration.officer_id)
    return declaration


@transaction.atomic
def decide_conflict(
    declaration: Declaration,
    *,
    recuse: bool,
    reason: str,
    replacement: Officer | None = None,
    acting_user: Officer,
) -> Declaration:
    """The reviewer decides a relation conflict: the handler keeps the case (with the reason) or is recused and
    ``replacement`` handles it in their place (``replace_handler``: their own declaration becomes due). Either way
    the decision, who made it and why stay on the declaration and its history."""
    if not reviewable_declarations(acting_user).filter(pk=declaration.pk).exists():
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError(_("Say why."))
    successor = _successor(declaration, replacement) if recuse else None
    if not claim(
        declaration,
        Q(review_status=ReviewStatus.PENDING, conflict_decision="", submitted_at__isnull=False),
        acting_user=acting_user,
        reason=reason.strip(),
        review_status=ReviewStatus.CLEARED,
        conflict_decision=ConflictDecision.RECUSE if recuse else ConflictDecision.KEEP,
        reviewed_by=acting_user,
        reviewed_at=timezone.now(),
        review_comment=reason.strip(),
    ):
        raise ValidationError(_("This declaration is not awaiting a decision."))
    if successor is not None:
        case, reason = declaration.case, reason.strip()
        replace_handler(case, declaration.officer, successor, reason=reason, acting_user=acting_user)
    events.officers_changed(declaration.officer_id)
    return declaration


@transaction.atomic
def amend_declaration(declaration: Declaration, *, text: str, acting_user: Officer) -> DeclarationAmendment:
    """A correction keeps the original: both are shown. A correction that adds something goes back to review."""
    if declaration.officer_id != acting_user.pk:
        raise PermissionDenied
    if declaration.submitted_at is None:
        raise ValidationError(_("Submit the declaration first; corrections are for submitted declarations."))
    if not text.strip():
        raise ValidationError(_("Write the correction."))
    amendment = DeclarationAmendment.objects.create(declaration=declaration, text=text.strip(), created_by=acting_user)
    claim(
        declaration,
        ~Q(review_status=ReviewStatus.PENDING),
        acting_user=acting_user,
        reason=_("Corrected"),
        review_status=ReviewStatus.PENDING,
    )
    return amendment
