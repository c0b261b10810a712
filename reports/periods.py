"""Report periods: a month, a quarter or a year, as pure values (no database)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class PeriodKind(models.TextChoices):
    MONTH = "month", gettext_lazy("Month")
    QUARTER = "quarter", gettext_lazy("Quarter")
    YEAR = "year", gettext_lazy("Year")


@dataclass(frozen=True)
class Period:
    kind: str
    year: int
    number: int = 1  # the month (1–12), the quarter (1–4); 1 for a year

    def __post_init__(self) -> None:
        most = {PeriodKind.MONTH: 12, PeriodKind.QUARTER: 4, PeriodKind.YEAR: 1}[PeriodKind(self.kind)]
        if not 1 <= self.number <= most:
            raise ValueError(f"{self.kind} {self.number}")

    @property
    def start(self) -> datetime.date:
        month = {PeriodKind.MONTH.value: self.number, PeriodKind.QUARTER.value: 3 * self.number - 2}.get(self.kind, 1)
        return datetime.date(self.year, month, 1)

    @property
    def end(self) -> datetime.date:
        months = {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3, PeriodKind.YEAR: 12}[PeriodKind(self.kind)]
        month = self.start.month + months
        year = self.year + (month - 1) // 12
        return datetime.date(year, (month - 1) % 12 + 1, 1) - datetime.timedelta(days=1)

    @property
    def label(self) -> str:
        if self.kind == PeriodKind.MONTH:
            return _("%(year)s-%(month)02d") % {"year": self.year, "month": self.number}
        if self.kind == PeriodKind.QUARTER:
            return _("Q%(quarter)s %(year)s") % {"year": self.year, "quarter": self.number}
        return str(self.year)

    def ended(self, today: datetime.date) -> bool:
        return self.end < today

    @classmethod
    def containing(cls, kind: str, day: datetime.date) -> Period:
        number = {PeriodKind.MONTH.value: day.month, PeriodKind.QUARTER.value: (day.month - 1) // 3 + 1}.get(kind, 1)
        return cls(kind, day.year, number)

    @classmethod
    def last_ended(cls, kind: str, today: datetime.date) -> Period:
        """The latest period of ``kind`` wholly before ``today``."""
        return cls.containing(kind, cls.containing(kind, today).start - datetime.timedelta(days=1))
