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
    ClueKind,
    ClueMethod,
    ClueStatus,
    Outcome,
    WarningLevel,
    WarningStatus,
    WarningTarget,
)
from alerts.models import (
    AlertPolicy,
    Clarification,
    Clue,
    ClueStep,
    IntegrityWarning,
    RectificationAction,
    Violation,
)
from alerts.queries import approvable_warnings, clue_owner, disposing_body, visible_warnings, warning_approver
from alerts.rules import clue_grade
from cases.models import Case
from integrity import events, notify
from integrity.actions import audited, claim
from integrity.choices import Role
from integrity.models import Department, Institution, Officer
from integrity.queries import chain_for, day_counter, scope_for
from integrity.routing import Chain, Level, Person, discipline_lead_for, reviewer

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
    if warning.officer_id:
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


# --- clues ---------------------------------------------------------------------------------------------------


@transaction.atomic
def register_clue(
    *,
    institution: Institution,
    kind: str,
    source: str,
    channel: str = "",
    subject: Officer | None,
    content: str,
    received_on: datetime.date,
    acting_user: Officer,
) -> Clue:
    clue = Clue(
        institution=institution, kind=kind, source=source, channel=channel, subject=subject, content=content,
        received_on=received_on, registered_by=acting_user,
    )  # fmt: skip
    audited(_graded(clue), acting_user, _("Registered")).save()
    return clue


def _graded(clue: Clue) -> Clue:
    """A new clue graded by who it concerns and what it alleges (``alerts.rules.clue_grade``), and handed to who
    decides its disposal (``alerts.queries.clue_owner``)."""
    chain = chain_for()
    policy = AlertPolicy.objects.filter(institution=clue.institution_id).first() or AlertPolicy()
    level = chain.level(Person.of(clue.subject)) if clue.subject else Level.MEMBER
    clue.grade = clue_grade(level, clue.content, policy.serious_words)
    clue.owner_id = clue_owner(clue, chain)
    return clue


@transaction.atomic
def report_abnormal(
    *, occurred_on: datetime.date, counterpart: str, content: str, response: str, acting_user: Officer
) -> Clue:
    """An officer reports an abnormal situation (异常情况报告: approached by a party, offered a gift, asked to
    intervene): it goes to the discipline staff of their institution as a registered clue of its own kind, waiting
    for a verifier like any other."""
    if acting_user.institution_id is None:
        raise ValidationError(_("Only an officer of an institution files a report."))
    if occurred_on > timezone.localdate():
        raise ValidationError(_("The day it happened cannot be in the future."))
    if not content.strip() or not counterpart.strip():
        raise ValidationError(_("Say what happened and who was involved."))
    clue = Clue(
        institution_id=acting_user.institution_id, kind=ClueKind.ABNORMAL, source=acting_user.full_name,
        content=content.strip(), received_on=timezone.localdate(),
        registered_by=acting_user, reporter=acting_user, occurred_on=occurred_on, counterpart=counterpart.strip(),
        response=response.strip(),
    )  # fmt: skip
    audited(_graded(clue), acting_user, _("Reported")).save()
    return clue


@transaction.atomic
def assign_verifier(
    clue: Clue, verifier: Officer | None, *, method: str = ClueMethod.PRELIMINARY, acting_user: Officer
) -> Clue:
    """Decide how the clue is disposed of (线索处置): by a talk or written inquiry, a preliminary verification or kept
    pending, each by a verifier within the policy's days for the method — their obligation, chased past it — or
    closed at once without action (予以了结). The one who decides is recorded with the method.

    Where the disposing body has a discipline lead (纪检组长) other than the one deciding, the decision waits for
    the lead's approval (``decide_disposal``) and nothing runs until then."""
    if clue.status not in (ClueStatus.REGISTERED, ClueStatus.PROPOSED):
        raise ValidationError(_("The disposal of this clue is already decided."))
    if method != ClueMethod.CLOSED:
        if verifier is None:
            raise ValidationError(_("Choose the verifier."))
        if verifier.pk == clue.subject_id:
            raise ValidationError(_("Nobody verifies a clue about themselves."))
        if verifier.pk == clue.reporter_id:
            raise ValidationError(_("Nobody verifies their own report."))
    else:
        verifier = None
    chain = chain_for()
    excluding = frozenset(pk for pk in (clue.subject_id, clue.reporter_id, acting_user.pk) if pk)
    approver = discipline_lead_for(disposing_body(clue, chain), chain, excluding=excluding)
    clue.method, clue.method_by, clue.verifier = method, acting_user, verifier
    if approver is None:
        return _dispose(clue, acting_user)
    clue.status, clue.owner_id, clue.due_on = ClueStatus.PROPOSED, approver, None
    clue.method_proposed_at = timezone.now()
    audited(clue, acting_user, _("Disposal proposed: %s") % ClueMethod(method).label).save(
        update_fields=["method", "method_by", "verifier", "status", "owner", "due_on", "method_proposed_at"]
    )
    return clue


@transaction.atomic
def decide_disposal(clue: Clue, *, approve: bool, reason: str = "", acting_user: Officer) -> Clue:
    """The discipline lead approves the proposed disposal — it runs from today — or returns it with a reason to be
    decided again; the one who proposed it is told either way."""
    if clue.status != ClueStatus.PROPOSED:
        raise ValidationError(_("No disposal of this clue waits for approval."))
    if clue.owner_id != acting_user.pk:
        raise PermissionDenied
    proposer = clue.method_by_id
    if approve:
        _dispose(clue, acting_user)
        text = _("The disposal of the clue you proposed was approved.")
    else:
        if not reason.strip():
            raise ValidationError(_("Say why the disposal is returned."))
        ClueStep.objects.create(clue=clue, text=_("Disposal returned: %s") % reason.strip(), by=acting_user)
        clue.status, clue.method, clue.method_by, clue.verifier = ClueStatus.REGISTERED, "", None, None
        clue.owner_id = clue_owner(clue, chain_for())
        audited(clue, acting_user, reason.strip()).save(
            update_fields=["status", "method", "method_by", "verifier", "owner"]
        )
        text = _("The disposal of the clue you proposed was returned: %s") % reason.strip()[:80]
    notify.tell(
        [proposer] if proposer and proposer != acting_user.pk else [],
        occasion=f"clue-disposal:{clue.pk}:{timezone.now().isoformat()}", text=text, url=clue.get_absolute_url(),
    )  # fmt: skip
    return clue


def _dispose(clue: Clue, approved_by: Officer) -> Clue:
    """The decided disposal runs from today: a verifier's obligation by the policy's days, or the clue closed."""
    today = timezone.localdate()
    clue.owner_id, clue.method_approved_by, clue.method_approved_at = None, approved_by, timezone.now()
    if clue.method == ClueMethod.CLOSED:
        clue.due_on, clue.status, clue.concluded_on, clue.concluded_by = None, ClueStatus.CONCLUDED, today, approved_by
    else:
        policy = AlertPolicy.objects.filter(institution=clue.institution).first() or AlertPolicy()
        days = {
            ClueMethod.TALK_INQUIRY: policy.talk_inquiry_days,
            ClueMethod.PRELIMINARY: policy.preliminary_days,
            ClueMethod.SHELVED: policy.shelved_days,
        }[ClueMethod(clue.method)]
        clue.due_on = day_counter(clue.institution, policy.days_counted).after(today, days)
        clue.status = ClueStatus.VERIFYING
    audited(clue, approved_by, str(ClueMethod(clue.method).label)).save()
    events.officers_changed(clue.subject_id)
    return clue


@transaction.atomic
def reroute_clues(officer_ids: set[int]) -> int:
    """Roles changed: every clue waiting for a decision goes to whoever must decide it now (subscribed to
    ``integrity.events.routes_changed``; the clues waiting are few). Returns how many moved."""
    chain = chain_for()
    moved = 0
    for clue in Clue.objects.filter(status__in=(ClueStatus.REGISTERED, ClueStatus.PROPOSED)):
        now = clue_owner(clue, chain)
        if now != clue.owner_id:
            clue.owner_id = now
            audited(clue, None, _("Re-routed: who answers has changed")).save(update_fields=["owner"])
            moved += 1
    return moved


@transaction.atomic
def link_case(clue: Clue, number: str, *, acting_user: Officer) -> Case:
    """Link the clue to a case it concerns, named by its number, of the clue's body or a body below; the link shows
    on the case to those who may see the clue, and its existence to the case's reviewers."""
    case = Case.objects.filter(number=number.strip(), institution__path__startswith=clue.institution.path).first()
    if case is None:
        raise ValidationError(_("No case %(number)s in %(institution)s or below.") % {
            "number": number.strip(), "institution": clue.institution})  # fmt: skip
    if not clue.cases.filter(pk=case.pk).exists():
        clue.cases.add(case)
        ClueStep.objects.create(clue=clue, text=_("Linked to case %s") % case.number, by=acting_user)
    return case


@transaction.atomic
def add_step(clue: Clue, *, text: str, acting_user: Officer) -> ClueStep:
    if not text.strip():
        raise ValidationError(_("Describe the verification step."))
    return ClueStep.objects.create(clue=clue, text=text.strip(), by=acting_user)


@transaction.atomic
def conclude_clue(
    clue: Clue,
    *,
    outcome: str,
    clarification: str = "",
    violation: str = "",
    acting_user: Officer,
) -> Clue:
    """Close the verification with its outcome. An untrue report gets its clarification (不实举报澄清) to protect the
    officer; a confirmed one can record the violation in the same step."""
    if outcome == Outcome.UNTRUE and not clarification.strip():
        raise ValidationError(_("An untrue report needs its clarification."))
    if outcome != Outcome.UNTRUE and clarification.strip():
        raise ValidationError(_("Only an untrue report is clarified."))
    if violation.strip() and (outcome == Outcome.UNTRUE or clue.subject is None):
        raise ValidationError(_("A violation is recorded only for a confirmed clue about an officer."))
    if not claim(
        clue,
        ~Q(status=ClueStatus.CONCLUDED),
        acting_user=acting_user,
        reason=_("Concluded"),
        status=ClueStatus.CONCLUDED,
        outcome=outcome,
        concluded_on=timezone.localdate(),
        concluded_by=acting_user,
    ):
        raise ValidationError(_("This clue is already concluded."))
    if outcome == Outcome.UNTRUE:
        Clarification.objects.create(clue=clue, text=clarification.strip(), by=acting_user)
    if violation.strip():
        Violation.objects.create(
            officer=clue.subject, clue=clue, description=violation.strip(), confirmed_on=timezone.localdate(),
            recorded_by=acting_user,
        )  # fmt: skip
    events.officers_changed(clue.subject_id)
    return clue


ACTIONS_BY_LEVEL = {
    WarningLevel.GENERAL: [ActionKind.REMINDER_TALK],
    WarningLevel.SERIOUS: [ActionKind.ADMONISHMENT_TALK, ActionKind.SELF_EXAMINATION],
    WarningLevel.CRITICAL: [ActionKind.ADMONISHMENT_TALK, ActionKind.ORGANISATIONAL],
}
