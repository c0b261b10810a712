"""Writes of the risks app: one function per change, atomic, with ``acting_user`` recorded in the history.

Jobs (opening the month's checks, the risk tables due after post changes) are set-based and idempotent: the
database's unique constraints decide what exists, so a job run twice, or twice at once, adds nothing.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from integrity import audit, events
from integrity.actions import audited, claim
from integrity.choices import AuditEventKind
from integrity.models import Department, Institution, Officer, Post
from risks import seals
from risks.choices import (
    PROPOSAL_METHODS,
    Grade,
    ImportKind,
    ImportStatus,
    PowerCategory,
    ProposalStatus,
    ReviewStatus,
    RiskScope,
    RiskStatus,
    TableStatus,
)
from risks.models import (
    CheckAmendment,
    CheckAnswer,
    FlowStep,
    ImportBatch,
    MonthlyCheck,
    PersonalRiskItem,
    PersonalRiskTable,
    PowerItem,
    RiskCategory,
    RiskPoint,
    RiskPolicy,
    RiskProposal,
)
from risks.queries import policy_for, reviewable_q
from risks.rules import due_date, effective_grade

DEFAULT_PLEDGE = (
    "本人郑重承诺：严格遵守党纪国法和廉洁从检各项规定，认真落实本岗位廉政风险防控措施，"
    "不以权谋私，不收受当事人及其委托人的财物，不接受吃请，不违规干预、插手案件，自觉接受组织和群众监督。"
)


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
    acting_user: Officer,
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
def save_flow_steps(item: PowerItem, steps: Sequence[StepData], *, acting_user: Officer) -> list[FlowStep]:
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
    if not creating and risk_point.status != RiskStatus.DRAFT and not reason.strip():
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
    changes = {"status": ProposalStatus.DECLINED}
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


# --- personal risk tables ------------------------------------------------------------------------------------


def _prefill_items(tables: list[PersonalRiskTable]) -> list[PersonalRiskItem]:
    """The items of new tables: the published risk points of each table's post, read in one query."""
    by_post: dict[int, list[RiskPoint]] = {}
    for risk_point in RiskPoint.objects.filter(
        post_id__in={t.post_id for t in tables}, status=RiskStatus.PUBLISHED
    ).order_by("id"):
        by_post.setdefault(risk_point.post_id, []).append(risk_point)
    return [
        PersonalRiskItem(table=table, risk_point=rp, description=rp.description, measures=rp.measures, order=n)
        for table in tables
        for n, rp in enumerate(by_post.get(table.post_id, []))
    ]


@transaction.atomic
def open_risk_tables(*, officer_ids: Iterable[int] | None = None, acting_user: Officer | None = None) -> int:
    """Make the personal risk tables that are due: a first one for each officer with a post, and a new one for
    each officer whose post changed (the old table is archived); only for ``officer_ids`` when given. Returns how
    many tables were opened."""
    now = timezone.now()
    ids = None if officer_ids is None else list(officer_ids)
    stale = PersonalRiskTable.objects.filter(archived_at__isnull=True).exclude(post_id=F("officer__post_id"))
    officers = Officer.objects.filter(is_active=True, post__isnull=False)
    if ids is not None:
        stale, officers = stale.filter(officer_id__in=ids), officers.filter(pk__in=ids)
    stale.update(archived_at=now)
    needing = officers.filter(
        ~Exists(PersonalRiskTable.objects.filter(officer=OuterRef("pk"), archived_at__isnull=True))
    ).select_related("post")
    tables = [
        PersonalRiskTable(officer=o, post=o.post, main_duties=o.post.main_duties, pledge=DEFAULT_PLEDGE)
        for o in needing
    ]
    # ignore_conflicts: another run at the same moment may have opened the same table; the constraint decides.
    PersonalRiskTable.objects.bulk_create(tables, ignore_conflicts=True)
    # Lock the new, empty tables so that a run racing this one does not fill them a second time.
    empty = (
        PersonalRiskTable.objects.filter(archived_at__isnull=True, created_at__gte=now)
        .filter(~Exists(PersonalRiskItem.objects.filter(table=OuterRef("pk"))))
        .select_for_update(skip_locked=True)
    )
    PersonalRiskItem.objects.bulk_create(_prefill_items(list(empty)), batch_size=2000)
    return len(tables)


def close_on_departure(officer: Officer, successor: Officer | None, acting_user: Officer | None) -> None:
    """``integrity.departures``: the officer's current risk table is archived with their post; their unfiled
    proposals are withdrawn. Filed checks and tables stay as filed."""
    PersonalRiskTable.objects.filter(officer=officer, archived_at__isnull=True).update(archived_at=timezone.now())
    for proposal in RiskProposal.objects.filter(officer=officer, status=ProposalStatus.PENDING):
        claim(
            proposal, Q(status=ProposalStatus.PENDING), acting_user=acting_user, reason=_("Left the institution"),
            status=ProposalStatus.DECLINED, decided_by=acting_user, decided_at=timezone.now(),
            decision_note=_("Left the institution"),
        )  # fmt: skip


def open_risk_tables_for(officer_ids: set[int]) -> None:
    """A post changed: the new personal risk table is due at once, not at the next nightly run."""
    open_risk_tables(officer_ids=officer_ids)


@dataclass(frozen=True)
class ItemData:
    description: str
    measures: str = ""
    risk_point_id: int | None = None


def _editable_table(table: PersonalRiskTable, acting_user: Officer) -> PersonalRiskTable:
    if table.officer_id != acting_user.pk:
        raise PermissionDenied
    if table.archived_at is not None or table.status not in (TableStatus.DUE, TableStatus.RETURNED):
        raise ValidationError(_("This risk table has been submitted and can no longer be changed."))
    return table


@transaction.atomic
def save_risk_table(
    table: PersonalRiskTable, *, main_duties: str, items: Sequence[ItemData], acting_user: Officer
) -> PersonalRiskTable:
    """The officer fills their table: duties, the post's risks (kept), their own risks, their own measures."""
    table = PersonalRiskTable.objects.select_for_update().get(pk=table.pk)
    _editable_table(table, acting_user)
    if not any(i.description.strip() for i in items):
        raise ValidationError(_("A risk table needs at least one risk."))
    table.main_duties = main_duties
    audited(table, acting_user).save(update_fields=["main_duties"])
    table.items.all().delete()
    PersonalRiskItem.objects.bulk_create(
        PersonalRiskItem(
            table=table, risk_point_id=i.risk_point_id, description=i.description.strip(), measures=i.measures, order=n
        )
        for n, i in enumerate(items)
        if i.description.strip()
    )
    return table


@transaction.atomic
def submit_risk_table(
    table: PersonalRiskTable, *, pledge: str, signed_on: datetime.date, acting_user: Officer
) -> PersonalRiskTable:
    """Sign the integrity pledge and send the table to the department head."""
    table = PersonalRiskTable.objects.select_for_update().get(pk=table.pk)
    _editable_table(table, acting_user)
    if not table.items.exists():
        raise ValidationError(_("A risk table needs at least one risk."))
    if not pledge.strip():
        raise ValidationError(_("The integrity pledge must be signed."))
    table.pledge, table.pledge_signed_on = pledge.strip(), signed_on
    table.status, table.submitted_at = TableStatus.SUBMITTED, timezone.now()
    audited(table, acting_user, _("Pledge signed and submitted")).save()
    return table


@transaction.atomic
def review_risk_table(
    table: PersonalRiskTable, *, approve: bool, comment: str = "", acting_user: Officer
) -> PersonalRiskTable:
    if not approve and not comment.strip():
        raise ValidationError(_("Say why the table is returned."))
    if not claim(
        table,
        Q(status=TableStatus.SUBMITTED),
        acting_user=acting_user,
        reason=comment,
        status=TableStatus.APPROVED if approve else TableStatus.RETURNED,
        reviewed_by=acting_user,
        reviewed_at=timezone.now(),
        review_comment=comment,
    ):
        raise ValidationError(_("This table is not awaiting approval."))
    return table


# --- monthly checks ------------------------------------------------------------------------------------------


@transaction.atomic
def open_monthly_checks(period: datetime.date, *, acting_user: Officer | None = None) -> int:
    """Open ``period``'s check for every active officer who holds a post. Idempotent, also when two runs race:
    the unique (officer, month) constraint lets only one row in. Returns how many were new."""
    period = period.replace(day=1)
    officers = list(
        Officer.objects.filter(is_active=True, post__isnull=False)
        .exclude(monthly_checks__period=period)
        .values_list("pk", "institution_id")
    )
    if not officers:
        return 0
    from risks.queries import policies_by_institution

    policies = policies_by_institution({institution for _, institution in officers})
    tables = dict(
        PersonalRiskTable.objects.filter(
            archived_at__isnull=True, officer_id__in=[pk for pk, _ in officers]
        ).values_list("officer_id", "pk")
    )
    checks = [
        MonthlyCheck(
            officer_id=pk,
            period=period,
            due_on=due_date(period, policies[institution].check_due_day),
            table_id=tables.get(pk),
        )
        for pk, institution in officers
    ]
    before = MonthlyCheck.objects.filter(period=period).count()
    MonthlyCheck.objects.bulk_create(checks, ignore_conflicts=True, batch_size=1000)
    return MonthlyCheck.objects.filter(period=period).count() - before


@dataclass(frozen=True)
class AnswerData:
    item_id: int | None
    risk: str
    problem_found: bool = False
    problem: str = ""
    action_taken: str = ""


def answer_problems(answers: Iterable[AnswerData]) -> list[str]:
    problems = []
    for answer in answers:
        if answer.problem_found and not (answer.problem.strip() and answer.action_taken.strip()):
            problems.append(
                _("“%(risk)s”: say what was found and what was done about it.") % {"risk": answer.risk[:30]}
            )
    return problems


@transaction.atomic
def submit_monthly_check(
    check: MonthlyCheck,
    answers: Sequence[AnswerData],
    *,
    remark: str = "",
    acting_user: Officer,
    filed_at: datetime.datetime | None = None,
) -> MonthlyCheck:
    """File the check. Only its officer may, only once: the conditional update is the claim, so a second
    submission (a double click, a replayed form) changes nothing and is refused. ``filed_at`` is the moment of a
    filing made earlier on paper (the demo's history); a filing now takes the clock's. Sealed as filed."""
    if check.officer_id != acting_user.pk:
        raise PermissionDenied
    problems = answer_problems(answers)
    if not answers:
        problems.append(_("There is nothing to check: the risk table has no risks."))
    if problems:
        raise ValidationError(problems)
    now = filed_at or timezone.now()
    claimed = claim(
        check,
        Q(submitted_at__isnull=True),
        acting_user=acting_user,
        reason=_("Filed"),
        submitted_at=now,
        remark=remark,
        review_status=ReviewStatus.PENDING,
    )
    if not claimed:
        raise ValidationError(_("This check has already been filed; corrections are made as amendments."))
    CheckAnswer.objects.bulk_create(
        CheckAnswer(
            monthly_check=check,
            item_id=a.item_id,
            risk=a.risk,
            problem_found=a.problem_found,
            problem=a.problem if a.problem_found else "",
            action_taken=a.action_taken if a.problem_found else "",
        )
        for a in answers
    )
    check.refresh_from_db()
    seals.seal(check)
    events.officers_changed(check.officer_id)
    return check


@transaction.atomic
def review_monthly_check(
    check: MonthlyCheck, *, approve: bool, comment: str = "", acting_user: Officer
) -> MonthlyCheck:
    if check.officer_id == acting_user.pk:
        raise PermissionDenied
    if not approve and not comment.strip():
        raise ValidationError(_("Say why the check is returned."))
    if not claim(
        check,
        Q(submitted_at__isnull=False, review_status=ReviewStatus.PENDING),
        acting_user=acting_user,
        reason=comment,
        review_status=ReviewStatus.APPROVED if approve else ReviewStatus.RETURNED,
        reviewed_by=acting_user,
        reviewed_at=timezone.now(),
        review_comment=comment,
    ):
        raise ValidationError(_("This check is not awaiting review."))
    return check


@transaction.atomic
def amend_monthly_check(check: MonthlyCheck, *, text: str, acting_user: Officer) -> CheckAmendment:
    """A correction to a filed check: the original answers stay as filed; a returned check goes back to review."""
    if check.officer_id != acting_user.pk:
        raise PermissionDenied
    if check.submitted_at is None:
        raise ValidationError(_("Only a filed check can be amended; file it first."))
    if not text.strip():
        raise ValidationError(_("Write the correction."))
    amendment = CheckAmendment.objects.create(monthly_check=check, text=text.strip(), created_by=acting_user)
    claim(
        check,
        Q(review_status=ReviewStatus.RETURNED),
        acting_user=acting_user,
        reason=_("Corrected"),
        review_status=ReviewStatus.PENDING,
    )
    return amendment


def ensure_categories(names: Iterable[str]) -> dict[str, RiskCategory]:
    """The categories named, created when missing (imports and seeding use this)."""
    existing = {c.name: c for c in RiskCategory.objects.filter(name__in=list(names))}
    for order, name in enumerate(names):
        if name not in existing:
            existing[name] = RiskCategory.objects.create(name=name, order=100 + order)
    return existing


# --- catalog import ------------------------------------------------------------------------------------------


@transaction.atomic
def import_catalog(
    batch: ImportBatch,
    *,
    rows: list[list[str]] | None = None,
    publish: bool = False,
    skip_bad_rows: bool = False,
    acting_user: Officer,
) -> dict[str, int]:
    """Write a checked import. A row with an error rejects the whole file (the batch keeps the row-by-row list)
    unless the importer chose to skip bad rows: then the others are written, all or none, and the skipped rows are
    kept for the error file. A file imported again updates what it created rather than duplicating it."""
    from integrity.spreadsheets import read_rows
    from risks.importing import plan

    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status == ImportStatus.IMPORTED:
        raise ValidationError(_("This file has already been imported."))
    rows = rows or read_rows(bytes(batch.content), batch.filename, batch.sheet)
    checked = plan(
        batch.kind, batch.institution, rows, batch.mapping(), create_missing=batch.create_missing, sheet=batch.sheet
    )
    errors = [{"row": r.number, "errors": r.errors} for r in checked.errors]
    if (errors and not skip_bad_rows) or not checked.kept:
        batch.status, batch.result = ImportStatus.REJECTED, {"errors": errors}
        batch.save(update_fields=["status", "result"])
        return {"errors": len(checked.errors)}
    counts = write_catalog(
        batch.institution, checked, filename=batch.filename, publish=publish, acting_user=acting_user
    )
    batch.status, batch.result = ImportStatus.IMPORTED, {"counts": counts, "errors": errors}
    batch.save(update_fields=["status", "result"])
    return counts


@transaction.atomic
def write_catalog(
    institution: Institution, checked, *, filename: str, publish: bool = False, acting_user: Officer | None
) -> dict[str, int]:
    """Write the rows of a plan that have no errors, with the departments and power items it creates; each change
    keeps who made it and from which file."""
    created = _Created(institution, _("Imported from %(file)s") % {"file": filename}, acting_user)
    if checked.kind == ImportKind.POWER_ITEMS:
        _write_power_items(checked, created)
    else:
        _write_risk_points(institution, checked, created, publish=publish)
    return dict(checked.counts)


@dataclass
class _Created:
    """The departments and power items a catalog import creates, each once, when a row first names it."""

    institution: Institution
    reason: str
    acting_user: Officer | None
    departments: dict[str, Department] = dataclasses.field(default_factory=dict)
    power_items: dict[str, PowerItem] = dataclasses.field(default_factory=dict)

    def department(self, value):
        from integrity.actions import create_department
        from risks.importing import New

        if not isinstance(value, New):
            return value
        if value.name not in self.departments:
            self.departments[value.name] = create_department(self.institution, value.name, acting_user=self.acting_user)
        return self.departments[value.name]

    def power_item(self, value):
        from risks.importing import New

        if not isinstance(value, New):
            return value
        if value.name not in self.power_items:
            # Named by the risk table and not in the catalog yet: created as an enforcement power (执法) of the
            # row's department; its page completes it.
            self.power_items[value.name] = save_power_item(
                None, department=self.department(value.department),
                data={"name": value.name, "category": PowerCategory.ENFORCEMENT}, reason=self.reason,
                acting_user=self.acting_user,
            )  # fmt: skip
        return self.power_items[value.name]


def _write_power_items(checked, created: _Created) -> None:
    for row in checked.kept:
        if row.action == "unchanged":
            continue
        item = save_power_item(
            row.existing, department=created.department(row.resolved["department"]),
            data={**row.resolved["texts"], "category": row.resolved["category"]}, reason=created.reason,
            acting_user=created.acting_user,
        )  # fmt: skip
        if row.resolved["steps"]:
            steps = [StepData(name=s[:100]) for s in row.resolved["steps"]]
            save_flow_steps(item, steps, acting_user=created.acting_user)


def _write_risk_points(institution: Institution, checked, created: _Created, *, publish: bool) -> None:
    for row in checked.kept:
        if row.action == "unchanged" and (not publish or row.existing.status == RiskStatus.PUBLISHED):
            continue  # nothing to write: no history row saying nothing changed
        data = dict(row.resolved)
        if "department" in data:
            data["department"] = created.department(data["department"])
        if "power_item" in data:
            data["power_item"] = created.power_item(data["power_item"])
        data["source_key"] = row.key
        risk_point = save_risk_point(
            row.existing, institution=institution, data=data, reason=created.reason if row.existing else "",
            acting_user=created.acting_user,
        )  # fmt: skip
        if publish and risk_point.status != RiskStatus.PUBLISHED:
            risk_point.status = RiskStatus.PUBLISHED
            audited(risk_point, created.acting_user, created.reason).save(update_fields=["status"])
