"""Records that feed the archives, personal matters reports, the quarterly assessment, and printed archives."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from archives.choices import (
    AccountStatus,
    ArchiveKind,
    JobStatus,
    MatterKind,
    QuarterGrade,
    RecordKind,
    ReportStatus,
    TalkKind,
    TalkOccasion,
)
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


class Talk(models.Model):
    """谈话与教育 — an integrity talk, reminder talk, focused talk, accountability talk, meeting or activity."""

    officer = models.ForeignKey(Officer, verbose_name=_("officer"), on_delete=models.PROTECT, related_name="talks")
    kind = models.CharField(_("kind"), max_length=20, choices=TalkKind.choices)
    held_on = models.DateField(_("held on"))
    held_by = models.CharField(_("held by"), max_length=100)
    occasion = models.CharField(_("occasion"), max_length=20, choices=TalkOccasion.choices, blank=True)
    content = models.TextField(_("what was said"))
    recorded_by = models.ForeignKey(Officer, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("talk")
        verbose_name_plural = _("talks and education")
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on}"


class TalkDue(models.Model):
    """谈话提醒 — a talk an officer is owed by their reviewer (``integrity.routing``: the head for a member, the deputy
    in charge for a head, the principal leader for a deputy): this year's one-to-one talk, or the talk on arrival,
    after a post change or on departure, due within the policy's days. Met by the talk recorded with its occasion;
    closed without a talk when the officer leaves before it was due."""

    officer = models.ForeignKey(Officer, verbose_name=_("officer"), on_delete=models.PROTECT, related_name="talks_due")
    occasion = models.CharField(_("occasion"), max_length=20, choices=TalkOccasion.choices)
    # What it is owed for: the year's first day for the annual talk, the day the post began, the day of leaving.
    anchor = models.DateField(_("owed since"))
    due_on = models.DateField(_("due on"), db_index=True)
    talk = models.OneToOneField(
        Talk, verbose_name=_("talk"), null=True, blank=True, on_delete=models.PROTECT, related_name="owed"
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_reason = models.CharField(_("closed because"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("talk owed")
        verbose_name_plural = _("talks owed")
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["officer", "occasion", "anchor"], name="one_talk_owed_per_occasion")
        ]
        indexes = [models.Index(fields=["occasion", "anchor"])]

    def __str__(self) -> str:
        return f"{self.officer} · {self.get_occasion_display()}"

    @property
    def is_open(self) -> bool:
        return self.talk_id is None and self.closed_at is None


class OfficerRecord(models.Model):
    """A reward, a disciplinary action, praise or a complaint about casework, a follow-up visit, a petition."""

    officer = models.ForeignKey(
        Officer, verbose_name=_("officer"), on_delete=models.PROTECT, related_name="archive_records"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=RecordKind.choices)
    occurred_on = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200)
    details = models.TextField(_("details"), blank=True)
    effective_until = models.DateField(_("effective until"), null=True, blank=True)
    case_number = models.CharField(_("case number"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(Officer, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("archive record")
        verbose_name_plural = _("archive records")
        ordering = ["-occurred_on"]
        indexes = [models.Index(fields=["officer", "kind", "occurred_on"])]

    def __str__(self) -> str:
        return self.title


class RecordAmendment(models.Model):
    """A correction to a talk or record: the original stays as entered."""

    record = models.ForeignKey(
        OfficerRecord,
        verbose_name=_("record"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="amendments",
    )
    talk = models.ForeignKey(
        Talk, verbose_name=_("talk"), null=True, blank=True, on_delete=models.PROTECT, related_name="amendments"
    )
    text = models.TextField(_("correction"))
    created_by = models.ForeignKey(Officer, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(record__isnull=False, talk__isnull=True)
                | models.Q(record__isnull=True, talk__isnull=False),
                name="amendment_of_one_record",
            )
        ]

    def __str__(self) -> str:
        return self.text[:40]


class MattersReport(models.Model):
    """个人有关事项报告 — yearly, and within the policy's days of a change. Reviewed by discipline staff."""

    officer = models.ForeignKey(
        Officer, verbose_name=_("officer"), on_delete=models.PROTECT, related_name="matters_reports"
    )
    kind = models.CharField(_("matter"), max_length=20, choices=MatterKind.choices)
    changed_on = models.DateField(
        _("changed on"), help_text=_("The day of the change, or the year's end for the annual report.")
    )
    details = models.TextField(_("details"))
    amount = models.DecimalField(_("value (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True)
    submitted_at = models.DateTimeField(_("reported at"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=15, choices=ReportStatus.choices, default=ReportStatus.SUBMITTED)
    reviewed_by = models.ForeignKey(
        Officer, verbose_name=_("reviewed by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_comment = models.TextField(_("review comment"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("personal matters report")
        verbose_name_plural = _("personal matters reports")
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return f"{self.officer} · {self.get_kind_display()}"


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
