"""The archives themselves: the institution's archive policy, print jobs and printed documents, and the
bar on promotion after a 不良 grade with its overrides."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from archives.choices import (
    ArchiveKind,
    JobStatus,
)
from archives.models.records import OfficerRecord
from integrity import triggers as db_triggers
from integrity.models import Department, Institution, Officer, PostAssignment, deadlines_counted


class ArchivePolicy(models.Model):
    """廉政考核规则 — an institution's quarterly weights and thresholds, and its reporting deadline."""

    institution = models.OneToOneField(
        Institution, verbose_name=_("institution"), on_delete=models.CASCADE, related_name="archive_policy"
    )
    late_check_points = models.PositiveSmallIntegerField(_("points off per late monthly check"), default=3)
    missing_check_points = models.PositiveSmallIntegerField(_("points off per missing monthly check"), default=8)
    late_declaration_points = models.PositiveSmallIntegerField(_("points off per late case declaration"), default=2)
    warning_points = models.PositiveSmallIntegerField(_("points off per integrity warning"), default=10)
    clue_points = models.PositiveSmallIntegerField(_("points off per confirmed clue"), default=15)
    late_assessment_points = models.PositiveSmallIntegerField(
        _("points off per case risk assessment submitted late"), default=2
    )
    returned_assessment_points = models.PositiveSmallIntegerField(
        _("points off per case risk assessment returned"), default=1
    )
    missing_feedback_points = models.PositiveSmallIntegerField(
        _("points off per case closed without closing feedback"), default=3
    )
    excellent_from = models.PositiveSmallIntegerField(_("excellent from"), default=90)
    good_from = models.PositiveSmallIntegerField(_("good from"), default=80)
    fair_from = models.PositiveSmallIntegerField(_("fair from"), default=60)
    bar_days = models.PositiveSmallIntegerField(_("a poor grade bars awards and promotion for (days)"), default=365)
    annual_talk_month = models.PositiveSmallIntegerField(
        _("annual one-to-one talks held by the end of (month)"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    talk_days = models.PositiveSmallIntegerField(
        _("talk on arrival, post change or departure within (days)"), default=30
    )
    report_days = models.PositiveSmallIntegerField(_("report a personal change within (days)"), default=30)
    duty_account_month = models.PositiveSmallIntegerField(
        _("leaders' accounts of duty and integrity due by the end of (month)"), default=1,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_("The month of the following year by whose end each leader files the account of the year before."),
    )  # fmt: skip
    days_counted = deadlines_counted(
        _("The talks' deadlines: calendar days, or working days by the institution's working-day calendar.")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assessment policy")
        verbose_name_plural = _("assessment policies")

    def __str__(self) -> str:
        return str(self.institution)


class PrintJob(models.Model):
    """A batch print: one PDF per officer and one merged file, with its progress."""

    requested_by = models.ForeignKey(
        Officer, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        Department, verbose_name=_("department"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("archive"), max_length=15, choices=ArchiveKind.choices)
    start = models.DateField(_("from"))
    end = models.DateField(_("until"))
    officer_ids = models.JSONField(default=list)
    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    done = models.PositiveIntegerField(default=0)
    failures = models.JSONField(default=list)
    merged = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    # When the run printing it last moved on: a run silent for longer than ``archives.printing.STALE_JOB`` has died.
    heartbeat = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("archives:print_job", args=[self.pk])

    @property
    def total(self) -> int:
        return len(self.officer_ids)

    @property
    def percent(self) -> int:
        return 100 if not self.total else round(100 * (self.done + len(self.failures)) / self.total)


class PrintedDocument(models.Model):
    """打印记录 — every printed archive: its number, the hash of its content, whose, by whom, when. Sealed when
    printed (``integrity.seals``) and never changed."""

    number = models.CharField(_("document number"), max_length=30, unique=True)
    # Named by its algorithm ("sm3:…"; a bare one is SHA-256): over the archive's canonical data from layout 3,
    # over its rendered HTML before (``archives.documents.document_digest``).
    digest = models.CharField(_("hash"), max_length=80)
    officer = models.ForeignKey(
        Officer, verbose_name=_("officer"), on_delete=models.PROTECT, related_name="printed_archives"
    )
    kind = models.CharField(_("archive"), max_length=15, choices=ArchiveKind.choices)
    start = models.DateField(_("from"))
    end = models.DateField(_("until"))
    printed_by = models.ForeignKey(Officer, verbose_name=_("printed by"), on_delete=models.PROTECT, related_name="+")
    printed_at = models.DateTimeField(_("printed at"), auto_now_add=True)
    job = models.ForeignKey(PrintJob, null=True, blank=True, on_delete=models.SET_NULL, related_name="documents")
    file = models.CharField(max_length=300, blank=True)
    # Which edition of the archive's layout it was printed in: verification renders the same edition, so a section
    # added later does not make an earlier print read as altered (``archives.documents.LAYOUT``).
    layout = models.PositiveSmallIntegerField(_("layout"), default=1)

    class Meta:
        verbose_name = _("printed archive")
        verbose_name_plural = _("printed archives")
        ordering = ["-printed_at"]
        constraints = [
            # A batch prints each of its officers once, however many runs take it up at the same time.
            models.UniqueConstraint(
                fields=["job", "officer"], condition=Q(job__isnull=False), name="printed_once_per_job"
            )
        ]
        triggers = db_triggers.filed_content(
            "printed_archive",
            filed="printed_at",
            fields=["number", "digest", "officer", "kind", "start", "end", "printed_by", "layout"],
        )

    def __str__(self) -> str:
        return self.number


class BarOverride(models.Model):
    """A principal leader's decision that one promotion, award or nomination may go ahead while the officer is barred
    after a 不良 grade (近期不得提拔、评先评优): who decided, why, and the post change or record it was used for.
    Never edited or deleted."""

    officer = models.ForeignKey(Officer, verbose_name=_("officer"), on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason"))
    granted_by = models.ForeignKey(Officer, verbose_name=_("decided by"), on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(_("decided at"), auto_now_add=True)
    used_for = models.OneToOneField(
        PostAssignment, verbose_name=_("used for"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    used_for_record = models.OneToOneField(
        OfficerRecord,
        verbose_name=_("used for the record"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bar_override",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("override of a bar")
        verbose_name_plural = _("overrides of a bar")
        ordering = ["-granted_at"]

    def __str__(self) -> str:
        return f"{self.officer} · {self.reason[:20]}"

    @property
    def used(self) -> bool:
        return self.used_for_id is not None or self.used_for_record_id is not None
