"""Integrity warnings at three levels (廉政预警) and the rectification each one orders."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from alerts.choices import (
    ActionKind,
    WarningLevel,
    WarningStatus,
    WarningTarget,
)
from integrity.models import Department, Institution, Officer


class IntegrityWarning(models.Model):
    """廉情预警 — proposed by discipline staff, approved by a leader, carried out by the responsible department."""

    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="integrity_warnings"
    )
    level = models.CharField(_("level"), max_length=10, choices=WarningLevel.choices)
    target = models.CharField(_("on"), max_length=15, choices=WarningTarget.choices)
    officer = models.ForeignKey(
        Officer,
        verbose_name=_("officer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="integrity_warnings",
    )
    department = models.ForeignKey(
        Department, verbose_name=_("department"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    facts = models.TextField(_("facts"))
    source = models.CharField(_("source"), max_length=200)
    status = models.CharField(
        _("status"), max_length=15, choices=WarningStatus.choices, default=WarningStatus.PROPOSED, db_index=True
    )
    proposed_by = models.ForeignKey(Officer, verbose_name=_("proposed by"), on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    approved_by = models.ForeignKey(
        Officer, verbose_name=_("approved by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    raised_from = models.OneToOneField(
        "self", verbose_name=_("raised from"), null=True, blank=True, on_delete=models.PROTECT, related_name="raised_to"
    )
    clue = models.ForeignKey(
        "Clue", verbose_name=_("clue"), null=True, blank=True, on_delete=models.PROTECT, related_name="warnings"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("integrity warning")
        verbose_name_plural = _("integrity warnings")
        ordering = ["-proposed_at"]

    def __str__(self) -> str:
        return f"{self.get_level_display()} · {self.officer or self.department or self.institution}"

    def get_absolute_url(self) -> str:
        return reverse("alerts:warning_detail", args=[self.pk])


class RectificationAction(models.Model):
    """整改措施 — one action of a warning's rectification, with its responsible person, due date and result."""

    warning = models.ForeignKey(
        IntegrityWarning, verbose_name=_("warning"), on_delete=models.CASCADE, related_name="actions"
    )
    kind = models.CharField(_("action"), max_length=30, choices=ActionKind.choices)
    responsible = models.ForeignKey(
        Officer, verbose_name=_("responsible"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField(_("due on"))
    result = models.TextField(_("result"), blank=True)
    result_by = models.ForeignKey(
        Officer, verbose_name=_("recorded by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    result_at = models.DateTimeField(_("recorded at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rectification action")
        verbose_name_plural = _("rectification actions")
        ordering = ["warning_id", "due_on", "id"]

    def __str__(self) -> str:
        return self.get_kind_display()
