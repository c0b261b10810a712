"""Roles asked for officers (a staff list names them; integrity.onboarding) wait for the security
administrator, in their to-dos, who grants or declines each; nothing is granted by the import itself."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from integrity import actions
from integrity.choices import RequestStatus
from integrity.models import (
    Officer,
    RoleRequest,
)
from integrity.obligations import Obligation, ObligationKind, register, waiting_since
from integrity.queries import scope_for, securable_institutions


def decidable_requests(user: Officer) -> QuerySet[RoleRequest]:
    """The pending role requests this security administrator decides: those of the bodies they secure."""
    if not scope_for(user).is_security_administrator:
        return RoleRequest.objects.none()
    return (
        RoleRequest.objects.filter(status=RequestStatus.PENDING, institution__in=securable_institutions(user))
        .exclude(officer=user)
        .select_related("officer__department", "institution", "requested_by")
        .prefetch_related("departments")
    )


@transaction.atomic
def decide_request(request: RoleRequest, *, grant: bool, comment: str = "", acting_user: Officer) -> RoleRequest:
    """Grant the role asked (through ``grant_role``, with its rules) or decline it with a reason. Decided once: the
    conditional update is the claim."""
    if not decidable_requests(acting_user).filter(pk=request.pk).exists():
        raise PermissionDenied
    if not grant and not comment.strip():
        raise ValidationError(_("Say why the role is declined."))
    if grant:
        actions.grant_role(
            request.officer, request.role, request.institution, departments=request.departments.all(),
            acting_user=acting_user,
        )  # fmt: skip
    claimed = actions.claim(
        request, Q(status=RequestStatus.PENDING), acting_user=acting_user, reason=comment,
        status=RequestStatus.GRANTED if grant else RequestStatus.DECLINED, decided_by=acting_user,
        decided_at=timezone.now(), comment=comment.strip(),
    )  # fmt: skip
    if not claimed:
        raise ValidationError(_("This request has already been decided."))
    return request


def _obligation(request: RoleRequest) -> Obligation:
    return Obligation(
        _("Role requested: %(role)s") % {"role": request.get_role_display()},
        reverse("integrity:role_requests"),
        request.officer.full_name,
        since=waiting_since(request.requested_at),
    )


def register_kinds() -> None:
    register(
        ObligationKind(
            code="integrity.role_request",
            label=gettext_lazy("Role requests to decide"),
            queryset=decidable_requests,
            describe=_obligation,
            order=15,
        )
    )
