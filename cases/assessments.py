"""Writes of the risk assessments of a case (风险评估): saving and submitting one, marking that the facts changed,
the approval route, closing feedback. One function per change, atomic, with ``acting_user``."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.choices import (
    ApprovalLevel,
    AssessmentOccasion,
    AssessmentStatus,
    Decision,
    RiskColour,
)
from cases.grades import assessments_changed
from cases.models import (
    Approval,
    Assessment,
    Case,
    CaseHandler,
    ColourGrade,
    RiskFactor,
    SupervisionNotice,
)
from cases.notices import notices_changed
from cases.queries import (
    NOT_SUPERSEDED,
    current_assessment,
    deadlines_for,
    policy_for,
    reassessed_orders,
    visible_cases,
)
from cases.rules import (
    approval_route,
    colour_for,
    next_approval_level,
    reassessment_due,
)
from integrity import notify
from integrity.actions import audited, claim
from integrity.choices import Role
from integrity.models import Officer
from integrity.queries import chain_for, scope_for
from integrity.routing import Person


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
    assessments_changed()
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
    assessments_changed()
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
    assessments_changed()
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
    if assessment.status != AssessmentStatus.PENDING or assessment.next_level is None:
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
    assessments_changed()
    return assessment


def _supersede(assessment: Assessment, acting_user: Officer) -> None:
    """A re-assessment approved: the deadline runs from now, and a supervision notice over the one it follows is
    closed, its obligation replaced."""
    if assessment.previous_id is None:
        return
    for notice in SupervisionNotice.objects.filter(assessment_id=assessment.previous_id, closed_at__isnull=True):
        if claim(
            notice,
            Q(closed_at__isnull=True),
            acting_user=acting_user,
            reason=_("Re-assessed"),
            closed_at=timezone.now(),
        ):
            notices_changed()


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
    assessments_changed()
    notice = SupervisionNotice.objects.filter(assessment=assessment).first()
    if notice is not None:
        closed = timezone.now()
        if claim(notice, Q(closed_at__isnull=True), acting_user=acting_user, reason=_("Risk closed"), closed_at=closed):
            notices_changed()
    return assessment
