"""Kept reports: once a period has ended, its report is computed once and kept, so a quarter's figures read the
same at next year's meeting as on the day they were first shown (later corrections do not rewrite them)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from integrity.models import Institution
from integrity.triggers import never_changed
from reports.periods import PeriodKind


class ReportSnapshot(models.Model):
    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="report_snapshots"
    )
    kind = models.CharField(_("period"), max_length=10, choices=PeriodKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveSmallIntegerField(_("month or quarter"), default=1)
    tables = models.JSONField(default=list)
    charts = models.JSONField(default=dict)
    made_at = models.DateTimeField(_("made at"), auto_now_add=True)

    class Meta:
        verbose_name = _("kept report")
        verbose_name_plural = _("kept reports")
        constraints = [
            models.UniqueConstraint(fields=["institution", "kind", "year", "number"], name="one_report_per_period")
        ]
        triggers = [never_changed("report_snapshot_kept")]

    def __str__(self) -> str:
        return f"{self.institution} {self.kind} {self.year}-{self.number}"
