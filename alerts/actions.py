"""Writes of the alerts app: warnings and their rectification, clues, violations, reminders.

Every change that can move a light refreshes it once the transaction commits.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from alerts.choices import (
    ActionKind,
    WarningLevel,
    WarningStatus,
    WarningTarget,
)
from alerts.models import (
    Clue,
    IntegrityWarning,
    RectificationAction,
)
from alerts.queries import approvable_warnings, visible_warnings, warning_approver
from integrity import events
from integrity.actions import audited, claim
from integrity.choices import Role
from integrity.models import Department, Institution, Officer
from integrity.queries import chain_for, scope_for
from integrity.routing import Chain, Level, Person, reviewer

# --- warnings ------------------------------------------------------------------------------------------------


# The least a warning's rectification is answered for at (DOMAIN.md): the level above the subject when higher.
ANSWERED_AT = {
    WarningLevel.GENERAL: Level.HEAD,
    WarningLevel.SERIOUS: Level.DEPUTY,
    WarningLevel.CRITICAL: Level.PRINCIPAL,
}


def responsible_for(warning: IntegrityWarning) -> Officer | None:
    """Who carries out a warning's rectification, by the four levels (``integrity.routing``): for a general warning
    the subject's department head — or the head's own superior when the subject is the head —, the deputy in charge
    for a serious one, the principal leader for a critical one or one about the whole institution; never the
    subject."""
    found = _responsible_id(warning, chain_for())
    return Officer.objects.filter(pk=found).first() if found else None


def _responsible_id(warning: IntegrityWarning, chain: Chain) -> int | None:
    if warning.officer is not None:
        person = Person.of(warning.officer)
    else:
        department = warning.department_id if warning.target == WarningTarget.DEPARTMENT else None
        person = Person(0, department, warning.institution_id)
    return reviewer(person, chain, at_least=ANSWERED_AT[WarningLevel(warning.level)])


@transaction.atomic
def reroute_rectifications(officer_ids: set[int]) -> int:
    """Roles or posts changed: the open rectification actions about these officers, and about their departments and
    bodies, go to whoever answers for them now (subscribed to ``integrity.events.routes_changed``). Returns how many
    moved."""
    bodies = set(Officer.objects.filter(pk__in=officer_ids).values_list("institution_id", flat=True))
    open_actions = RectificationAction.objects.filter(
        Q(warning__officer_id__in=officer_ids) | Q(warning__officer__isnull=True, warning__institution_id__in=bodies),
        result="",
    ).select_related("warning__officer")
    chain = chain_for()
    moved = 0
    for action in open_actions:
        now = _responsible_id(action.warning, chain)
        if now != action.responsible_id:
            action.responsible_id = now
            audited(action, None, _("Re-routed: who answers has changed")).save(update_fields=["responsible"])
            moved += 1
    return moved


@transaction.atomic
def propose_warning(
    *,
    level: str,
    target: str,
    institution: Institution,
    officer: Officer | None = None,
    department: Department | None = None,
    facts: str,
    source: str,
    clue: Clue | None = None,
    acting_user: Officer,
) -> IntegrityWarning:
    """Discipline staff start a warning (三级预警均由纪委启动) with the facts and where they came from."""
    if not scope_for(acting_user).has_role(Role.DISCIPLINE):
        raise PermissionDenied
    if target == WarningTarget.OFFICER and officer is None:
        raise ValidationError(_("Name the officer the warning is about."))
    if target == WarningTarget.DEPARTMENT and department is None:
        raise ValidationError(_("Name the department the warning is about."))
    if clue is not None:
        _check_warning_follows(clue, officer, department)
    if officer is not None:
        department = department or officer.department
    warning = IntegrityWarning(
        institution=institution, level=level, target=target, officer=officer, department=department,
        facts=facts, source=source, proposed_by=acting_user, clue=clue,
    )  # fmt: skip
    if warning_approver(warning) is None:
        # A warning nobody may approve would wait for ever: it is refused, and the administrator can fix the cause.
        raise ValidationError(
            _(
                "Nobody could approve this warning: a warning is never approved by the one who proposed it or by "
                "its subject, and no one else who may approve it holds a role. Ask the administrator to name "
                "another discipline officer for this body or the body above."
            )
        )
    audited(warning, acting_user, _("Proposed")).save()
    return warning


def _check_warning_follows(clue: Clue, officer: Officer | None, department: Department | None) -> None:
    """A warning from a clue follows from what verification found, about the officer it concerns or their
    department (``Clue.may_lead_to_a_warning``)."""
    subject = clue.subject
    if subject is None or not clue.may_lead_to_a_warning:
        raise ValidationError(
            _("Only a clue verified as true or partly true, about a named officer, may lead to a warning.")
        )
    if (officer is not None and officer.pk != subject.pk) or (
        officer is None and department is not None and department.pk != subject.department_id
    ):
        raise ValidationError(
            _("A warning from a clue is about the officer the clue concerns (%(name)s) or their department.")
            % {"name": subject.full_name}
        )


@dataclass(frozen=True)
class ActionData:
    kind: str
    due_on: datetime.date


@transaction.atomic
def approve_warning(
    warning: IntegrityWarning, *, actions: Sequence[ActionData], acting_user: Officer
) -> IntegrityWarning:
    """A leader approves (报党委批准) and sets the rectification: each action with its due date; the person who
    answers for it follows from the level."""
    if not actions:
        raise ValidationError(_("Set at least one rectification action."))
    if warning.status == WarningStatus.PROPOSED and not approvable_warnings(acting_user).filter(pk=warning.pk).exists():
        raise PermissionDenied  # never its proposer, never its subject, only who answers for the body
    if not claim(
        warning,
        Q(status=WarningStatus.PROPOSED),
        acting_user=acting_user,
        reason=_("Approved"),
        status=WarningStatus.RECTIFYING,
        approved_by=acting_user,
        approved_at=timezone.now(),
    ):
        raise ValidationError(_("This warning is not awaiting approval."))
    responsible = responsible_for(warning)
    RectificationAction.objects.bulk_create(
        RectificationAction(warning=warning, kind=a.kind, due_on=a.due_on, responsible=responsible) for a in actions
    )
    events.officers_changed(warning.officer_id)
    return warning


@transaction.atomic
def reject_warning(warning: IntegrityWarning, *, reason: str, acting_user: Officer) -> IntegrityWarning:
    if not reason.strip():
        raise ValidationError(_("Say why the warning is not approved."))
    if not IntegrityWarning.objects.filter(pk=warning.pk, status=WarningStatus.PROPOSED).exists():
        raise ValidationError(_("This warning is not awaiting approval."))
    warning.status = WarningStatus.REJECTED
    audited(warning, acting_user, reason).save(update_fields=["status"])
    return warning


@transaction.atomic
def record_result(action: RectificationAction, *, result: str, acting_user: Officer) -> RectificationAction:
    """Record what an action achieved; when every action has its result, the warning closes."""
    if not result.strip():
        raise ValidationError(_("Write the result."))
    updated = claim(
        action, Q(result=""), acting_user=acting_user, result=result.strip(), result_by=acting_user,
        result_at=timezone.now(),
    )  # fmt: skip
    if not updated:
        raise ValidationError(_("This action already has its result."))
    warning = action.warning
    if not warning.actions.filter(result="").exists():
        warning.status, warning.closed_at = WarningStatus.CLOSED, timezone.now()
        audited(warning, acting_user, _("Every action has its result")).save(update_fields=["status", "closed_at"])
        events.officers_changed(warning.officer_id)
    action.refresh_from_db()
    return action


@transaction.atomic
def may_raise(user: Officer, warning: IntegrityWarning) -> bool:
    """Raising is starting a warning at the next level (三级预警均由纪委启动): discipline staff who see it, never
    about themselves."""
    return (
        scope_for(user).has_role(Role.DISCIPLINE)
        and warning.officer_id != user.pk
        and visible_warnings(user).filter(pk=warning.pk).exists()
    )


def raise_warning(warning: IntegrityWarning, *, reason: str, acting_user: Officer) -> IntegrityWarning:
    """When rectification fails, discipline staff raise the warning one level: the old one closes, a new one is
    proposed for a leader's approval. Refused, with nothing written, when nobody could approve it."""
    if not may_raise(acting_user, warning):
        raise PermissionDenied
    levels = list(WarningLevel)
    index = levels.index(WarningLevel(warning.level))
    if index == len(levels) - 1:
        raise ValidationError(_("A critical warning cannot be raised further."))
    if warning.status != WarningStatus.RECTIFYING:
        raise ValidationError(_("Only a warning under rectification can be raised."))
    if not reason.strip():
        raise ValidationError(_("Say why the rectification failed."))
    raised = IntegrityWarning(
        institution=warning.institution, level=levels[index + 1], target=warning.target, officer=warning.officer,
        department=warning.department, facts=f"{warning.facts}\n{reason}", source=warning.source,
        proposed_by=acting_user, raised_from=warning, clue=warning.clue,
    )  # fmt: skip
    if warning_approver(raised) is None:
        raise ValidationError(_("Nobody could approve the raised warning; ask the administrator to name its approver."))
    warning.status, warning.closed_at = WarningStatus.CLOSED, timezone.now()
    audited(warning, acting_user, reason).save(update_fields=["status", "closed_at"])
    audited(raised, acting_user, reason).save()
    events.officers_changed(warning.officer_id)
    return raised


ACTIONS_BY_LEVEL = {
    WarningLevel.GENERAL: [ActionKind.REMINDER_TALK],
    WarningLevel.SERIOUS: [ActionKind.ADMONISHMENT_TALK, ActionKind.SELF_EXAMINATION],
    WarningLevel.CRITICAL: [ActionKind.ADMONISHMENT_TALK, ActionKind.ORGANISATIONAL],
}
