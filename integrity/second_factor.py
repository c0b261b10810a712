"""The second factor (双因素认证): a time-based one-time password (TOTP, django-otp) after the password, for the
roles the security policy names — the three administrators by default — and recovery codes for a lost phone.

At login an officer who needs it is held on the second-factor page (``integrity.middleware``) until they give a
code: the first time they set up their authenticator app there, then get ten single-use recovery codes, shown once.
A lost phone is the security administrator's to reset (``reset``); the officer then sets up again.
"""

from __future__ import annotations

import django_otp
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from integrity import audit
from integrity.choices import AuditEventKind
from integrity.models import Officer, RoleAssignment, SecurityPolicy

RECOVERY_CODES = 10
APP = "authenticator"
RECOVERY = "recovery"


def required(officer: Officer, policy: SecurityPolicy | None = None) -> bool:
    """Whether the officer must give a second factor at login: a superuser, or a holder of a role the policy names."""
    roles = (policy or SecurityPolicy.current()).second_factor_roles
    return officer.is_superuser or RoleAssignment.objects.filter(officer=officer, role__in=roles).exists()


def app_device(officer: Officer) -> TOTPDevice | None:
    """The officer's confirmed authenticator, if they set one up."""
    return TOTPDevice.objects.filter(user=officer, name=APP, confirmed=True).first()


def pending_device(officer: Officer) -> TOTPDevice:
    """The authenticator being set up: one key per officer until confirmed (a reload shows the same key)."""
    device = TOTPDevice.objects.filter(user=officer, name=APP, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=officer, name=APP, confirmed=False)


def remaining_codes(officer: Officer) -> int:
    return StaticToken.objects.filter(device__user=officer, device__name=RECOVERY).count()


@transaction.atomic
def confirm(request: HttpRequest, officer: Officer, token: str) -> list[str] | None:
    """Confirm the authenticator being set up with its first code; the recovery codes (shown once), or None when
    the code is wrong."""
    device = pending_device(officer)
    if not device.verify_token(token.strip()):
        audit.record(AuditEventKind.SECOND_FACTOR_FAILED, actor=officer, request=request, setup=True)
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    StaticDevice.objects.filter(user=officer, name=RECOVERY).delete()
    recovery = StaticDevice.objects.create(user=officer, name=RECOVERY, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=recovery, token=code) for code in codes)
    django_otp.login(request, device)
    audit.record(AuditEventKind.SECOND_FACTOR_SET_UP, actor=officer, request=request)
    return codes


def verify(request: HttpRequest, officer: Officer, token: str) -> bool:
    """Check a code from the authenticator app or a recovery code (used up by this)."""
    device = django_otp.match_token(officer, token.strip().replace(" ", ""))
    if device is None:
        audit.record(AuditEventKind.SECOND_FACTOR_FAILED, actor=officer, request=request)
        return False
    django_otp.login(request, device)
    if isinstance(device, StaticDevice):
        audit.record(
            AuditEventKind.RECOVERY_CODE_USED, actor=officer, request=request, remaining=remaining_codes(officer)
        )
    return True


@transaction.atomic
def reset(officer: Officer, *, acting_user: Officer) -> None:
    """A lost phone: remove the officer's authenticator and recovery codes; they set up again at their next login.
    The security administrator's (``integrity.admin``), never one's own."""
    if officer.pk == acting_user.pk:
        raise PermissionDenied
    TOTPDevice.objects.filter(user=officer).delete()
    StaticDevice.objects.filter(user=officer).delete()
    audit.record(AuditEventKind.SECOND_FACTOR_RESET, actor=acting_user, target=f"officer:{officer.pk}")
