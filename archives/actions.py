"""Writes of the archives app: records, reports, quarterly assessments, and printing (each print is logged)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from archives.choices import BARRED_RECORD_KINDS, ReportStatus, TalkOccasion
from archives.models import (
    ArchivePolicy,
    BarOverride,
    MattersReport,
    OfficerRecord,
    QuarterlyAssessment,
    RecordAmendment,
    Talk,
    TalkDue,
)
from archives.queries import archive_policy
from integrity import events
from integrity.actions import audited, claim
from integrity.models import Officer, PostAssignment
from integrity.queries import day_counter, day_counters
from integrity.rules import month_end

# --- personal matters reports --------------------------------------------------------------------------------


@transaction.atomic
def report_matter(
    officer: Officer,
    *,
    kind: str,
    changed_on: datetime.date,
    details: str,
    amount: Decimal | None = None,
    acting_user: Officer,
) -> MattersReport:
    if acting_user.pk != officer.pk:
        raise PermissionDenied
    if not details.strip():
        raise ValidationError(_("Describe the matter."))
    report = MattersReport.objects.create(
        officer=officer, kind=kind, changed_on=changed_on, details=details.strip(), amount=amount
    )
    events.officers_changed(officer.pk)
    return report


@transaction.atomic
def review_matter(report: MattersReport, *, accept: bool, comment: str = "", acting_user: Officer) -> MattersReport:
    if not accept and not comment.strip():
        raise ValidationError(_("Say what more is needed."))
    if not claim(
        report,
        Q(status=ReportStatus.SUBMITTED),
        acting_user=acting_user,
        reason=comment,
        status=ReportStatus.ACCEPTED if accept else ReportStatus.RETURNED,
        reviewed_by=acting_user,
        reviewed_at=timezone.now(),
        review_comment=comment,
    ):
        raise ValidationError(_("This report is not awaiting review."))
    return report


# --- records -------------------------------------------------------------------------------------------------


def may_record_for(user: Officer, officer: Officer) -> bool:
    """Who enters talks and records about an officer, by the four levels (四级谈话): discipline staff and the
    principal leader over the officer's body, the deputy in charge of the officer's department and its head. Never
    about themselves, and never about someone they cannot see."""
    from integrity.choices import Role
    from integrity.queries import scope_for, visible_officers

    if officer.pk == user.pk:
        return False
    scope = scope_for(user)
    if not (scope.is_superuser or visible_officers(user).filter(pk=officer.pk).exists()):
        return False
    return (
        scope.is_superuser
        or scope.has_role(Role.DISCIPLINE, Role.PRINCIPAL_LEADER)
        or officer.department_id in scope.department_ids
    )


@transaction.atomic
def add_talk(officer: Officer, *, acting_user: Officer, **data: Any) -> Talk:
    """Record a talk held with ``officer``. A talk given an occasion meets the oldest talk of that occasion the
    officer is owed (``TalkDue``) from before the day it was held."""
    if not may_record_for(acting_user, officer):
        raise PermissionDenied
    talk = Talk.objects.create(officer=officer, recorded_by=acting_user, **data)
    if talk.occasion:
        owed = (
            TalkDue.objects.select_for_update()
            .filter(officer=officer, occasion=talk.occasion, anchor__lte=talk.held_on, talk__isnull=True)
            .filter(closed_at__isnull=True)
            .order_by("anchor")
            .first()
        )
        if owed is not None:
            claim(
                owed, Q(talk__isnull=True, closed_at__isnull=True), acting_user=acting_user, reason=_("Held"), talk=talk
            )
    return talk


# --- talks owed (四级谈话) --------------------------------------------------------------------------------------


def open_annual_talks(year: int) -> int:
    """Owe every active officer this year's one-to-one talk, due by the end of their institution's policy month;
    idempotent, and officers arriving during the year are owed theirs on the next run. Returns how many opened."""
    anchor = datetime.date(year, 1, 1)
    officers = list(
        Officer.objects.filter(is_active=True, department__isnull=False)
        .exclude(talks_due__occasion=TalkOccasion.ANNUAL, talks_due__anchor=anchor)
        .values_list("pk", "institution_id")
    )
    months = dict(ArchivePolicy.objects.values_list("institution_id", "annual_talk_month"))
    default = ArchivePolicy._meta.get_field("annual_talk_month").default
    created = TalkDue.objects.bulk_create(
        [
            TalkDue(
                officer_id=pk,
                occasion=TalkOccasion.ANNUAL,
                anchor=anchor,
                due_on=month_end(year, months.get(institution_id, default)),
            )
            for pk, institution_id in officers
        ],
        ignore_conflicts=True,
        batch_size=2000,
    )
    return len(created)


def open_post_talks(officer_ids: set[int]) -> None:
    """``integrity.events.post_changed``: an officer who has just taken up a post is owed a talk — on arrival for
    their first post, after a post change otherwise — within the policy's days. A post recorded long after it began
    (a back-dated history) owes nothing. In a fixed number of queries, however many officers (an onboarding import
    opens thousands at once); owing the same talk twice changes nothing."""
    today = timezone.localdate()
    officers = dict(Officer.objects.filter(pk__in=officer_ids, is_active=True).values_list("pk", "institution_id"))
    policies = {p.institution_id: p for p in ArchivePolicy.objects.filter(institution__in=set(officers.values()))}
    default = ArchivePolicy()
    deadlines = day_counters({pk: policies.get(pk, default).days_counted for pk in set(officers.values())})
    starts: dict[int, list[datetime.date]] = {}
    for officer_id, started_on in (
        PostAssignment.objects.filter(officer__in=officers)
        .order_by("officer_id", "-started_on", "-pk")
        .values_list("officer_id", "started_on")
    ):
        starts.setdefault(officer_id, []).append(started_on)
    owed = []
    for officer_id, institution_id in officers.items():
        if officer_id not in starts:
            continue
        latest, allowed = starts[officer_id][0], policies.get(institution_id, default).talk_days
        if latest < today - datetime.timedelta(days=allowed):
            continue
        occasion = TalkOccasion.ENTRY if len(starts[officer_id]) == 1 else TalkOccasion.POST_CHANGE
        due_on = deadlines[institution_id].after(latest, allowed)
        owed.append(TalkDue(officer_id=officer_id, occasion=occasion, anchor=latest, due_on=due_on))
    TalkDue.objects.bulk_create(owed, ignore_conflicts=True, batch_size=2000)


def owe_exit_talk(officer: Officer, successor: Officer | None, acting_user: Officer | None) -> None:
    """``integrity.departures``: the officer's other talks owed are closed, and a talk on departure is owed."""
    reason = _("Left the institution")
    for owed in TalkDue.objects.filter(officer=officer, talk__isnull=True, closed_at__isnull=True):
        claim(owed, Q(talk__isnull=True, closed_at__isnull=True), acting_user=acting_user, reason=reason,
              closed_at=timezone.now(), closed_reason=reason)  # fmt: skip
    left_on = officer.left_on or timezone.localdate()  # set by the departure that calls this
    policy = archive_policy(officer.home)
    due_on = day_counter(officer.home, policy.days_counted).after(left_on, policy.talk_days)
    TalkDue.objects.get_or_create(
        officer=officer, occasion=TalkOccasion.EXIT, anchor=left_on, defaults={"due_on": due_on},
    )  # fmt: skip


@transaction.atomic
def add_record(officer: Officer, *, acting_user: Officer, **data: Any) -> OfficerRecord:
    """Enter a record about ``officer``. An award or a nomination dated while the officer is barred after a 不良
    grade goes in only on an unused override, which it uses."""
    if not may_record_for(acting_user, officer):
        raise PermissionDenied
    record = OfficerRecord(officer=officer, recorded_by=acting_user, **data)
    until = barred_on(officer, record.occurred_on) if record.kind in BARRED_RECORD_KINDS else None
    override = _waiting_override(officer) if until else None
    if until and override is None:
        raise ValidationError(
            _(
                "%(officer)s may not receive an award or be nominated until %(day)s after a poor quarterly grade. "
                "The principal leader may record an override with the reason on the officer's page."
            )
            % {"officer": officer.full_name, "day": until.isoformat()}
        )
    record.save()
    if override is not None:
        _use(override, acting_user, used_for_record=record)
    return record


@transaction.atomic
def amend_record(
    *, talk: Talk | None = None, record: OfficerRecord | None = None, text: str, acting_user: Officer
) -> RecordAmendment:
    """Talks and records are never edited or deleted: a correction is added beside the original."""

    amended = talk or record
    if amended is None:
        raise ValueError("amend a talk or a record")
    officer = amended.officer
    if not may_record_for(acting_user, officer):
        raise PermissionDenied
    if not text.strip():
        raise ValidationError(_("Write the correction."))
    return RecordAmendment.objects.create(talk=talk, record=record, text=text.strip(), created_by=acting_user)


# --- the bar after a 不良 grade --------------------------------------------------------------------------------


def barred_on(officer: Officer, day: datetime.date) -> datetime.date | None:
    """Until when ``officer`` is barred from promotion and awards on ``day`` (the latest bar), or None."""
    return (
        QuarterlyAssessment.objects.filter(officer=officer, barred_until__gte=day)
        .order_by("-barred_until")
        .values_list("barred_until", flat=True)
        .first()
    )


def may_override_bar(user: Officer, officer: Officer) -> bool:
    """A principal leader over the officer's body decides an override; never about themselves."""
    from integrity.choices import Role
    from integrity.queries import scope_for, visible_officers

    return (
        user.pk != officer.pk
        and scope_for(user).has_role(Role.PRINCIPAL_LEADER)
        and visible_officers(user).filter(pk=officer.pk).exists()
    )


def _unused() -> Q:
    return Q(used_for__isnull=True, used_for_record__isnull=True)


def _waiting_override(officer: Officer) -> BarOverride | None:
    return BarOverride.objects.select_for_update().filter(_unused(), officer=officer).first()


def _use(override: BarOverride, acting_user: Officer | None, **used_for: Any) -> None:
    if not claim(override, _unused(), acting_user=acting_user, reason=_("Used"), **used_for):
        raise ValidationError(_("The override has just been used; try again."))


@transaction.atomic
def override_bar(officer: Officer, *, reason: str, acting_user: Officer) -> BarOverride:
    """A principal leader lets one promotion, award or nomination go ahead while the officer is barred, with the
    reason; the post change or record it is used for is linked to it, and both show in the integrity archive."""
    if not may_override_bar(acting_user, officer):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError(_("Say why the promotion may go ahead."))
    if barred_on(officer, timezone.localdate()) is None:
        raise ValidationError(_("%(officer)s is not barred.") % {"officer": officer.full_name})
    if BarOverride.objects.filter(_unused(), officer=officer).exists():
        raise ValidationError(_("An override for %(officer)s awaits its use.") % {"officer": officer.full_name})
    override = BarOverride(officer=officer, reason=reason.strip(), granted_by=acting_user)
    audited(override, acting_user, reason.strip()).save()
    return override


def check_promotion(officer: Officer, started_on: datetime.date, assignment: Any, acting_user: Officer | None) -> None:
    """``integrity.bars``: a promotion starting while the officer is barred goes ahead only on an unused override,
    which it uses; otherwise it is refused."""
    until = barred_on(officer, started_on)
    if until is None:
        return
    override = _waiting_override(officer)
    if override is None:
        raise ValidationError(
            _(
                "%(officer)s is barred from promotion until %(day)s after a poor quarterly grade. The principal "
                "leader may record an override with the reason on the officer's page."
            )
            % {"officer": officer.full_name, "day": until.isoformat()}
        )
    _use(override, acting_user, used_for=assignment)
