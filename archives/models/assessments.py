"""Quarterly assessments with their adjustments, and the leaders' yearly accounts of duty and integrity
(述责述廉) with their statements."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from archives.choices import (
    AccountStatus,
    QuarterGrade,
)
from integrity import triggers as db_triggers
from integrity.models import Officer


class QuarterlyAssessment(models.Model):
    """廉政考核 — an officer's quarterly score from measured inputs and evaluators' adjustments, and the grade."""

    officer = models.ForeignKey(
        Officer, verbose_name=_("officer"), on_delete=models.PROTECT, related_name="quarterly_assessments"
    )
    quarter = models.DateField(_("quarter"), help_text=_("The first day of the quarter."))
    measured = models.JSONField(_("measured inputs"), default=dict)
    score = models.SmallIntegerField(_("score"), null=True, blank=True)
    grade = models.CharField(
        pgettext_lazy("quarterly assessment", "grade"), max_length=10, choices=QuarterGrade.choices, blank=True
    )
    barred_until = models.DateField(_("barred from awards and promotion until"), null=True, blank=True)
    graded_at = models.DateTimeField(_("graded at"), null=True, blank=True)
    graded_by = models.ForeignKey(
        Officer, verbose_name=_("graded by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("quarterly assessment")
        verbose_name_plural = _("quarterly assessments")
        ordering = ["-quarter", "officer_id"]
        constraints = [
            models.UniqueConstraint(fields=["officer", "quarter"], name="one_assessment_per_officer_and_quarter")
        ]

    def __str__(self) -> str:
        return f"{self.officer} · {self.label}"

    @property
    def label(self) -> str:
        return f"{self.quarter.year} Q{(self.quarter.month - 1) // 3 + 1}"


class Adjustment(models.Model):
    """An evaluator's adjustment to a quarterly score (民主测评, inspection findings…) with its reason."""

    assessment = models.ForeignKey(
        QuarterlyAssessment, verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="adjustments"
    )
    points = models.SmallIntegerField(_("points"))
    reason = models.CharField(_("reason"), max_length=300)
    by = models.ForeignKey(Officer, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["assessment_id", "at"]

    def __str__(self) -> str:
        return f"{self.points:+d} {self.reason}"


class DutyAccount(models.Model):
    """述责述廉 — a leader's yearly written account of how they carried their duty for integrity and kept it
    themselves. Every department head, deputy and principal leader owes the account of the year just ended by the
    end of the archive policy's month, reviewed one level up (their reviewer, ``integrity.routing``). Each filing is
    a ``DutyStatement`` kept as written; a returned account is answered with a further statement."""

    officer = models.ForeignKey(
        Officer, verbose_name=_("leader"), on_delete=models.PROTECT, related_name="duty_accounts"
    )
    year = models.PositiveSmallIntegerField(_("year accounted for"))
    due_on = models.DateField(_("due on"))
    status = models.CharField(_("status"), max_length=15, choices=AccountStatus.choices, default=AccountStatus.DUE)
    submitted_at = models.DateTimeField(_("filed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        Officer, verbose_name=_("reviewed by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_comment = models.TextField(_("review comment"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("account of duty and integrity")
        verbose_name_plural = _("accounts of duty and integrity")
        ordering = ["-year", "pk"]
        constraints = [models.UniqueConstraint(fields=["officer", "year"], name="one_duty_account_a_year")]

    def __str__(self) -> str:
        return f"{self.officer} {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("archives:duty_account", args=[self.pk])


class DutyStatement(models.Model):
    """One filing of an account, kept as written (a returned account gets another, never an edit)."""

    account = models.ForeignKey(
        DutyAccount, verbose_name=_("account"), on_delete=models.PROTECT, related_name="statements"
    )
    text = models.TextField(_("account"))
    filed_at = models.DateTimeField(_("filed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        ordering = ["filed_at", "pk"]
        triggers = [db_triggers.never_changed("duty_statement_kept")]

    def __str__(self) -> str:
        return self.text[:40]
