"""Writes of each officer's own part (一人一表、每月自查): personal risk tables opened, filled, signed and reviewed;
the monthly self-checks opened, filed, reviewed and amended. One function per change, atomic, with ``acting_user``;
the jobs that open tables and checks are set-based and idempotent (the unique constraints decide what exists)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from integrity import events
from integrity.actions import audited, claim
from integrity.models import Officer
from risks import seals
from risks.choices import (
    ProposalStatus,
    ReviewStatus,
    RiskStatus,
    TableStatus,
)
from risks.models import (
    CheckAmendment,
    CheckAnswer,
    MonthlyCheck,
    PersonalRiskItem,
    PersonalRiskTable,
    RiskPoint,
    RiskProposal,
)
from risks.rules import due_date

DEFAULT_PLEDGE = (
    "本人郑重承诺：严格遵守党纪国法和廉洁从检各项规定，认真落实本岗位廉政风险防控措施，"
    "不以权谋私，不收受当事人及其委托人的财物，不接受吃请，不违规干预、插手案件，自觉接受组织和群众监督。"
)


# --- personal risk tables ------------------------------------------------------------------------------------


def _prefill_items(tables: list[PersonalRiskTable]) -> list[PersonalRiskItem]:
    """The items of new tables: the published risk points of each table's post, read in one query."""
    by_post: dict[int | None, list[RiskPoint]] = {}
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
        if o.post is not None  # as the query asks
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
