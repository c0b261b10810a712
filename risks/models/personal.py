"""Each officer's own part (一人一表、每月自查): personal risk tables and their items, monthly self-checks with
their answers and amendments, and the department's responsibility letter."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from integrity import triggers as db_triggers
from integrity.models import Department, Officer, Post
from risks.choices import (
    ReviewStatus,
    TableStatus,
)
from risks.models.catalog import RiskPoint


class PersonalRiskTable(models.Model):
    """个人风险与防范表 — an officer's risks and measures for the post they hold, with the integrity pledge.

    One table per officer is current (not archived); a post change archives it and a new one becomes due.
    """

    officer = models.ForeignKey(
        Officer, verbose_name=_("officer"), on_delete=models.PROTECT, related_name="risk_tables"
    )
    post = models.ForeignKey(Post, verbose_name=_("post"), on_delete=models.PROTECT, related_name="risk_tables")
    main_duties = models.TextField(_("main duties"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=TableStatus.choices, default=TableStatus.DUE)
    pledge = models.TextField(_("integrity pledge"), blank=True)
    pledge_signed_on = models.DateField(_("pledge signed on"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        Officer, verbose_name=_("approved by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_comment = models.TextField(_("review comment"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("personal risk table")
        verbose_name_plural = _("personal risk tables")
        ordering = ["officer_id", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["officer"], condition=Q(archived_at__isnull=True), name="one_current_risk_table_per_officer"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.officer} · {self.post.name}"

    def get_absolute_url(self) -> str:
        return reverse("risks:risk_table_detail", args=[self.pk])


class PersonalRiskItem(models.Model):
    """One risk of a personal table: a published risk point of the post, or one the officer added."""

    table = models.ForeignKey(
        PersonalRiskTable, verbose_name=_("table"), on_delete=models.CASCADE, related_name="items"
    )
    risk_point = models.ForeignKey(
        RiskPoint, verbose_name=_("risk point"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    description = models.TextField(_("risk"))
    measures = models.TextField(_("my measures"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("personal risk")
        verbose_name_plural = _("personal risks")
        ordering = ["table_id", "order", "id"]

    def __str__(self) -> str:
        return self.description[:40]


class MonthlyCheck(models.Model):
    """每月排查 — an officer's monthly self-check against their personal risk table.

    Filed once (``submitted_at``) and never edited after; corrections are ``CheckAmendment`` rows.
    """

    officer = models.ForeignKey(
        Officer, verbose_name=_("officer"), on_delete=models.PROTECT, related_name="monthly_checks"
    )
    period = models.DateField(_("month"), help_text=_("The first day of the month checked."))
    due_on = models.DateField(_("due on"))
    table = models.ForeignKey(
        PersonalRiskTable,
        verbose_name=_("risk table"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="checks",
    )
    remark = models.TextField(_("remark"), blank=True)
    submitted_at = models.DateTimeField(_("filed at"), null=True, blank=True, db_index=True)
    review_status = models.CharField(
        _("review"), max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.PENDING
    )
    reviewed_by = models.ForeignKey(
        Officer, verbose_name=_("reviewed by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_comment = models.TextField(_("review comment"), blank=True)
    created_at = models.DateTimeField(_("opened at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("monthly check")
        verbose_name_plural = _("monthly checks")
        ordering = ["-period", "officer_id"]
        constraints = [
            models.UniqueConstraint(fields=["officer", "period"], name="one_monthly_check_per_officer_and_month"),
        ]
        indexes = [
            models.Index(fields=["period", "submitted_at"]),
            # the reviewers' to-dos, oldest first: the few checks waiting, not every filed one
            models.Index(
                fields=["submitted_at"],
                condition=models.Q(review_status=ReviewStatus.PENDING),
                name="check_waiting_review_idx",
            ),
        ]
        triggers = db_triggers.filed_content(
            "filed_check", filed="submitted_at", fields=["officer", "period", "table", "remark"]
        )

    def __str__(self) -> str:
        return f"{self.officer} · {self.period:%Y-%m}"

    def get_absolute_url(self) -> str:
        return reverse("risks:check_detail", args=[self.pk])

    @property
    def is_filed(self) -> bool:
        return self.submitted_at is not None


class CheckAnswer(models.Model):
    """The answer for one risk of the table: no problem, or the problem found and what was done about it."""

    monthly_check = models.ForeignKey(
        MonthlyCheck, verbose_name=_("check"), on_delete=models.CASCADE, related_name="answers"
    )
    item = models.ForeignKey(
        PersonalRiskItem, verbose_name=_("risk"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    risk = models.TextField(_("risk"), help_text=_("The risk as worded when the check was filed."))
    problem_found = models.BooleanField(_("problem found"), default=False)
    problem = models.TextField(_("what was found"), blank=True)
    action_taken = models.TextField(_("what was done"), blank=True)

    class Meta:
        verbose_name = _("check answer")
        verbose_name_plural = _("check answers")
        ordering = ["monthly_check_id", "id"]
        triggers = [db_triggers.never_changed("check_answer_kept")]

    def __str__(self) -> str:
        return self.risk[:40]


class CheckAmendment(models.Model):
    """更正 — a correction to a filed check; the original stays as it was filed."""

    monthly_check = models.ForeignKey(
        MonthlyCheck, verbose_name=_("check"), on_delete=models.PROTECT, related_name="amendments"
    )
    text = models.TextField(_("correction"))
    created_by = models.ForeignKey(Officer, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("check amendment")
        verbose_name_plural = _("check amendments")
        ordering = ["monthly_check_id", "created_at"]

    def __str__(self) -> str:
        return f"{self.monthly_check} · {self.created_at:%Y-%m-%d}"


class ResponsibilityLetter(models.Model):
    """廉政责任书 — each year the head of each department signs for the department's published risk points and their
    measures, as they stand that day (kept in ``points``, so the letter does not change when the catalog does). Owed
    by the head from January until signed, by the end of the risk policy's month."""

    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="responsibility_letters"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    points = models.JSONField(_("risk points signed for"), default=list)  # [{"description", "grade", "measures"}]
    signed_by = models.ForeignKey(Officer, verbose_name=_("signed by"), on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(_("signed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("responsibility letter")
        verbose_name_plural = _("responsibility letters")
        constraints = [models.UniqueConstraint(fields=["department", "year"], name="one_letter_a_year")]

    def __str__(self) -> str:
        return f"{self.department} {self.year}"
