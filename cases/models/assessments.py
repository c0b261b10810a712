"""The risk assessment of a case (风险评估): the factors scored, the colour grades, the assessment and its approvals."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cases.choices import (
    ApprovalLevel,
    AssessmentOccasion,
    AssessmentStatus,
    Decision,
    RiskColour,
)
from cases.models.cases import Case, Stage
from integrity.models import Officer


class RiskFactor(models.Model):
    """风险因子 — an item of the case risk checklist, with its weight; data, like the declaration questions."""

    name = models.CharField(_("risk factor"), max_length=200, unique=True)
    weight = models.PositiveSmallIntegerField(_("weight"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("risk factor")
        verbose_name_plural = _("risk factors")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class ColourGrade(models.Model):
    """预警等级 — one colour of the assessment scale: from which score, who must approve, the handling deadline."""

    colour = models.CharField(_("colour"), max_length=10, choices=RiskColour.choices, unique=True)
    min_score = models.PositiveSmallIntegerField(_("from score"), unique=True)
    approval_level = models.PositiveSmallIntegerField(_("approved up to"), choices=ApprovalLevel.choices)
    deadline_days = models.PositiveSmallIntegerField(_("handling deadline (days)"))

    class Meta:
        verbose_name = _("assessment grade")
        verbose_name_plural = _("assessment grades")
        ordering = ["min_score"]

    def __str__(self) -> str:
        return self.get_colour_display()


class Assessment(models.Model):
    """执法办案风险评估 — every case is assessed (每案必评): factors give a score, the score a colour; the plan
    (预案) is approved up the chain the colour requires; the case is handled by the colour's deadline.

    A case is assessed at filing, again at each stage marked ``reassessed`` and whenever its facts change: each
    assessment is a new one linked to the one before (``previous``), never an edit of an approved one. The case's
    current assessment is the one no other follows."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="assessments")
    stage = models.ForeignKey(Stage, verbose_name=_("stage"), on_delete=models.PROTECT, related_name="+")
    occasion = models.CharField(
        _("occasion"), max_length=10, choices=AssessmentOccasion.choices, default=AssessmentOccasion.FILING
    )
    occasion_note = models.TextField(_("what changed"), blank=True)
    previous = models.OneToOneField(
        "self", verbose_name=_("previous assessment"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="following",
    )  # fmt: skip
    author = models.ForeignKey(Officer, verbose_name=_("assessed by"), on_delete=models.PROTECT, related_name="+")
    factors = models.ManyToManyField(RiskFactor, verbose_name=_("risk factors"), blank=True, related_name="+")
    score = models.PositiveSmallIntegerField(_("score"), default=0)
    colour = models.CharField(_("grade"), max_length=10, choices=RiskColour.choices)
    plan = models.TextField(_("handling plan"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT, db_index=True
    )
    next_level = models.PositiveSmallIntegerField(
        _("awaiting"), choices=ApprovalLevel.choices, null=True, blank=True, db_index=True
    )
    # Who approves at ``next_level``, by the four levels (``cases.rules.approval_route``); re-routed when roles change.
    approver = models.ForeignKey(
        Officer, verbose_name=_("approver"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Submitted on time if by this day: the policy's days after the case was received, or after the re-assessment
    # was opened (``CasePolicy.assessment_days``).
    due_on = models.DateField(_("submit by"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    deadline = models.DateField(_("handle by"), null=True, blank=True, db_index=True)
    feedback = models.TextField(_("closing feedback"), blank=True)
    feedback_at = models.DateTimeField(_("feedback at"), null=True, blank=True)

    history = HistoricalRecords(m2m_fields=[factors])

    class Meta:
        verbose_name = _("case risk assessment")
        verbose_name_plural = _("case risk assessments")
        ordering = ["-id"]
        constraints = [
            # One per stage, besides re-assessments for changed facts; and one first assessment per case.
            models.UniqueConstraint(
                fields=["case", "stage"], condition=~Q(occasion="facts"), name="one_assessment_per_case_stage"
            ),
            models.UniqueConstraint(
                fields=["case"], condition=Q(previous__isnull=True), name="one_first_assessment_per_case"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} · {self.get_colour_display()}"

    def get_absolute_url(self) -> str:
        return reverse("cases:assessment_detail", args=[self.pk])


class Approval(models.Model):
    """One step of an assessment's approval chain: who, at which level, approve or return, and why."""

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="approvals"
    )
    level = models.PositiveSmallIntegerField(_("level"), choices=ApprovalLevel.choices)
    approver = models.ForeignKey(Officer, verbose_name=_("approver"), on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    reason = models.TextField(_("reason"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), auto_now_add=True)

    class Meta:
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")
        ordering = ["assessment_id", "decided_at", "id"]

    def __str__(self) -> str:
        return f"{self.assessment} · {self.get_level_display()} · {self.get_decision_display()}"
