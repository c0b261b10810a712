"""The integrity declaration each handler owes for a case (廉政申报): the questions asked, the answers,
amendments after submission."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cases.choices import (
    ConflictDecision,
    QuestionKind,
    ReviewStatus,
)
from cases.models.cases import Case
from integrity import triggers as db_triggers
from integrity.models import Institution, Officer


class DeclarationQuestion(models.Model):
    """每案自查的问题 — the questions are data: add, reword or retire them without a code change.

    The product's questions (no institution) are asked everywhere; an institution adds its own, asked in it and the
    bodies below, and may stop asking an inherited one for itself and below (``QuestionOptOut``). Past declarations
    keep the wording they were answered with (``DeclarationAnswer.question_text``).
    """

    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text=_("Asked in this institution and the bodies below it; empty: asked everywhere."),
    )  # fmt: skip
    code = models.SlugField(_("code"), max_length=40, unique=True)
    text = models.CharField(_("question"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=QuestionKind.choices, default=QuestionKind.GENERAL)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("declaration question")
        verbose_name_plural = _("declaration questions")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.text


class Declaration(models.Model):
    """每案自查 — a handler's integrity declaration for one case. Submitted once; corrected by amendment."""

    # indexed by the unique (case, officer) and the index on (officer, submitted_at)
    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="declarations", db_index=False
    )
    officer = models.ForeignKey(
        Officer, verbose_name=_("handler"), on_delete=models.PROTECT, related_name="case_declarations", db_index=False
    )
    due_on = models.DateField(_("due on"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, db_index=True)
    has_yes = models.BooleanField(_("has a yes answer"), default=False)
    review_status = models.CharField(
        _("review"), max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.NOT_NEEDED
    )
    reviewed_by = models.ForeignKey(
        Officer, verbose_name=_("reviewed by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_comment = models.TextField(_("review comment"), blank=True)
    # A handler whose declared relation matches a party or agent of the case: why they see no reason to recuse, and
    # what the reviewer decided (recuse, or keep the case with a reason).
    conflict_explanation = models.TextField(_("why the relation is no reason to recuse"), blank=True)
    conflict_decision = models.CharField(
        _("conflict decision"), max_length=10, choices=ConflictDecision.choices, blank=True
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("case declaration")
        verbose_name_plural = _("case declarations")
        ordering = ["-id"]
        constraints = [models.UniqueConstraint(fields=["case", "officer"], name="one_declaration_per_case_and_handler")]
        indexes = [models.Index(fields=["officer", "submitted_at"]), models.Index(fields=["review_status"])]
        triggers = db_triggers.filed_content(
            "filed_declaration",
            filed="submitted_at",
            fields=["case", "officer", "has_yes", "conflict_explanation"],
        )

    def __str__(self) -> str:
        return f"{self.case} · {self.officer}"

    def get_absolute_url(self) -> str:
        return reverse("cases:declaration_detail", args=[self.pk])


class QuestionOptOut(models.Model):
    """An institution that no longer asks a question it inherits, nor do the bodies below it."""

    question = models.ForeignKey(
        DeclarationQuestion, verbose_name=_("question"), on_delete=models.CASCADE, related_name="opt_outs"
    )
    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        Officer, verbose_name=_("by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("question not asked")
        verbose_name_plural = _("questions not asked")
        constraints = [models.UniqueConstraint(fields=["question", "institution"], name="one_opt_out_per_question")]

    def __str__(self) -> str:
        return f"{self.institution} · {self.question}"


class DeclarationAnswer(models.Model):
    declaration = models.ForeignKey(
        Declaration, verbose_name=_("declaration"), on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        DeclarationQuestion, verbose_name=_("question"), on_delete=models.PROTECT, related_name="+"
    )
    question_text = models.CharField(_("question as asked"), max_length=300)
    answer = models.BooleanField(_("yes"))
    details = models.TextField(_("details"), blank=True)
    person = models.CharField(_("who"), max_length=100, blank=True)
    person_relation = models.CharField(_("their relation"), max_length=100, blank=True)
    occurred_on = models.DateField(_("when"), null=True, blank=True)
    handling = models.TextField(_("how it was handled"), blank=True)

    class Meta:
        verbose_name = _("declaration answer")
        verbose_name_plural = _("declaration answers")
        ordering = ["declaration_id", "id"]
        triggers = [db_triggers.never_changed("declaration_answer_kept")]

    def __str__(self) -> str:
        return self.question_text


class DeclarationAmendment(models.Model):
    """更正 — a correction to a submitted declaration; the original answers stay as submitted."""

    declaration = models.ForeignKey(
        Declaration, verbose_name=_("declaration"), on_delete=models.PROTECT, related_name="amendments"
    )
    text = models.TextField(_("correction"))
    created_by = models.ForeignKey(Officer, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("declaration amendment")
        verbose_name_plural = _("declaration amendments")
        ordering = ["declaration_id", "created_at"]

    def __str__(self) -> str:
        return f"{self.declaration} · {self.created_at:%Y-%m-%d}"
