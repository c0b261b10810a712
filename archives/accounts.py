"""Leaders' yearly accounts of duty and integrity (述责述廉).

From the first of January until the due day (the end of the archive policy's month), a daily job owes every active
department head, deputy and principal leader the account of the year just ended; a leader appointed later in the
window is owed it on the next run, one appointed after it starts with the next year (so a body that starts using
the product in the autumn is not born overdue). The leader files it; their reviewer (one level up, the review
routing: a head's goes to the deputy in charge, a deputy's to the principal leader, the leader's to the discipline
staff) accepts it or returns it with what is missing, and a returned account is answered with a further statement.
Until filed it is the leader's obligation, and until reviewed the reviewer's; both are chased like every other."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from archives.choices import AccountStatus
from archives.models import ArchivePolicy, DutyAccount, DutyStatement
from archives.queries import archive_officers
from integrity import notify
from integrity.actions import claim
from integrity.choices import Role
from integrity.models import Officer, RoleAssignment
from integrity.obligations import Obligation, waiting_since
from integrity.rules import month_end

LEADERS = (Role.DEPARTMENT_HEAD, Role.DEPUTY_LEADER, Role.PRINCIPAL_LEADER)
KIND = "archives.duty_account"
REVIEW_KIND = "archives.duty_account_review"


def open_duty_accounts(today: datetime.date | None = None) -> int:
    """Owe each leader the account of last year while its due day has not passed. Idempotent (one account per
    leader and year). Returns how many were opened."""
    today = today or timezone.localdate()
    year = today.year - 1
    months = dict(ArchivePolicy.objects.values_list("institution_id", "duty_account_month"))
    default = ArchivePolicy._meta.get_field("duty_account_month").default
    leaders = set(
        RoleAssignment.objects.filter(role__in=LEADERS, officer__is_active=True)
        .exclude(officer__duty_accounts__year=year)
        .values_list("officer_id", "officer__institution_id")
    )
    accounts = []
    for officer_id, institution_id in leaders:
        due_on = month_end(today.year, months.get(institution_id, default))
        if today <= due_on:
            accounts.append(DutyAccount(officer_id=officer_id, year=year, due_on=due_on))
    before = DutyAccount.objects.filter(year=year).count()
    DutyAccount.objects.bulk_create(accounts, ignore_conflicts=True, batch_size=1000)
    return DutyAccount.objects.filter(year=year).count() - before


@transaction.atomic
def file_account(account: DutyAccount, *, text: str, acting_user: Officer) -> DutyAccount:
    """The leader files the account (or answers a return): a statement kept as written, and the account goes to
    review. Refused once it is awaiting review or accepted."""
    if account.officer_id != acting_user.pk:
        raise PermissionDenied
    if not text.strip():
        raise ValidationError(_("Write the account before filing it."))
    if not claim(
        account, Q(status__in=[AccountStatus.DUE, AccountStatus.RETURNED]), acting_user=acting_user,
        reason=_("Filed"), status=AccountStatus.SUBMITTED, submitted_at=timezone.now(),
    ):  # fmt: skip
        raise ValidationError(_("This account is already filed."))
    DutyStatement.objects.create(account=account, text=text.strip())
    return account


@transaction.atomic
def review_account(account: DutyAccount, *, accept: bool, comment: str = "", acting_user: Officer) -> DutyAccount:
    """The leader's reviewer accepts the account or returns it, saying what is missing; a return is told to the
    leader and owed by them again."""
    if account.officer_id == acting_user.pk or account.officer.reviewer_id != acting_user.pk:
        raise PermissionDenied
    if not accept and not comment.strip():
        raise ValidationError(_("Say what the account is missing."))
    status = AccountStatus.ACCEPTED if accept else AccountStatus.RETURNED
    now = timezone.now()
    if not claim(
        account, Q(status=AccountStatus.SUBMITTED), acting_user=acting_user, reason=status.label, status=status,
        reviewed_by=acting_user, reviewed_at=now, review_comment=comment.strip(),
    ):  # fmt: skip
        raise ValidationError(_("This account is not awaiting review."))
    if not accept:
        notify.tell(
            [account.officer_id], occasion=f"duty-account-returned:{account.pk}:{now.isoformat()}",
            text=_("Your account of duty and integrity for %(year)s was returned: %(comment)s")
            % {"year": account.year, "comment": account.review_comment[:80]},
            url=account.get_absolute_url(),
        )  # fmt: skip
    return account


# --- reads ------------------------------------------------------------------------------------------------------


def visible_accounts(user: Officer) -> QuerySet[DutyAccount]:
    """One's own accounts, those one reviews, and those of the officers whose archives one may read."""
    return DutyAccount.objects.filter(
        Q(officer=user) | Q(officer__reviewer=user) | Q(officer__in=archive_officers(user))
    ).select_related("officer", "reviewed_by")


def owed_accounts(actor: Officer) -> QuerySet[DutyAccount]:
    return DutyAccount.objects.filter(
        officer=actor, status__in=[AccountStatus.DUE, AccountStatus.RETURNED]
    ).select_related("officer")


def accounts_to_review(actor: Officer) -> QuerySet[DutyAccount]:
    return (
        DutyAccount.objects.filter(officer__reviewer=actor, status=AccountStatus.SUBMITTED)
        .exclude(officer=actor)
        .select_related("officer")
        .order_by("submitted_at", "pk")
    )


def describe(account: DutyAccount) -> Obligation:
    return Obligation(
        _("Account of duty and integrity for %(year)s") % {"year": account.year},
        account.get_absolute_url(),
        account.officer.full_name,
        account.due_on,
    )


def describe_review(account: DutyAccount) -> Obligation:
    return Obligation(
        _("Account of duty and integrity for %(year)s") % {"year": account.year},
        account.get_absolute_url(),
        account.officer.full_name,
        since=waiting_since(account.submitted_at),
    )
