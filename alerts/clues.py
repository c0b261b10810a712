"""Petitions and clues (信访举报、问题线索): registering one, an abnormal situation reported by an officer,
assigning the verifier, the disposal and its approval, the steps of verification, linking a case,
the conclusion. One function per change, atomic, with ``acting_user``; the verifier's and approver's
obligations follow the chain as it changes."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from alerts.choices import (
    ClueKind,
    ClueMethod,
    ClueStatus,
    Outcome,
)
from alerts.models import (
    AlertPolicy,
    Clarification,
    Clue,
    ClueStep,
    Violation,
)
from alerts.queries import clue_owner, disposing_body
from alerts.rules import clue_grade
from cases.models import Case
from integrity import events, notify
from integrity.actions import audited, claim
from integrity.models import Institution, Officer
from integrity.queries import chain_for, day_counter
from integrity.routing import Level, Person, discipline_lead_for

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
    if violation.strip() and clue.subject is not None:  # checked above: a violation needs the officer
        Violation.objects.create(
            officer=clue.subject, clue=clue, description=violation.strip(), confirmed_on=timezone.localdate(),
            recorded_by=acting_user,
        )  # fmt: skip
    events.officers_changed(clue.subject_id)
    return clue
