"""The power catalog and its risk points: the institution's risk policy, categories, power items and
their flow steps, risk points with their yearly reviews, the points officers propose, and the
uploads of the catalog import."""

from __future__ import annotations

from dataclasses import replace

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from integrity import triggers as db_triggers
from integrity.models import Department, Institution, MappedUpload, Officer, Post
from integrity.spreadsheets import Mapping
from risks.choices import (
    Grade,
    IdentificationMethod,
    ImportKind,
    ImportStatus,
    PowerCategory,
    ProposalStatus,
    ReviewOutcome,
    RiskScope,
    RiskStatus,
)

ONE_TO_FIVE = [MinValueValidator(1), MaxValueValidator(5)]


class RiskPolicy(models.Model):
    """风险防控规则 — an institution's thresholds: how a risk is graded and when the monthly check is due.

    An institution without a row uses the defaults below (``risks.queries.policy_for``).
    """

    institution = models.OneToOneField(
        Institution, verbose_name=_("institution"), on_delete=models.CASCADE, related_name="risk_policy"
    )
    high_threshold = models.PositiveSmallIntegerField(
        _("high from"), default=15, help_text=_("Likelihood × impact at or above this is high.")
    )
    medium_threshold = models.PositiveSmallIntegerField(
        _("medium from"), default=8, help_text=_("Likelihood × impact at or above this (and below high) is medium.")
    )
    check_due_day = models.PositiveSmallIntegerField(
        _("monthly check due on day"),
        default=0,
        validators=[MaxValueValidator(31)],
        help_text=_("Day of the month the check is due; 0 means the last day of the month."),
    )
    letters_from = models.PositiveSmallIntegerField(
        _("responsibility letters signed from (year)"), null=True, blank=True,
        help_text=_(
            "The first year the department heads owe the letter; blank: not yet required (a body that starts in the"
            " middle of a year does not find every head overdue at once)."
        ),
    )  # fmt: skip
    letter_month = models.PositiveSmallIntegerField(
        _("responsibility letters signed by the end of (month)"), default=3,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )  # fmt: skip
    due_soon_days = models.PositiveSmallIntegerField(
        _("yellow this many days before"), default=5, validators=[MaxValueValidator(27)]
    )
    review_month = models.PositiveSmallIntegerField(
        _("risk points reviewed by the end of (month)"), default=6,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_("Each year every published risk point is confirmed or revised by whoever answers for it."),
    )  # fmt: skip

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("risk policy")
        verbose_name_plural = _("risk policies")
        constraints = [
            models.CheckConstraint(
                condition=Q(medium_threshold__lt=models.F("high_threshold")), name="policy_medium_below_high"
            ),
        ]

    def __str__(self) -> str:
        return str(self.institution)

    @property
    def time_zone(self) -> str:
        return self.institution.time_zone


class RiskCategory(models.Model):
    """风险类别 — 思想道德, 制度机制, 岗位职责, 业务流程, 外部环境 by default; administrators keep the list."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    order = models.PositiveSmallIntegerField(_("display order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("risk category")
        verbose_name_plural = _("risk categories")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class PowerItem(models.Model):
    """职权 — one item of the power catalog (职权目录), with its power-flow chart made of ``FlowStep`` rows."""

    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="power_items"
    )
    department = models.ForeignKey(
        Department, verbose_name=_("owning department"), on_delete=models.PROTECT, related_name="power_items"
    )
    name = models.CharField(_("name"), max_length=200)
    category = models.CharField(_("category"), max_length=20, choices=PowerCategory.choices)
    content = models.TextField(_("content"), blank=True)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    exercised_by = models.CharField(_("exercised by"), max_length=200, blank=True)
    conditions = models.TextField(_("conditions"), blank=True)
    procedure = models.TextField(_("procedure"), blank=True)
    time_limit = models.CharField(_("time limit"), max_length=200, blank=True)
    supervision = models.TextField(_("supervision method"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("power item")
        verbose_name_plural = _("power catalog")
        ordering = ["department_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "name"], name="power_item_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("risks:power_item_detail", args=[self.pk])


class FlowStep(models.Model):
    """权力运行流程图的环节 — an ordered step of a power item's flow chart; risk points attach to steps."""

    power_item = models.ForeignKey(
        PowerItem, verbose_name=_("power item"), on_delete=models.CASCADE, related_name="steps"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=100)
    actor = models.CharField(_("who acts"), max_length=100, blank=True)
    description = models.TextField(_("description"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("flow step")
        verbose_name_plural = _("flow steps")
        ordering = ["power_item_id", "order"]
        constraints = [
            models.UniqueConstraint(fields=["power_item", "order"], name="flow_step_unique_order"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"


class RiskPoint(models.Model):
    """廉政风险点 — a risk at a post, a department or the institution, graded high/medium/low.

    The grade is never typed: it follows from likelihood × impact and the institution's policy, or — for tables
    graded before scoring existed — from a collective assessment (集体定) marked as such until it is scored.
    """

    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="risk_points"
    )
    scope = models.CharField(_("level"), max_length=20, choices=RiskScope.choices)
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="risk_points",
    )
    post = models.ForeignKey(
        Post, verbose_name=_("post"), null=True, blank=True, on_delete=models.PROTECT, related_name="risk_points"
    )
    power_item = models.ForeignKey(
        PowerItem,
        verbose_name=_("power item"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="risk_points",
    )
    flow_step = models.ForeignKey(
        FlowStep,
        verbose_name=_("flow step"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="risk_points",
    )
    category = models.ForeignKey(
        RiskCategory, verbose_name=_("risk category"), on_delete=models.PROTECT, related_name="risk_points"
    )
    description = models.TextField(_("risk"))
    manifestation = models.TextField(_("how it shows"), blank=True)
    likelihood = models.PositiveSmallIntegerField(_("likelihood"), null=True, blank=True, validators=ONE_TO_FIVE)
    impact = models.PositiveSmallIntegerField(_("impact"), null=True, blank=True, validators=ONE_TO_FIVE)
    collective_grade = models.CharField(
        _("collectively assessed grade"),
        max_length=10,
        choices=Grade.choices,
        blank=True,
        help_text=_("Only for risks graded collectively before likelihood and impact were scored."),
    )
    grade = models.CharField(_("grade"), max_length=10, choices=Grade.choices, editable=False, db_index=True)
    measures = models.TextField(_("control measures"), blank=True)
    # Which row of an imported table the risk point came from ("code:R-12", or the sheet and row "岗位风险!7"):
    # a re-import updates it, and two rows worded alike stay two risk points.
    source_key = models.CharField(_("imported from"), max_length=200, blank=True, editable=False)
    identification_method = models.CharField(
        _("identified by"), max_length=20, choices=IdentificationMethod.choices, default=IdentificationMethod.SELF
    )
    status = models.CharField(
        _("status"), max_length=20, choices=RiskStatus.choices, default=RiskStatus.DRAFT, db_index=True
    )
    created_by = models.ForeignKey(
        Officer, verbose_name=_("created by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("risk point")
        verbose_name_plural = _("risk points")
        ordering = ["institution_id", "scope", "id"]
        indexes = [models.Index(fields=["institution", "status", "grade"])]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(scope=RiskScope.POST, post__isnull=False, department__isnull=False)
                    | Q(scope=RiskScope.DEPARTMENT, post__isnull=True, department__isnull=False)
                    | Q(scope=RiskScope.INSTITUTION, post__isnull=True, department__isnull=True)
                ),
                name="risk_point_scope_matches_target",
            ),
            models.CheckConstraint(
                condition=(Q(likelihood__isnull=True) & Q(impact__isnull=True) & ~Q(collective_grade=""))
                | (Q(likelihood__isnull=False) & Q(impact__isnull=False)),
                name="risk_point_scored_or_collectively_graded",
            ),
        ]

    def __str__(self) -> str:
        return self.description[:40]

    def get_absolute_url(self) -> str:
        return reverse("risks:risk_point_detail", args=[self.pk])

    @property
    def is_scored(self) -> bool:
        return self.likelihood is not None and self.impact is not None

    @property
    def grade_choice(self) -> Grade:
        return Grade(self.grade)


class RiskProposal(models.Model):
    """An officer's proposal of a risk point for their post (自己找、群众提): their reviewer decides; once accepted
    it becomes a submitted risk point of the post, which the leaders approve and publish like any other."""

    officer = models.ForeignKey(Officer, verbose_name=_("proposed by"), on_delete=models.PROTECT, related_name="+")
    post = models.ForeignKey(Post, verbose_name=_("post"), on_delete=models.PROTECT, related_name="+")
    description = models.TextField(_("risk"))
    manifestation = models.TextField(_("how it shows"), blank=True)
    measures = models.TextField(_("suggested measures"), blank=True)
    identification_method = models.CharField(
        _("identified by"), max_length=20, choices=IdentificationMethod.choices, default=IdentificationMethod.SELF
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PENDING, db_index=True
    )
    decided_by = models.ForeignKey(
        Officer, verbose_name=_("decided by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("reason"), blank=True)
    risk_point = models.OneToOneField(
        RiskPoint, verbose_name=_("risk point"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("risk point proposal")
        verbose_name_plural = _("risk point proposals")
        ordering = ["-submitted_at", "-id"]

    def __str__(self) -> str:
        return self.description[:40]

    def get_absolute_url(self) -> str:
        return reverse("risks:proposal_detail", args=[self.pk])


class ImportBatch(MappedUpload):
    """An uploaded catalog spreadsheet, its column and grade mappings, and what became of it."""

    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="risk_imports"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ImportKind.choices)
    grade_map = models.JSONField(_("grade mapping"), default=dict, blank=True)
    create_missing = models.BooleanField(_("create missing departments and power items"), default=False)
    status = models.CharField(_("status"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.UPLOADED)
    # The job queued: a preview (every row checked, nothing written) or, with ``commit``, the import itself.
    commit = models.BooleanField(_("import when checked"), default=False)
    publish = models.BooleanField(_("publish what is imported"), default=False)
    skip_bad_rows = models.BooleanField(_("skip the rows with errors"), default=False)
    queued_by = models.ForeignKey(
        Officer, verbose_name=_("queued by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    preview = models.JSONField(_("preview"), default=dict, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    created_by = models.ForeignKey(Officer, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("catalog import")
        verbose_name_plural = _("catalog imports")
        ordering = ["-created_at"]

    def get_absolute_url(self) -> str:
        return reverse("risks:import_detail", args=[self.pk])

    def mapping(self) -> Mapping:
        return replace(super().mapping(), values={"grade": self.grade_map})

    @property
    def busy(self) -> bool:
        return self.status in (ImportStatus.QUEUED, ImportStatus.RUNNING)

    @property
    def mappable(self) -> bool:
        return self.status in (ImportStatus.UPLOADED, ImportStatus.REJECTED)


class RiskPointReview(models.Model):
    """一年一查 — each year every published risk point (published before the year began) is confirmed or revised by
    whoever answers for it: the head of its department (the review routing goes up when there is none), the principal
    leader for a risk point of the whole body. Owed from January until done, due by the end of the risk policy's
    month; the revision itself is the risk point's own adjustment, kept in its history."""

    risk_point = models.ForeignKey(
        RiskPoint, verbose_name=_("risk point"), on_delete=models.CASCADE, related_name="reviews"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    owner = models.ForeignKey(
        Officer, verbose_name=_("reviewed by (owner)"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="risk_point_reviews",
    )  # fmt: skip
    due_on = models.DateField(_("due on"))
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    outcome = models.CharField(
        pgettext_lazy("yearly review", "outcome"), max_length=10, choices=ReviewOutcome.choices, blank=True
    )
    note = models.TextField(_("note"), blank=True)
    reviewed_by = models.ForeignKey(
        Officer, verbose_name=_("reviewed by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("yearly review of a risk point")
        verbose_name_plural = _("yearly reviews of risk points")
        constraints = [models.UniqueConstraint(fields=["risk_point", "year"], name="one_risk_review_a_year")]
        triggers = db_triggers.filed_content("risk_point_review", filed="reviewed_at", fields=["outcome", "note"])

    def __str__(self) -> str:
        return f"{self.risk_point} {self.year}"
