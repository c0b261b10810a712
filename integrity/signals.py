"""What the audit log hears without being asked: logins, failed logins, logouts, lockouts, role changes, and every
edit made in the admin site (``LogEntry``)."""

from __future__ import annotations

import secrets
from typing import Any, cast

from django.contrib.admin.models import LogEntry
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone

from integrity import audit, second_factor
from integrity.choices import AuditEventKind
from integrity.middleware import MUST_CHANGE, SECOND_FACTOR, SESSION_TOKEN, touch
from integrity.models import Officer, SecurityPolicy
from integrity.passwords import change_reason

# Signed in through the directory or the identity platform: the password is theirs, not one kept here.
ELSEWHERE = {"integrity.directory.DirectoryBackend", "integrity.identity.IdentityPlatformBackend"}


@receiver(user_logged_in, dispatch_uid="audit_login")
def _logged_in(sender: Any, request: HttpRequest, user: Officer, **kwargs: Any) -> None:
    audit.record(AuditEventKind.LOGIN, actor=user, request=request)
    session = getattr(request, "session", None)
    if session is not None:
        touch(request)
        policy = SecurityPolicy.current()
        if second_factor.required(user, policy):
            session[SECOND_FACTOR] = True
        reason = None if getattr(user, "backend", "") in ELSEWHERE else change_reason(user, policy, timezone.now())
        if reason:
            session[MUST_CHANGE] = reason
        if policy.one_session_per_account:
            token = secrets.token_hex(16)
            session[SESSION_TOKEN] = user.session_token = token
            type(user).objects.filter(pk=user.pk).update(session_token=token)


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def _login_failed(sender: Any, credentials: dict, request: HttpRequest | None = None, **kwargs: Any) -> None:
    # The password is never recorded: only the username that was tried.
    audit.record(AuditEventKind.LOGIN_FAILED, username=str(credentials.get("username", "")), request=request)


@receiver(user_logged_out, dispatch_uid="audit_logout")
def _logged_out(sender: Any, request: HttpRequest, user: Officer | None, **kwargs: Any) -> None:
    if user is not None:
        kind = getattr(request, "ended_because", AuditEventKind.LOGOUT)
        audit.record(kind, actor=user, request=request)


@receiver(post_save, sender=LogEntry, dispatch_uid="audit_admin_edit")
def _admin_edit(sender: Any, instance: LogEntry, created: bool, **kwargs: Any) -> None:
    if created:
        content_type = cast(ContentType, instance.content_type)
        audit.record(
            AuditEventKind.ADMIN_EDIT,
            actor=cast(Officer, instance.user),  # the stubs leave the admin log's foreign keys untyped
            target=f"{content_type.app_label}.{content_type.model}:{instance.object_id}",
            action={1: "add", 2: "change", 3: "delete"}.get(instance.action_flag, str(instance.action_flag)),
            object=instance.object_repr[:100],
            change=instance.get_change_message()[:500],
        )


def locked_out(
    sender: Any,
    request: HttpRequest | None = None,
    username: str | None = None,
    ip_address: str | None = None,
    **kwargs: Any,
) -> None:
    """django-axes: an account (or an address) has been locked out after repeated failures."""
    audit.record(AuditEventKind.LOCKED_OUT, username=str(username or ""), request=request, ip=ip_address or "")
