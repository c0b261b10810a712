"""Writes of the cases app about cases themselves — registering one, its handlers, its stage — and the relations
officers declare, screened against the parties: one function per change, atomic, with ``acting_user``. The writes
about a case's declarations, its risk assessments and its supervision notices are ``cases.declarations``,
``cases.assessments`` and ``cases.notices``.

The gate (``cases.queries.gate_for``) is asked by ``move_case`` — the only way a case changes stage — so the
page, the import and any job are held by the same rule.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.choices import (
    ReviewStatus,
)
from cases.grades import cases_placed
from cases.models import (
    Case,
    CaseHandler,
    CaseParty,
    ConflictMatch,
    Declaration,
    DeclaredRelation,
    Stage,
)
from cases.queries import (
    deadlines_for,
    gate_for,
    policy_for,
)
from cases.rules import (
    Missing,
    normalise_name,
    normalise_organisation,
)
from integrity import events
from integrity.actions import audited, claim
from integrity.models import Department, Officer


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
    return Stage.objects.earliest("order")


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
    cases_placed()


def hand_over_cases(officer: Officer, successor: Officer | None, acting_user: Officer | None) -> None:
    """``integrity.departures``: the officer's open cases go to the successor, who owes their declarations; a
    departure with open cases and no successor is refused."""
    cases = list(Case.objects.filter(case_handlers__officer=officer, closed_on__isnull=True).order_by("pk"))
    if successor is None:
        if cases:
            raise ValidationError(
                _("%(officer)s handles %(n)s open case(s): name the successor who takes them over.")
                % {"officer": officer.full_name, "n": len(cases)}
            )
        return
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
    if cases:
        cases_placed()  # the departing officer no longer sees the cases' assessments


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
