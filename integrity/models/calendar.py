"""The working-day calendar: days that differ from the week's pattern, and the years checked against
the State Council's notice."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from integrity.choices import (
    DayKind,
)
from integrity.models.organisation import everyone_or_below


class CalendarDay(models.Model):
    """工作日历 — a day that differs from the week's pattern: a public holiday, a day off in lieu (调休) or a weekend
    worked in exchange. The State Council's yearly arrangement is everyone's (seeded from the ``holidays`` package,
    ``manage.py seed_calendar``); an institution adds or overrides days for itself and the bodies below it. Deadlines
    a policy counts in working days, and the holiday reminders, read it."""

    day = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=10, choices=DayKind.choices)
    name = models.CharField(_("name"), max_length=50, blank=True)
    institution = everyone_or_below()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("working-day calendar")
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(fields=["day"], condition=models.Q(institution__isnull=True), name="one_day"),
            models.UniqueConstraint(fields=["day", "institution"], name="one_day_per_institution"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.name or self.get_kind_display()}"


class CalendarYear(models.Model):
    """A year of everyone's working-day calendar checked against the State Council's yearly notice (usually out in
    November): until next year's is confirmed, the top body's system administrators owe it from December."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    confirmed_by = models.ForeignKey(
        "Officer", verbose_name=_("confirmed by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("confirmed calendar year")
        verbose_name_plural = _("confirmed calendar years")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)
