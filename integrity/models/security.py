"""What the classified-protection assessment asks of the product: the audit log and its checkpoints,
sealed records, password history and the security policy."""

from __future__ import annotations

import pgtrigger
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from integrity.choices import (
    AuditEventKind,
    Role,
)
from integrity.models.organisation import Officer


class AuditEvent(models.Model):
    """安全审计日志 — one security event: who (or which username was tried), what, on which record, from where.

    Append-only: the database refuses UPDATE and DELETE on PostgreSQL (a trigger), and nothing in the product
    changes a row. Each row carries the hash of the row before it and of its own content, so an edit or a deletion
    made around the trigger breaks the chain at that row (``integrity.audit.verify_chain``)."""

    at = models.DateTimeField(_("at"), db_index=True)
    actor = models.ForeignKey(
        Officer, verbose_name=_("who"), null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False,
        related_name="+",
    )  # fmt: skip
    username = models.CharField(_("username"), max_length=150, blank=True)
    event = models.CharField(_("event"), max_length=30, choices=AuditEventKind.choices, db_index=True)
    target = models.CharField(_("record"), max_length=200, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    # Keyed hashes named by their algorithm (``integrity.digests``): "hmac-sm3:…".
    prev_hash = models.CharField(max_length=80, blank=True)
    hash = models.CharField(max_length=80)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit log")
        ordering = ["-id"]
        indexes = [models.Index(fields=["actor", "at"]), models.Index(fields=["ip", "at"])]
        triggers = [
            pgtrigger.Protect(name="audit_append_only", operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_event_display()} {self.username}"


class AuditCheckpoint(models.Model):
    """Where the audit log was cut after its retention period: the rows up to ``up_to_id`` went, in order, to a file
    signed with the deployment's key, and the chain goes on from ``last_hash``. Append-only like the log."""

    up_to_id = models.BigIntegerField(_("up to row"))
    last_hash = models.CharField(max_length=80)
    rows = models.PositiveIntegerField(_("rows"))
    file = models.CharField(_("file"), max_length=300)
    sha256 = models.CharField(max_length=64)
    signature = models.CharField(_("signature"), max_length=64)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("audit log archive")
        verbose_name_plural = _("audit log archives")
        ordering = ["-up_to_id"]
        triggers = [
            pgtrigger.Protect(name="audit_checkpoint_append_only", operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return self.file


class RecordSeal(models.Model):
    """封存 — the keyed hash of a record's content, taken when it was filed: a monthly check, a case declaration, a
    printed archive. One chain per officer (each seal covers the one before it); append-only like the audit log.

    A record edited in SQL no longer matches its seal; a deleted record leaves its seal behind, so the gap shows;
    a seal recomputed without the key does not verify (``integrity.seals.verify``)."""

    officer = models.ForeignKey(Officer, verbose_name=_("officer"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind of record"), max_length=40)
    object_id = models.BigIntegerField(_("record"))
    reference = models.CharField(_("reference"), max_length=100)
    sealed_at = models.DateTimeField(_("sealed at"))
    prev = models.CharField(max_length=80, blank=True)
    seal = models.CharField(_("seal"), max_length=80)

    class Meta:
        verbose_name = _("record seal")
        verbose_name_plural = _("record seals")
        ordering = ["officer_id", "id"]
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="one_seal_per_record")]
        indexes = [models.Index(fields=["officer", "id"])]
        triggers = [pgtrigger.Protect(name="seal_append_only", operation=pgtrigger.Update | pgtrigger.Delete)]

    def __str__(self) -> str:
        return self.reference


class PasswordHistory(models.Model):
    """The hashes of an officer's past passwords: a new one may not repeat the last few (``SecurityPolicy``)."""

    officer = models.ForeignKey(Officer, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.officer_id} · {self.changed_at:%Y-%m-%d}"


def second_factor_default() -> list[str]:
    """The three administrators log in with a second factor unless the policy says otherwise."""
    return sorted(Role.administrators())


class SecurityPolicy(models.Model):
    """安全策略 — the deployment's password rules (one row; the defaults until it is saved). Lockout and the idle
    timeout are deployment settings (``AXES_*``, ``SESSION_IDLE_MINUTES``) read on every request."""

    password_min_length = models.PositiveSmallIntegerField(
        _("minimum password length"), default=10, validators=[MinValueValidator(8), MaxValueValidator(64)]
    )
    password_classes = models.PositiveSmallIntegerField(
        _("character classes required (of lower case, upper case, digits, symbols)"), default=3,
        validators=[MinValueValidator(1), MaxValueValidator(4)],
    )  # fmt: skip
    password_history = models.PositiveSmallIntegerField(_("passwords that may not be reused"), default=5)
    password_max_age_days = models.PositiveSmallIntegerField(
        _("password expires after (days)"), default=90, help_text=_("0: never.")
    )
    second_factor_roles = models.JSONField(
        _("roles that log in with a second factor"), default=second_factor_default, blank=True,
        help_text=_("Besides the password, a code from an authenticator app (TOTP). Superusers always."),
    )  # fmt: skip
    one_session_per_account = models.BooleanField(
        _("one session per account"), default=False,
        help_text=_("A new sign-in ends the account's earlier session, wherever it was."),
    )  # fmt: skip
    audit_retention_days = models.PositiveSmallIntegerField(
        _("audit log kept in the database for (days)"), default=180, validators=[MinValueValidator(180)],
        help_text=_("Older rows go to a signed file before they leave the database; at least 180 days (等保)."),
    )  # fmt: skip

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("security policy")
        verbose_name_plural = _("security policy")

    def __str__(self) -> str:
        return str(_("Security policy"))

    @classmethod
    def current(cls) -> SecurityPolicy:
        return cls.objects.filter(pk=1).first() or cls(pk=1)
