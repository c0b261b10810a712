"""Writes of the cases app: one function per change, atomic, with ``acting_user``.

The gate (``cases.queries.gate_for``) is asked by ``move_case`` — the only way a case changes stage — so the
page, the import and any job are held by the same rule.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import seals
from cases.choices import (
    ApprovalLevel,
    AssessmentOccasion,
    AssessmentStatus,
    ConflictDecision,
    Decision,
    QuestionKind,
    ReviewStatus,
    RiskColour,
)
from cases.models import (
    Approval,
    Assessment,
    Case,
    CaseHandler,
    CaseParty,
    ColourGrade,
    ConflictMatch,
    Declaration,
    DeclarationAmendment,
    DeclarationAnswer,
    DeclarationQuestion,
    DeclaredRelation,
    RiskFactor,
    Stage,
    SupervisionCard,
    SupervisionNotice,
)
from cases.queries import (
    NOT_SUPERSEDED,
    current_assessment,
    deadlines_for,
    gate_for,
    policy_for,
    questions_for,
    reassessed_orders,
    reviewable_declarations,
    visible_cases,
)
from cases.rules import (
    Missing,
    approval_route,
    colour_for,
    next_approval_level,
    normalise_name,
    normalise_organisation,
    reassessment_due,
)
from integrity import events, notify
from integrity.actions import audited, claim
from integrity.choices import Role
from integrity.models import Department, Institution, Officer
from integrity.queries import chain_for, scope_for
from integrity.routing import Person


class GateClosed(ValidationError):
    """A case was asked to move on while something it needs is missing; ``missing`` says what."""

    def __init__(self, missing: list[Missing]) -> None:
        super().__init__([m.text for m in missing])
        self.missing = missing


# --- relations and screening ---------------------------------------------------------------------------------


@transaction.atomic
def declare_relation(
    officer: Officer, *, name: str, relation: str, occupation: str, employer: str = "", acting_user: Officer
) -> DeclaredRelation:
    if acting_user.pk != officer.pk:
        raise PermissionDenied
    declared = DeclaredRelation(
        officer=officer,
        name=name.strip(),
        relation=relation,
        occupation=occupation,
        employer=employer.strip(),
        name_key=normalise_name(name),
        employer_key=normalise_organisation(employer),
    )
    declared.full_clean(exclude=["name_key", "employer_key"])
    audited(declared, acting_user).save()
    # A new relation may conflict with cases already open: screen them now.
    screen_cases(CaseHandler.objects.filter(officer=officer).values_list("case_id", flat=True))
    return declared


@transaction.atomic
def review_relation(relation: DeclaredRelation, *, acting_user: Officer) -> DeclaredRelation:
    DeclaredRelation.objects.filter(pk=relation.pk).update(reviewed_by=acting_user, reviewed_at=timezone.now())
    relation.refresh_from_db()
    return relation


def screen_cases(case_ids: Iterable[int], *, chunk: int = 5000) -> int:
    """Match the parties and agents of the given cases against their handlers' declared relations, by
    normalised name and by employer / law firm. Set-based: a constant number of queries per chunk of cases,
    never one per case. Returns how many new matches were found."""
    case_ids = list(case_ids)
    found = 0
    for start in range(0, len(case_ids), chunk):
        ids = case_ids[start : start + chunk]
        relations = DeclaredRelation.objects.filter(
            is_current=True, officer__case_assignments__case_id__in=ids
        ).distinct()
        by_officer: dict[int, list[DeclaredRelation]] = defaultdict(list)
        for relation in relations:
            by_officer[relation.officer_id].append(relation)
        if not by_officer:
            continue
        handlers: dict[int, list[int]] = defaultdict(list)
        for case_id, officer_id in CaseHandler.objects.filter(
            case_id__in=ids, officer_id__in=list(by_officer)
        ).values_list("case_id", "officer_id"):
            handlers[case_id].append(officer_id)
        names = {r.name_key for rs in by_officer.values() for r in rs}
        employers = {r.employer_key for rs in by_officer.values() for r in rs if r.employer_key}
        parties = CaseParty.objects.filter(case_id__in=list(handlers)).filter(
            Q(name_key__in=names) | Q(organisation_key__in=employers)
        )
        matches = []
        for party in parties:
            for officer_id in handlers[party.case_id]:
                for relation in by_officer[officer_id]:
                    on_name = relation.name_key == party.name_key
                    on_employer = bool(relation.employer_key) and relation.employer_key == party.organisation_key
                    if on_name or on_employer:
                        matches.append(
                            ConflictMatch(
                                case_id=party.case_id,
                                officer_id=officer_id,
                                relation=relation,
                                party=party,
                                on_employer=on_employer and not on_name,
                            )
                        )
        before = ConflictMatch.objects.filter(case_id__in=ids).count()
        ConflictMatch.objects.bulk_create(matches, ignore_conflicts=True)
        found += ConflictMatch.objects.filter(case_id__in=ids).count() - before
        Case.objects.filter(pk__in={m.case_id for m in matches}, has_conflict=False).update(has_conflict=True)
        _reopen_for_decision({(m.case_id, m.officer_id) for m in matches})
    return found


def _reopen_for_decision(pairs: set[tuple[int, int]]) -> None:
    """A conflict found after the handler filed (a relation declared later, a party added) sends the filed
    declaration back to the reviewer for a decision. Conflicts are few: one claim, with its history row, each."""
    if not pairs:
        return
    filed = Declaration.objects.filter(
        Q(*[Q(case_id=case_id, officer_id=officer_id) for case_id, officer_id in pairs], _connector=Q.OR),
        submitted_at__isnull=False,
        conflict_decision="",
    ).exclude(review_status=ReviewStatus.PENDING)
    for declaration in filed:
        claim(
            declaration, Q(conflict_decision="", submitted_at__isnull=False), acting_user=None,
            reason=_("A relation conflict was found: it awaits the reviewer's decision."),
            review_status=ReviewStatus.PENDING,
        )  # fmt: skip
        events.officers_changed(declaration.officer_id)


# --- cases -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PartyData:
    role: str
    name: str
    organisation: str = ""


def party_row(case_id: int, data: PartyData) -> CaseParty:
    return CaseParty(
        case_id=case_id,
        role=data.role,
        name=data.name,
        organisation=data.organisation,
        name_key=normalise_name(data.name),
        organisation_key=normalise_organisation(data.organisation),
    )


def first_stage() -> Stage:
    return Stage.objects.order_by("order").first()


@transaction.atomic
def create_case(
    *,
    department: Department,
    number: str,
    title: str,
    case_type: str,
    received_on: datetime.date,
    due_on: datetime.date | None = None,
    handlers: Sequence[Officer],
    parties: Sequence[PartyData] = (),
    acting_user: Officer | None,
) -> Case:
    """Register a case by hand: it enters at the first stage, its handlers' declarations become due, and its
    parties are screened against the handlers' declared relations."""
    if not handlers:
        raise ValidationError(_("A case needs at least one handler."))
    if Case.objects.filter(number=number).exists():
        raise ValidationError(_("A case numbered %(number)s already exists.") % {"number": number})
    case = audited(
        Case(
            institution=department.institution,
            department=department,
            number=number,
            title=title,
            case_type=case_type,
            stage=first_stage(),
            received_on=received_on,
            due_on=due_on,
        ),
        acting_user,
        _("Registered"),
    )
    case.full_clean(exclude=["stage"])
    case.save()
    CaseParty.objects.bulk_create(party_row(case.pk, p) for p in parties)
    assign_handlers(case, handlers, assigned_on=received_on, acting_user=acting_user)
    return case


def assign_handlers(
    case: Case, officers: Sequence[Officer], *, assigned_on: datetime.date, acting_user: Officer | None
) -> None:
    """Make officers handlers of ``case`` (the first the lead); each one's declaration becomes due."""
    policy = policy_for(case.institution)
    due_on = deadlines_for(case.institution, policy).after(assigned_on, policy.declaration_days)
    CaseHandler.objects.bulk_create(
        [CaseHandler(case=case, officer=o, is_lead=n == 0, assigned_on=assigned_on) for n, o in enumerate(officers)],
        ignore_conflicts=True,
    )
    Declaration.objects.bulk_create(
        [Declaration(case=case, officer=o, due_on=due_on) for o in officers],
        ignore_conflicts=True,
    )
    screen_cases([case.pk])
    events.officers_changed(*(o.pk for o in officers))


@transaction.atomic
def replace_handler(case: Case, old: Officer, new: Officer, *, reason: str, acting_user: Officer | None) -> None:
    """``new`` handles ``case`` in ``old``'s place (a recusal): ``old`` leaves it, ``new`` takes their place as lead
    or co-handler, and ``new``'s declaration becomes due. ``old``'s declaration stays as filed. Recorded on the case's
    history with who and why."""
    handler = CaseHandler.objects.select_for_update().get(case=case, officer=old)
    policy = policy_for(case.institution)
    today = timezone.localdate()
    due_on = deadlines_for(case.institution, policy).after(today, policy.declaration_days)
    CaseHandler.objects.create(case=case, officer=new, is_lead=handler.is_lead, assigned_on=today)
    handler.delete()
    Declaration.objects.get_or_create(case=case, officer=new, defaults={"due_on": due_on})
    note = _("%(new)s handles the case in place of %(old)s: %(reason)s") % {
        "old": old.full_name, "new": new.full_name, "reason": reason,
    }  # fmt: skip
    audited(case, acting_user, note).save(update_fields=["updated_at"])
    screen_cases([case.pk])
    events.officers_changed(old.pk, new.pk)


def hand_over_cases(officer: Officer, successor: Officer | None, acting_user: Officer | None) -> None:
    """``integrity.departures``: the officer's open cases go to the successor, who owes their declarations; a
    departure with open cases and no successor is refused."""
    cases = list(Case.objects.filter(case_handlers__officer=officer, closed_on__isnull=True).order_by("pk"))
    if cases and successor is None:
        raise ValidationError(
            _("%(officer)s handles %(n)s open case(s): name the successor who takes them over.")
            % {"officer": officer.full_name, "n": len(cases)}
        )
    reason = _("Handed over on departure")
    for case in cases:
        if CaseHandler.objects.filter(case=case, officer=successor).exists():
            leaving = CaseHandler.objects.get(case=case, officer=officer)
            if leaving.is_lead:
                CaseHandler.objects.filter(case=case, officer=successor).update(is_lead=True)
            leaving.delete()
            audited(case, acting_user, reason).save(update_fields=["updated_at"])
        else:
            replace_handler(case, officer, successor, reason=reason, acting_user=acting_user)


@transaction.atomic
def move_case(case: Case, stage: Stage, *, closed_on: datetime.date | None = None, acting_user: Officer | None) -> Case:
    """Move a case to a later stage, or close it. Refused (``GateClosed``) while its assessment is not approved
    or a handler's declaration is missing."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if stage.order <= case.stage.order:
        raise ValidationError(_("A case only moves forward."))
    missing = gate_for(case)
    if missing:
        raise GateClosed(missing)
    case.stage = stage
    if stage.is_final:
        case.closed_on = closed_on or timezone.localdate()
    audited(case, acting_user, _("Moved to %(stage)s") % {"stage": stage.name}).save(
        update_fields=["stage", "closed_on", "updated_at"]
    )
    return case


# --- declarations --------------------------------------------------------------------------------------------


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
    if recuse and (replacement is None or replacement.pk == declaration.officer_id):
        raise ValidationError(_("Name the officer who handles the case in the recused handler's place."))
    if recuse and not (replacement.is_active and replacement.institution_id == declaration.case.institution_id):
        raise ValidationError(_("The case is handed to an officer of its own institution."))
    if recuse and CaseHandler.objects.filter(case_id=declaration.case_id, officer=replacement).exists():
        raise ValidationError(_("%(name)s already handles this case.") % {"name": replacement.full_name})
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
    if recuse:
        case, reason = declaration.case, reason.strip()
        replace_handler(case, declaration.officer, replacement, reason=reason, acting_user=acting_user)
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


# --- assessments ---------------------------------------------------------------------------------------------


@transaction.atomic
def save_assessment(case: Case, *, factors: Sequence[RiskFactor], plan: str, acting_user: Officer) -> Assessment:
    """The handler scores the case from the checklist and writes the handling plan (预案). Only a draft or a
    returned assessment can be changed; a case with none, or one that has reached a re-assessed stage since, gets a
    new one for its stage, linked to the one before. An approved assessment is never edited."""
    if not CaseHandler.objects.filter(case=case, officer=acting_user).exists():
        raise PermissionDenied
    case = Case.objects.select_for_update().select_related("stage").get(pk=case.pk)  # one new assessment at a time
    current = current_assessment(case)
    if current is not None and current.status in (AssessmentStatus.DRAFT, AssessmentStatus.RETURNED):
        assessment = current
    elif current is None or reassessment_due(case.stage.order, current.stage.order, reassessed_orders()):
        occasion = AssessmentOccasion.FILING if current is None else AssessmentOccasion.STAGE
        assessment = Assessment(
            case=case, author=acting_user, stage=case.stage, previous=current, occasion=occasion,
            due_on=assessment_due(case, occasion),
        )  # fmt: skip
    else:
        raise ValidationError(
            _("This assessment has been submitted and can no longer be changed. If the facts have changed, mark it.")
        )
    score = sum(f.weight for f in factors)
    grade = colour_for(score, list(ColourGrade.objects.all()))
    assessment.score, assessment.colour, assessment.plan = score, grade.colour, plan
    audited(assessment, acting_user).save()
    assessment.factors.set(factors)
    return assessment


def assessment_due(case: Case, occasion: str) -> datetime.date:
    """The filing assessment is due the policy's days after the case was received; a re-assessment, after it was
    opened."""
    policy = policy_for(case.institution)
    start = case.received_on if occasion == AssessmentOccasion.FILING else timezone.localdate()
    return deadlines_for(case.institution, policy).after(start, policy.assessment_days)


def may_mark_facts_changed(user: Officer, case: Case) -> bool:
    """The case's handlers, and the leaders over its department: its head, the deputy in charge, the principal
    leader."""
    if CaseHandler.objects.filter(case=case, officer=user).exists():
        return True
    scope = scope_for(user)
    if not visible_cases(user).filter(pk=case.pk).exists():
        return False
    return scope.is_superuser or case.department_id in scope.department_ids or scope.has_role(Role.PRINCIPAL_LEADER)


@transaction.atomic
def mark_facts_changed(case: Case, *, reason: str, acting_user: Officer) -> Assessment:
    """The facts of the case changed (new evidence, a party's reaction, a change of charge): a new draft assessment
    for the lead handler to score, starting from the current one, which holds the case until it is approved. The
    approved one stays as it was and counts until then."""
    if not may_mark_facts_changed(acting_user, case):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError(_("Say what has changed."))
    case = Case.objects.select_for_update().select_related("stage").get(pk=case.pk)
    if case.closed_on is not None:
        raise ValidationError(_("The case is closed."))
    current = current_assessment(case)
    if current is None:
        raise ValidationError(_("The case has not been assessed yet."))
    if current.status not in (AssessmentStatus.APPROVED, AssessmentStatus.CLOSED):
        raise ValidationError(_("The case's assessment is still under way: change it, or have it returned."))
    lead = CaseHandler.objects.filter(case=case).order_by("-is_lead", "pk").values_list("officer_id", flat=True)
    assessment = Assessment(
        case=case, author_id=lead.first() or current.author_id, stage=case.stage, previous=current,
        occasion=AssessmentOccasion.FACTS, occasion_note=reason.strip(), score=current.score, colour=current.colour,
        plan=current.plan, due_on=assessment_due(case, AssessmentOccasion.FACTS),
    )  # fmt: skip
    audited(assessment, acting_user, reason.strip()).save()
    assessment.factors.set(current.factors.all())
    return assessment


@transaction.atomic
def submit_assessment(assessment: Assessment, *, acting_user: Officer) -> Assessment:
    if assessment.author_id != acting_user.pk:
        raise PermissionDenied
    if not assessment.plan.strip():
        raise ValidationError(_("Write the handling plan before submitting."))
    grade = ColourGrade.objects.get(colour=assessment.colour)
    first = ApprovalLevel.DEPARTMENT_HEAD
    level, approver = approval_route(Person.of(acting_user), chain_for(), first, grade.approval_level)
    if not claim(
        assessment,
        Q(status__in=[AssessmentStatus.DRAFT, AssessmentStatus.RETURNED]),
        acting_user=acting_user,
        reason=_("Submitted"),
        status=AssessmentStatus.PENDING,
        next_level=level or ApprovalLevel.DEPARTMENT_HEAD,
        approver_id=approver,
        submitted_at=timezone.now(),
    ):
        raise ValidationError(_("This assessment is not a draft."))
    _tell_leaders(assessment)
    return assessment


def _tell_leaders(assessment: Assessment) -> None:
    """An orange or red assessment is told at once, when it is graded, to the leaders over the case: the deputies
    in charge of its department, and for red the principal leaders too — whether or not the approval reaches them."""
    if assessment.colour not in (RiskColour.ORANGE, RiskColour.RED):
        return
    case, chain = assessment.case, chain_for()
    leaders = set(chain.deputies.get(case.department_id, ()))
    if assessment.colour == RiskColour.RED:
        leaders |= chain.principals.get(case.institution_id, frozenset())
    text = _("Case %(number)s is assessed %(colour)s: %(title)s") % {
        "number": case.number, "colour": assessment.get_colour_display(), "title": case.title,
    }  # fmt: skip
    notify.tell(
        leaders - {assessment.author_id}, occasion=f"assessment:{assessment.pk}", text=text,
        url=assessment.get_absolute_url(),
    )  # fmt: skip


def reroute_assessments(officer_ids: set[int]) -> int:
    """Roles or posts changed: the pending assessments of these authors go to whoever approves them now (subscribed
    to ``integrity.events.routes_changed``). Returns how many moved."""
    pending = list(
        Assessment.objects.filter(status=AssessmentStatus.PENDING, author_id__in=officer_ids).select_related("author")
    )
    if not pending:
        return 0
    chain = chain_for()
    required = dict(ColourGrade.objects.values_list("colour", "approval_level"))
    approved = defaultdict(set)
    for assessment_id, approver_id in Approval.objects.filter(
        assessment__in=pending, decision=Decision.APPROVE
    ).values_list("assessment_id", "approver_id"):
        approved[assessment_id].add(approver_id)
    moved = []
    for assessment in pending:
        level, approver = approval_route(
            Person.of(assessment.author), chain, assessment.next_level, required[assessment.colour],
            approved[assessment.pk],
        )  # fmt: skip
        if (level, approver) != (assessment.next_level, assessment.approver_id) and level is not None:
            assessment.next_level, assessment.approver_id = level, approver
            moved.append(assessment)
    for assessment in moved:
        reason = _("Re-routed: who approves has changed")
        audited(assessment, None, reason).save(update_fields=["next_level", "approver"])
    return len(moved)


@transaction.atomic
def decide_assessment(assessment: Assessment, *, approve: bool, reason: str = "", acting_user: Officer) -> Assessment:
    """One approver's decision. Blue and yellow stop at the department head, orange goes on to the deputy in
    charge, red to the principal leader; a return (with its reason) sends it back to the handler."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.status != AssessmentStatus.PENDING:
        raise ValidationError(_("This assessment is not awaiting approval."))
    if not approve and not reason.strip():
        raise ValidationError(_("Say why the assessment is returned."))
    if assessment.approver_id not in (None, acting_user.pk) and not acting_user.is_superuser:
        raise PermissionDenied
    level = assessment.next_level
    Approval.objects.create(
        assessment=assessment,
        level=level,
        approver=acting_user,
        decision=Decision.APPROVE if approve else Decision.RETURN,
        reason=reason,
    )
    if not approve:
        assessment.status, assessment.next_level, assessment.approver = AssessmentStatus.RETURNED, None, None
    else:
        grade = ColourGrade.objects.get(colour=assessment.colour)
        approved_by = set(assessment.approvals.filter(decision=Decision.APPROVE).values_list("approver_id", flat=True))
        following, approver = approval_route(
            Person.of(assessment.author), chain_for(), next_approval_level(level, grade.approval_level),
            grade.approval_level, approved_by,
        )  # fmt: skip
        if following is None:
            today = timezone.localdate()
            assessment.status, assessment.next_level, assessment.approver = AssessmentStatus.APPROVED, None, None
            assessment.approved_at = timezone.now()
            assessment.deadline = deadlines_for(assessment.case.institution).after(today, grade.deadline_days)
            _supersede(assessment, acting_user)
        else:
            assessment.next_level, assessment.approver_id = following, approver
    audited(assessment, acting_user, reason).save()
    return assessment


def _supersede(assessment: Assessment, acting_user: Officer) -> None:
    """A re-assessment approved: the deadline runs from now, and a supervision notice over the one it follows is
    closed, its obligation replaced."""
    if assessment.previous_id is None:
        return
    for notice in SupervisionNotice.objects.filter(assessment_id=assessment.previous_id, closed_at__isnull=True):
        claim(
            notice,
            Q(closed_at__isnull=True),
            acting_user=acting_user,
            reason=_("Re-assessed"),
            closed_at=timezone.now(),
        )


@transaction.atomic
def file_feedback(assessment: Assessment, *, feedback: str, acting_user: Officer) -> Assessment:
    """结案反馈 — the handler reports how the risk was resolved when the case is done."""
    if assessment.author_id != acting_user.pk:
        raise PermissionDenied
    if not feedback.strip():
        raise ValidationError(_("Write the closing feedback."))
    if not claim(
        assessment,
        Q(NOT_SUPERSEDED, status=AssessmentStatus.APPROVED),
        acting_user=acting_user,
        reason=_("Closing feedback"),
        status=AssessmentStatus.CLOSED,
        feedback=feedback.strip(),
        feedback_at=timezone.now(),
    ):
        raise ValidationError(_("Only an approved assessment takes closing feedback."))
    notice = SupervisionNotice.objects.filter(assessment=assessment).first()
    if notice is not None:
        closed = timezone.now()
        claim(notice, Q(closed_at__isnull=True), acting_user=acting_user, reason=_("Risk closed"), closed_at=closed)
    return assessment


@dataclass(frozen=True)
class NoticeData:
    """A supervision notice to issue: for which obligation (its kind and record), by which body, to whom."""

    kind: str
    record_id: int
    institution_id: int
    addressed_to_id: int | None
    copied_to_id: int | None
    title: str
    url: str
    text: str
    assessment_id: int | None = None


@transaction.atomic
def issue_notices(notices: Sequence[NoticeData], today: datetime.date) -> int:
    """督办: issue each notice once per obligation, numbered by its body and the year (〔2026〕3号). The bodies are
    locked while numbers are drawn and what is already issued is read again under the lock, so runs at once neither
    issue twice nor draw one number twice. Returns how many were issued."""
    bodies = sorted({n.institution_id for n in notices})
    if not bodies:
        return 0
    list(Institution.objects.select_for_update().filter(pk__in=bodies).order_by("pk").values_list("pk", flat=True))
    issued = set(
        SupervisionNotice.objects.filter(
            kind__in={n.kind for n in notices}, record_id__in={n.record_id for n in notices}
        ).values_list("kind", "record_id")
    )
    last = dict(
        SupervisionNotice.objects.filter(institution_id__in=bodies, year=today.year)
        .values("institution_id")
        .annotate(last=Max("serial"))
        .values_list("institution_id", "last")
    )
    rows = []
    for n in sorted(notices, key=lambda n: (n.institution_id, n.kind, n.record_id)):
        if (n.kind, n.record_id) in issued:
            continue
        issued.add((n.kind, n.record_id))
        last[n.institution_id] = serial = last.get(n.institution_id, 0) + 1
        rows.append(
            SupervisionNotice(
                kind=n.kind,
                record_id=n.record_id,
                title=n.title[:200],
                url=n.url,
                assessment_id=n.assessment_id,
                institution_id=n.institution_id,
                year=today.year,
                serial=serial,
                addressed_to_id=n.addressed_to_id,
                copied_to_id=n.copied_to_id,
                text=n.text,
            )
        )
    SupervisionNotice.objects.bulk_create(rows)
    return len(rows)


def close_met_notices(kind: str, still_open: set[int]) -> int:
    """Close the open notices of ``kind`` whose obligation is met (its record no longer among ``still_open``), each
    with its history row. Returns how many closed."""
    met = SupervisionNotice.objects.filter(kind=kind, closed_at__isnull=True).exclude(record_id__in=still_open)
    closed = 0
    for notice in met:
        closed += claim(
            notice, Q(closed_at__isnull=True), acting_user=None, reason=_("Obligation met"), closed_at=timezone.now()
        )
    return closed


def issue_supervision_notices(today: datetime.date) -> int:
    """One notice per approved assessment past its deadline, to the handler, copied to their reviewer one level up."""
    overdue = Assessment.objects.filter(
        NOT_SUPERSEDED, status=AssessmentStatus.APPROVED, deadline__lt=today, notice__isnull=True
    ).select_related("case", "author")
    return issue_notices(
        [
            NoticeData(
                kind="cases.assessment",
                record_id=a.pk,
                assessment_id=a.pk,
                institution_id=a.case.institution_id,
                addressed_to_id=a.author_id,
                copied_to_id=a.author.reviewer_id,
                title=_("Case %(number)s") % {"number": a.case.number},
                url=a.get_absolute_url(),
                text=_("Case %(number)s (%(colour)s) was due to be handled by %(deadline)s and is still open.")
                % {"number": a.case.number, "colour": a.get_colour_display(), "deadline": a.deadline},
            )
            for a in overdue.order_by("deadline", "pk")
        ],
        today,
    )


@transaction.atomic
def acknowledge_notice(notice: SupervisionNotice, *, acting_user: Officer) -> SupervisionNotice:
    """签收: the handler confirms receiving the notice; once is enough."""
    if notice.addressed_to_id != acting_user.pk:
        raise PermissionDenied
    claim(notice, Q(acknowledged_at__isnull=True), acting_user=acting_user, acknowledged_at=timezone.now())
    return notice


@transaction.atomic
def answer_notice(notice: SupervisionNotice, *, answer: str, acting_user: Officer) -> SupervisionNotice:
    """反馈: the handler says what has been done and when the risk will be closed; the notice stays open until the
    closing feedback is filed."""
    if notice.addressed_to_id != acting_user.pk:
        raise PermissionDenied
    if not answer.strip():
        raise ValidationError(_("Write what has been done."))
    now = timezone.now()
    if not claim(
        notice, Q(answered_at__isnull=True), acting_user=acting_user, answer=answer.strip(), answered_at=now,
        acknowledged_at=notice.acknowledged_at or now,
    ):  # fmt: skip
        raise ValidationError(_("This notice has already been answered."))
    return notice


def issue_card(case: Case, party: CaseParty, *, acting_user: Officer) -> SupervisionCard:
    """The supervision card (廉政监督卡) of a party of the case: numbered the next of the institution's year the first
    time it is printed, the same card after. Two printers at once cannot take one number (the numbers are unique: the
    one who loses takes the next)."""
    if party.case_id != case.pk:
        raise ValidationError(_("This party is not of this case."))
    year = timezone.localdate().year
    for _attempt in range(5):
        card = SupervisionCard.objects.filter(case=case, party=party).first()
        if card is not None:
            return card
        numbered = SupervisionCard.objects.filter(institution_id=case.institution_id, year=year)
        serial = (numbered.aggregate(last=Max("serial"))["last"] or 0) + 1
        try:
            with transaction.atomic():
                return SupervisionCard.objects.create(
                    case=case, party=party, institution_id=case.institution_id, year=year, serial=serial,
                    printed_by=acting_user,
                )  # fmt: skip
        except IntegrityError:
            continue
    raise ValidationError(_("The card could not be numbered; print it again."))
