"""A statistics report: its tables and chart data for one institution and one period, computed live while the
period runs and kept once it has ended (``ReportSnapshot``)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from integrity.models import Institution
from reports import figures
from reports.figures import Table, Units
from reports.models import ReportSnapshot
from reports.periods import Period


@dataclass(frozen=True)
class Report:
    institution: Institution
    period: Period
    tables: list[Table]
    charts: dict
    kept_at: datetime.datetime | None = None  # when the figures were kept; None while the period runs

    def table(self, code: str) -> Table:
        return next(table for table in self.tables if table.code == code)


def compute(institution: Institution, period: Period, today: datetime.date) -> tuple[list[Table], dict]:
    units = Units.of(institution)
    tables = [make(units, period, today) for make in figures.TABLES] + [figures.lights(institution, period)]
    by_code = {table.code: table for table in tables}
    charts = {
        "trend": figures.trend(institution, period),
        "matrix": figures.risk_matrix(institution),
        "warnings": _group_totals(by_code["warnings"], 0),  # by level
        "outcomes": _group_totals(by_code["clues"], 3),  # by outcome
    }
    return tables, charts


def _group_totals(table: Table, index: int) -> list[tuple[str, int]]:
    """The labels and totals of one column group of ``table``."""
    start = sum(len(labels) for _title, labels in table.groups[:index])
    labels = table.groups[index][1]
    return list(zip(labels, table.total[start : start + len(labels)], strict=True))


def report_for(institution: Institution, period: Period, today: datetime.date | None = None) -> Report:
    """The report as shown: kept figures for an ended period (kept now if this is the first time), live ones for a
    running period."""
    today = today or timezone.localdate()
    if not period.ended(today):
        return Report(institution, period, *compute(institution, period, today))
    return _kept(institution, period, today)


def _kept(institution: Institution, period: Period, today: datetime.date) -> Report:
    key = {"institution": institution, "kind": period.kind, "year": period.year, "number": period.number}
    snapshot = ReportSnapshot.objects.filter(**key).first()
    if snapshot is None:
        tables, charts = compute(institution, period, today)
        try:
            with transaction.atomic():
                snapshot = ReportSnapshot.objects.create(
                    **key, tables=[table.as_dict() for table in tables], charts=charts
                )
        except IntegrityError:  # another request or the nightly job kept it first: theirs stands
            snapshot = ReportSnapshot.objects.get(**key)
    tables = [Table.from_dict(data) for data in snapshot.tables]
    return Report(institution, period, tables, snapshot.charts, snapshot.made_at)


def keep_ended_periods(today: datetime.date | None = None) -> int:
    """Keep the report of every institution for the month, quarter and year that ended last (the nightly job):
    the figures are those of the first night after the period, whether or not anybody opened it. Returns how many
    were kept now."""
    today = today or timezone.localdate()
    kept = 0
    for institution in Institution.objects.all():
        for kind in ("month", "quarter", "year"):
            period = Period.last_ended(kind, today)
            if not ReportSnapshot.objects.filter(
                institution=institution, kind=kind, year=period.year, number=period.number
            ).exists():
                _kept(institution, period, today)
                kept += 1
    return kept
