"""What goes into an officer's archive: talks held and owed (四级谈话), records and their amendments,
personal matters reports."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from archives.choices import (
    MatterKind,
    RecordKind,
    ReportStatus,
    TalkKind,
    TalkOccasion,
)
from integrity.models import Officer


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
