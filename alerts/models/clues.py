"""Petitions and clues (信访举报、问题线索): the clue, the steps of its verification, and what it concluded — a
clarification for an untrue report, a violation recorded."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from alerts.choices import (
    FOUNDED,
    ClueGrade,
    ClueKind,
    ClueMethod,
    ClueStatus,
    Outcome,
)
from cases.models import Case
from integrity.models import Institution, Officer


class Clue(models.Model):
    """信访举报线索 — a petition, report, abnormal-situation report or inspection finding, verified to an outcome."""

    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="clues"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ClueKind.choices)
    source = models.CharField(_("source"), max_length=200)
    channel = models.CharField(_("channel"), max_length=100, blank=True)
    subject = models.ForeignKey(
        Officer,
        verbose_name=_("subject officer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="clues",
    )
    content = models.TextField(pgettext_lazy("clue", "content"))
    received_on = models.DateField(_("received on"))
    verifier = models.ForeignKey(
        Officer, verbose_name=_("verifier"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=15, choices=ClueStatus.choices, default=ClueStatus.REGISTERED, db_index=True
    )
    outcome = models.CharField(_("outcome"), max_length=15, choices=Outcome.choices, blank=True)
    grade = models.CharField(
        pgettext_lazy("clue", "grade"), max_length=10, choices=ClueGrade.choices, default=ClueGrade.GENERAL
    )
    # Who must act on it now: while registered, who decides its disposal (by its grade); while the disposal awaits
    # approval, the discipline lead who approves it (``alerts.queries.clue_owner``).
    owner = models.ForeignKey(
        Officer,
        verbose_name=pgettext_lazy("clue", "awaiting"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    cases = models.ManyToManyField(Case, verbose_name=_("cases concerned"), blank=True, related_name="+")
    method = models.CharField(_("disposal method"), max_length=15, choices=ClueMethod.choices, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True, db_index=True)
    method_by = models.ForeignKey(
        Officer, verbose_name=_("disposal decided by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    method_proposed_at = models.DateTimeField(_("disposal proposed at"), null=True, blank=True)
    method_approved_by = models.ForeignKey(
        Officer, verbose_name=_("disposal approved by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    method_approved_at = models.DateTimeField(_("disposal approved at"), null=True, blank=True)
    concluded_on = models.DateField(_("concluded on"), null=True, blank=True)
    concluded_by = models.ForeignKey(
        Officer, verbose_name=_("concluded by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    registered_by = models.ForeignKey(
        Officer, verbose_name=_("registered by"), on_delete=models.PROTECT, related_name="+"
    )
    registered_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    # An abnormal-situation report (异常情况报告) filed by an officer about what happened to them: when, who, and
    # what they did about it. The reporter is not its subject.
    reporter = models.ForeignKey(
        Officer,
        verbose_name=_("reported by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="abnormal_reports",
    )
    occurred_on = models.DateField(_("happened on"), null=True, blank=True)
    counterpart = models.CharField(_("who was involved"), max_length=200, blank=True)
    response = models.TextField(_("what the officer did"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("clue")
        verbose_name_plural = _("clues")
        ordering = ["-received_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.received_on}"

    def get_absolute_url(self) -> str:
        return reverse("alerts:clue_detail", args=[self.pk])

    @property
    def may_lead_to_a_warning(self) -> bool:
        """Only what verification found to be so, about a named officer: a warning from an untrue report would undo
        the clarification that protects the officer, and one from a clue still being verified would run ahead of
        its outcome. (``alerts.queries.WARNABLE_CLUE`` says the same in SQL.)"""
        return self.status == ClueStatus.CONCLUDED and self.outcome in FOUNDED and self.subject_id is not None


class ClueStep(models.Model):
    """核查步骤 — what the verifier did, and when."""

    clue = models.ForeignKey(Clue, verbose_name=_("clue"), on_delete=models.CASCADE, related_name="steps")
    text = models.TextField(_("verification step"))
    by = models.ForeignKey(Officer, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["clue_id", "at", "id"]

    def __str__(self) -> str:
        return self.text[:40]


class Clarification(models.Model):
    """不实举报澄清 — the record that clears an officer of an untrue report; the archive shows it."""

    clue = models.OneToOneField(Clue, verbose_name=_("clue"), on_delete=models.PROTECT, related_name="clarification")
    text = models.TextField(_("clarification"))
    by = models.ForeignKey(Officer, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("clarification")
        verbose_name_plural = _("clarifications")

    def __str__(self) -> str:
        return self.text[:40]


class Violation(models.Model):
    """违纪违规记录 — a confirmed violation; within the policy period it keeps the officer's light red."""

    officer = models.ForeignKey(Officer, verbose_name=_("officer"), on_delete=models.PROTECT, related_name="violations")
    clue = models.ForeignKey(
        Clue, verbose_name=_("clue"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    description = models.TextField(_("violation"))
    confirmed_on = models.DateField(_("confirmed on"))
    recorded_by = models.ForeignKey(Officer, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("violation")
        verbose_name_plural = _("violations")
        ordering = ["-confirmed_on"]

    def __str__(self) -> str:
        return self.description[:40]
