"""Writes of the risks app: one function per change, atomic, with ``acting_user`` recorded in the history.

Jobs (opening the month's checks, the risk tables due after post changes) are set-based and idempotent: the
database's unique constraints decide what exists, so a job run twice, or twice at once, adds nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from integrity import audit
from integrity.actions import audited, claim
from integrity.choices import AuditEventKind
from integrity.models import Department, Institution, Officer, Post
from risks.choices import (
    PROPOSAL_METHODS,
    Grade,
    ProposalStatus,
    RiskScope,
    RiskStatus,
)
from risks.models import (
    FlowStep,
    PowerItem,
    RiskCategory,
    RiskPoint,
    RiskPolicy,
    RiskProposal,
)
from risks.queries import policy_for, reviewable_q
from risks.rules import effective_grade

# --- policy ------------------------------------------------------------------------------------------------


@transaction.atomic
def update_risk_policy(
    institution: Institution,
    *,
    high_threshold: int,
    medium_threshold: int,
    check_due_day: int,
    due_soon_days: int,
    acting_user: Officer,
) -> RiskPolicy:
    """Change the institution's policy; every scored risk point is re-graded by the new thresholds."""
    if not 1 <= medium_threshold < high_threshold <= 25:
        raise ValidationError(_("The medium threshold must be below the high one, both between 1 and 25."))
    policy = policy_for(institution)
    policy.high_threshold, policy.medium_threshold = high_threshold, medium_threshold
    policy.check_due_day, policy.due_soon_days = check_due_day, due_soon_days
    audited(policy, acting_user).save()
    regrade_risk_points(institution, policy)
    audit.record(
        AuditEventKind.POLICY_CHANGED, actor=acting_user, target=f"risk_policy:{institution.pk}",
        high=high_threshold, medium=medium_threshold, due_day=check_due_day, due_soon=due_soon_days,
    )  # fmt: skip
    return policy


def regrade_risk_points(institution: Institution, policy: RiskPolicy) -> None:
    """Three set-based updates: every scored risk point of the institution gets the grade its score now earns."""
    scored = RiskPoint.objects.filter(institution=institution, likelihood__isnull=False, impact__isnull=False)
    score = F("likelihood") * F("impact")
    scored.annotate(score=score).filter(score__gte=policy.high_threshold).update(grade=Grade.HIGH)
    scored.annotate(score=score).filter(score__gte=policy.medium_threshold, score__lt=policy.high_threshold).update(
        grade=Grade.MEDIUM
    )
    scored.annotate(score=score).filter(score__lt=policy.medium_threshold).update(grade=Grade.LOW)


# --- power catalog -----------------------------------------------------------------------------------------

POWER_ITEM_FIELDS = (
    "name",
    "category",
    "content",
    "legal_basis",
    "exercised_by",
    "conditions",
    "procedure",
    "time_limit",
    "supervision",
    "is_active",
)


@transaction.atomic
def save_power_item(
    item: PowerItem | None,
    *,
    department: Department,
    data: dict,
    reason: str = "",
    acting_user: Officer | None,  # None: the command line's import
) -> PowerItem:
    """Create a power item (``item`` None) or change one; the history keeps who, when and why."""
    if item is None:
        item = PowerItem(institution=department.institution)
    item.department = department
    for field in POWER_ITEM_FIELDS:
        if field in data:
            setattr(item, field, data[field])
    item.full_clean(exclude=["institution"])
    audited(item, acting_user, reason).save()
    return item


@dataclass(frozen=True)
class StepData:
    name: str
    actor: str = ""
    description: str = ""


@transaction.atomic
def save_flow_steps(item: PowerItem, steps: Sequence[StepData], *, acting_user: Officer | None) -> list[FlowStep]:
    """Set a power item's flow chart to ``steps`` in order. Steps keep their rows (and their risk points) by
    position; a step that carries risk points cannot be dropped."""
    existing = list(item.steps.order_by("order"))
    dropped = existing[len(steps) :]
    if any(step.risk_points.exists() for step in dropped):
        raise ValidationError(_("A step with risk points attached cannot be removed; move its risk points first."))
    for step in dropped:
        audited(step, acting_user).delete()
    # Shift the kept steps out of the way first, so renumbering never collides with the unique order.
    FlowStep.objects.filter(power_item=item).update(order=F("order") + 1000)
    result = []
    for position, data in enumerate(steps, start=1):
        step = existing[position - 1] if position <= len(existing) else FlowStep(power_item=item)
        step.order, step.name, step.actor, step.description = position, data.name, data.actor, data.description
        audited(step, acting_user).save()
        result.append(step)
    return result


# --- risk points ---------------------------------------------------------------------------------------------


def _target_problems(scope: str, department: Department | None, post: Post | None, institution: Institution) -> list:
    problems = []
    if scope == RiskScope.POST and post is None:
        problems.append(_("A post-level risk needs its post."))
    if scope == RiskScope.DEPARTMENT and department is None:
        problems.append(_("A department-level risk needs its department."))
    if department is not None and department.institution_id != institution.pk:
        problems.append(_("The department must belong to the institution."))
    return problems


@transaction.atomic
def save_risk_point(
    risk_point: RiskPoint | None,
    *,
    institution: Institution,
    data: dict,
    reason: str = "",
    acting_user: Officer | None,
) -> RiskPoint:
    """Create a risk point (``risk_point`` None) or adjust one (动态调整). Adjusting a risk point that has left
    the draft stage needs a reason, kept with the change. The grade is derived, never taken from ``data``."""
    creating = risk_point is None
    if risk_point is not None and risk_point.status != RiskStatus.DRAFT and not reason.strip():
        raise ValidationError(_("Say why the risk point is being adjusted."))
    risk_point = risk_point or RiskPoint(institution=institution, created_by=acting_user)
    scope = data.get("scope", risk_point.scope)
    post = data.get("post", risk_point.post if not creating else None)
    department = post.department if post is not None else data.get("department", risk_point.department)
    if scope == RiskScope.INSTITUTION:
        post = department = None
    elif scope == RiskScope.DEPARTMENT:
        post = None
    problems = _target_problems(scope, department, post, institution)
    if problems:
        raise ValidationError(problems)
    risk_point.scope, risk_point.department, risk_point.post = scope, department, post
    for field in (
        "power_item", "flow_step", "category", "description", "manifestation", "likelihood", "impact",
        "collective_grade", "measures", "identification_method", "source_key",
    ):  # fmt: skip
        if field in data:
            setattr(risk_point, field, data[field])
    if risk_point.flow_step is not None:
        risk_point.power_item = risk_point.flow_step.power_item
    if risk_point.likelihood is not None and risk_point.impact is not None:
        risk_point.collective_grade = ""  # once scored, the score decides
    if (risk_point.likelihood is None) != (risk_point.impact is None):
        raise ValidationError(_("Give both likelihood and impact, or neither."))
    try:
        risk_point.grade = effective_grade(
            risk_point.likelihood, risk_point.impact, risk_point.collective_grade, policy_for(institution)
        )
    except ValueError as error:
        raise ValidationError(
            _("Score likelihood and impact, or give the grade set by collective assessment.")
        ) from error
    risk_point.full_clean(exclude=["institution", "created_by", "grade"])
    audited(risk_point, acting_user, reason or (_("Created") if creating else "")).save()
    return risk_point


# The workflow: who moves a risk point from which status to which.
_TRANSITIONS = {
    "submit": (RiskStatus.DRAFT, RiskStatus.SUBMITTED),
    "approve": (RiskStatus.SUBMITTED, RiskStatus.APPROVED),
    "publish": (RiskStatus.APPROVED, RiskStatus.PUBLISHED),
    "return": (RiskStatus.SUBMITTED, RiskStatus.DRAFT),
}


@transaction.atomic
def move_risk_point(risk_point: RiskPoint, step: str, *, reason: str = "", acting_user: Officer | None) -> RiskPoint:
    """Submit, approve, publish or return a risk point; a conditional update keeps two clicks from both counting."""
    source, target = _TRANSITIONS[step]
    if step == "return" and not reason.strip():
        raise ValidationError(_("Say why the risk point is returned."))
    if not RiskPoint.objects.filter(pk=risk_point.pk, status=source).exists():
        raise ValidationError(
            _("This risk point is %(status)s; it cannot be moved that way.")
            % {"status": risk_point.get_status_display()}
        )
    risk_point.status = target
    audited(risk_point, acting_user, reason or RiskStatus(target).label).save(update_fields=["status"])
    return risk_point


# --- proposals by officers (自己找、群众提) ---------------------------------------------------------------------


@transaction.atomic
def propose_risk_point(
    *, description: str, manifestation: str = "", measures: str = "", identification_method: str, acting_user: Officer
) -> RiskProposal:
    """An officer proposes a risk point for the post they hold; their reviewer (``integrity.routing``) decides."""
    if acting_user.post_id is None:
        raise ValidationError(_("Only an officer holding a post proposes a risk point for it."))
    if identification_method not in PROPOSAL_METHODS:
        raise ValidationError(_("A proposal is found by oneself or raised by the public."))
    if not description.strip():
        raise ValidationError(_("Describe the risk."))
    proposal = RiskProposal(
        officer=acting_user, post_id=acting_user.post_id, description=description.strip(),
        manifestation=manifestation.strip(), measures=measures.strip(), identification_method=identification_method,
    )  # fmt: skip
    audited(proposal, acting_user, _("Proposed")).save()
    return proposal


@transaction.atomic
def decide_proposal(
    proposal: RiskProposal, *, accept: bool, note: str = "", grading: dict | None = None, acting_user: Officer
) -> RiskProposal:
    """The proposer's reviewer accepts a proposal — grading it (``category`` and ``likelihood``/``impact`` or
    ``collective_grade``), which makes it a submitted risk point of the post for the leaders to approve and publish
    — or declines it with the reason. Decided once."""
    if not RiskProposal.objects.filter(reviewable_q(acting_user), pk=proposal.pk).exists():
        raise PermissionDenied
    if not accept and not note.strip():
        raise ValidationError(_("Say why the proposal is declined."))
    changes: dict[str, Any] = {"status": ProposalStatus.DECLINED}
    if accept:
        data = {
            "scope": RiskScope.POST, "post": proposal.post, "description": proposal.description,
            "manifestation": proposal.manifestation, "measures": proposal.measures,
            "identification_method": proposal.identification_method, **(grading or {}),
        }  # fmt: skip
        if data.get("category") is None:
            raise ValidationError(_("Choose the risk category."))
        risk_point = save_risk_point(
            None, institution=proposal.post.department.institution, data=data, acting_user=acting_user
        )
        move_risk_point(
            risk_point,
            "submit",
            reason=_("Proposed by %(officer)s") % {"officer": proposal.officer.full_name},
            acting_user=acting_user,
        )
        changes = {"status": ProposalStatus.ACCEPTED, "risk_point": risk_point}
    if not claim(
        proposal, Q(status=ProposalStatus.PENDING), acting_user=acting_user, reason=note.strip(),
        decided_by=acting_user, decided_at=timezone.now(), decision_note=note.strip(), **changes,
    ):  # fmt: skip
        raise ValidationError(_("This proposal has already been decided."))
    return proposal


def ensure_categories(names: Iterable[str]) -> dict[str, RiskCategory]:
    """The categories named, created when missing (imports and seeding use this)."""
    existing = {c.name: c for c in RiskCategory.objects.filter(name__in=list(names))}
    for order, name in enumerate(names):
        if name not in existing:
            existing[name] = RiskCategory.objects.create(name=name, order=100 + order)
    return existing
