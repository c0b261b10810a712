"""Writes of circulated notices (通报): written by discipline staff or a leader, approved by a principal leader of
the issuing body, published to the recipients it names; each recipient owes reading it by the policy's days and
the sender sees who has. A principal leader's own notice needs nobody else's approval."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from alerts.choices import CircularStatus
from alerts.models import AlertPolicy, Circular, CircularRecipient
from alerts.queries import circular_approvers
from integrity import notify
from integrity.actions import audited, claim
from integrity.choices import Role
from integrity.models import Department, Institution, Officer, RoleAssignment
from integrity.queries import day_counter, scope_for, visible_officers

WRITERS = (Role.DISCIPLINE, Role.PRINCIPAL_LEADER, Role.DEPUTY_LEADER)
EDITABLE = Q(status__in=[CircularStatus.DRAFT, CircularStatus.RETURNED])


def may_write(user: Officer) -> bool:
    return scope_for(user).has_role(*WRITERS)


@transaction.atomic
def write_circular(
    circular: Circular | None,
    *,
    acting_user: Officer,
    to_institutions: Iterable[Institution] = (),
    to_departments: Iterable[Department] = (),
    to_officers: Iterable[Officer] = (),
    **fields: Any,
) -> Circular:
    """Write a new notice (a draft of the writer's institution), or change a draft or a returned one."""
    if circular is None:
        if not may_write(acting_user):
            raise PermissionDenied
        circular = Circular(institution=acting_user.institution, written_by=acting_user)
    elif not circular.editable or circular.written_by_id != acting_user.pk:
        raise ValidationError(_("Only its writer changes a notice, and only before it is approved."))
    for name, value in fields.items():
        setattr(circular, name, value)
    audited(circular, acting_user).save()
    circular.to_institutions.set(to_institutions)
    circular.to_departments.set(to_departments)
    circular.to_officers.set(to_officers)
    return circular


def recipients_of(circular: Circular) -> QuerySet[Officer]:
    """Everyone the notice names — institutions, departments, roles (in the issuing body and the bodies below it),
    people — among the active officers its writer may see, the writer excepted."""
    named = (
        Q(institution__in=circular.to_institutions.all())
        | Q(department__in=circular.to_departments.all())
        | Q(pk__in=circular.to_officers.all())
    )
    if circular.to_roles:
        holders = RoleAssignment.objects.filter(
            role__in=circular.to_roles, institution__path__startswith=circular.institution.path
        )
        named |= Q(pk__in=holders.values("officer_id"))
    seen = visible_officers(circular.written_by).filter(is_active=True)
    return seen.filter(named).exclude(pk=circular.written_by_id).distinct()


def submit_circular(circular: Circular, *, acting_user: Officer) -> Circular:
    """The writer sends the notice for approval — or, a principal leader of the body, publishes it."""
    if circular.written_by_id != acting_user.pk:
        raise PermissionDenied
    if not recipients_of(circular).exists():
        raise ValidationError(_("Name at least one recipient the notice reaches."))
    if (Role.PRINCIPAL_LEADER, circular.institution_id) in scope_for(acting_user).roles:
        return _publish(circular, EDITABLE, acting_user)
    if not claim(
        circular, EDITABLE, acting_user=acting_user, reason=_("Submitted for approval"),
        status=CircularStatus.SUBMITTED, submitted_at=timezone.now(), return_reason="",
    ):  # fmt: skip
        raise ValidationError(_("This notice has already been submitted."))
    return circular


def approve_circular(circular: Circular, *, acting_user: Officer) -> Circular:
    _check_approver(circular, acting_user)
    return _publish(circular, Q(status=CircularStatus.SUBMITTED), acting_user)


def return_circular(circular: Circular, *, reason: str, acting_user: Officer) -> Circular:
    _check_approver(circular, acting_user)
    if not reason.strip():
        raise ValidationError(_("Say why the notice goes back."))
    if not claim(
        circular, Q(status=CircularStatus.SUBMITTED), acting_user=acting_user, reason=reason,
        status=CircularStatus.RETURNED, return_reason=reason,
    ):  # fmt: skip
        raise ValidationError(_("This notice is no longer awaiting approval."))
    notify.tell(
        [circular.written_by_id], occasion=f"circular:{circular.pk}:returned:{circular.history.count()}",
        text=_("Your notice %(title)s was returned: %(reason)s") % {"title": circular.title, "reason": reason},
        url=circular.get_absolute_url(),
    )  # fmt: skip
    return circular


def _check_approver(circular: Circular, acting_user: Officer) -> None:
    if acting_user.pk not in {officer.pk for officer in circular_approvers(circular)}:
        raise PermissionDenied


# A notice to more people than this is handed to them by a job (a province's 30,000 officers take seconds, and the
# sending side watches it go out); to fewer, at once.
DELIVERED_AT_ONCE = 2000
CHUNK = 2000


@transaction.atomic
def _publish(circular: Circular, condition: Q, acting_user: Officer) -> Circular:
    """Publish: each recipient owes reading it within the issuing body's days, counted as its policy says."""
    policy = AlertPolicy.objects.filter(institution=circular.institution).first() or AlertPolicy()
    today = timezone.localdate()
    read_by = day_counter(circular.institution, policy.days_counted).after(today, policy.circular_read_days)
    count = recipients_of(circular).count()
    if not claim(
        circular, condition, acting_user=acting_user, reason=_("Approved and published"),
        status=CircularStatus.PUBLISHED, approved_by=acting_user, published_at=timezone.now(), read_by=read_by,
        recipient_count=count,
    ):  # fmt: skip
        raise ValidationError(_("This notice is no longer awaiting approval."))
    if count <= DELIVERED_AT_ONCE:
        deliver(circular)
    else:
        from alerts.tasks import deliver_circular_task

        transaction.on_commit(lambda: deliver_circular_task.delay(circular.pk))
    return circular


def deliver(circular: Circular) -> int:
    """Hand a published notice to its recipients, a chunk at a time (the sending side sees how far it has gone):
    each owes reading it and is told, once however often this runs — the sweep runs it again for a notice whose
    job was lost or whose worker died. Returns how many recipients it names."""
    recipients = list(recipients_of(circular).order_by("pk").values_list("pk", flat=True))
    text = _("A notice to read by %(day)s: %(title)s") % {"day": circular.read_by, "title": circular.title}
    for start in range(0, len(recipients), CHUNK):
        chunk = recipients[start : start + CHUNK]
        with transaction.atomic():
            CircularRecipient.objects.bulk_create(
                [CircularRecipient(circular=circular, officer_id=pk) for pk in chunk], ignore_conflicts=True
            )
            notify.tell(chunk, occasion=f"circular:{circular.pk}", text=text, url=circular.get_absolute_url())
    claim(
        circular, Q(delivered_at__isnull=True), acting_user=None, reason=_("Delivered to every recipient"),
        delivered_at=timezone.now(),
    )  # fmt: skip
    return len(recipients)


def deliver_pending(now: datetime.datetime) -> int:
    """Published notices still being delivered five minutes on: their job was lost or its worker died. Returns
    how many were taken up again."""
    stale = Circular.objects.filter(
        status=CircularStatus.PUBLISHED, delivered_at__isnull=True, published_at__lt=now - datetime.timedelta(minutes=5)
    )
    for circular in stale:
        deliver(circular)
    return len(stale)


def mark_read(circular: Circular, officer: Officer) -> bool:
    """The recipient has opened the notice: their receipt keeps when, once (the first opening)."""
    return bool(
        CircularRecipient.objects.filter(circular=circular, officer=officer, read_at__isnull=True).update(
            read_at=timezone.now()
        )
    )
