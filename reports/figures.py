"""The figures of a statistics report (统计报表): for one institution and one period, a table per subject — monthly
self-checks, case declarations and conflicts, case risk assessments, warnings, clues, talks, inspection findings,
return visits, lights — with a row for each department of the institution and each body directly below it (its whole
subtree), and a total.

Each table is one grouped query, whatever the number of records (a province's million cases are counted by the
database, not here); the rows are folded into units in Python from at most a few thousand groups."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, DateField, Expression, ExpressionWrapper, F, Max, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from alerts.choices import ClueGrade, ClueKind, ClueMethod, ClueStatus, Outcome, WarningLevel, WarningStatus
from alerts.models import Clue, IntegrityWarning, LightSnapshot, ReturnVisit
from archives.choices import TalkKind
from archives.models import Talk
from cases.choices import RiskColour
from cases.models import Assessment, ConflictMatch, Declaration
from inspections.models import Finding
from integrity.models import Department, Institution
from reports.periods import Period
from risks.models import MonthlyCheck, RiskPoint


@dataclass(frozen=True)
class Table:
    """One table: its two-level header (groups of columns), a row per unit and the total."""

    code: str
    title: str
    groups: list[tuple[str, list[str]]]
    rows: list[tuple[str, list[int]]]

    @property
    def columns(self) -> list[str]:
        return [column for _group, columns in self.groups for column in columns]

    @property
    def total(self) -> list[int]:
        return [sum(values) for values in zip(*(v for _label, v in self.rows), strict=True)] if self.rows else []

    def as_dict(self) -> dict:
        return {"code": self.code, "title": self.title, "groups": self.groups, "rows": self.rows}

    @classmethod
    def from_dict(cls, data: dict) -> Table:
        groups = [(group, list(columns)) for group, columns in data["groups"]]
        return cls(data["code"], data["title"], groups, [(label, list(values)) for label, values in data["rows"]])


@dataclass
class Units:
    """The rows of a report: the institution's departments, then each body directly below it (its subtree), then
    the institution's officers without a department (shown only where they count)."""

    institution: Institution
    labels: list[str] = field(default_factory=list)
    by_department: dict[int, int] = field(default_factory=dict)
    by_institution: dict[int, int] = field(default_factory=dict)  # any body below -> the row of its top ancestor

    @classmethod
    def of(cls, institution: Institution) -> Units:
        units = cls(institution)
        for pk, name in (
            Department.objects.filter(institution=institution).order_by("order", "name", "pk").values_list("pk", "name")
        ):
            units.by_department[pk] = len(units.labels)
            units.labels.append(name)
        children = Institution.objects.filter(parent=institution).order_by("path").values_list("pk", "name", "path")
        paths = {}
        for _pk, name, path in children:
            paths[path] = len(units.labels)
            units.labels.append(name)
        for pk, path in Institution.objects.filter(path__startswith=institution.path).values_list("pk", "path"):
            row = next((row for prefix, row in paths.items() if path.startswith(prefix)), None)
            if row is not None:
                units.by_institution[pk] = row
        units.labels.append(_("Not in a department"))  # officers without one; the body's own findings
        return units

    @property
    def unassigned(self) -> int:
        return len(self.labels) - 1

    def row(self, department_id: int | None, institution_id: int | None) -> int | None:
        if department_id in self.by_department:
            return self.by_department[department_id]
        if institution_id == self.institution.pk:
            return self.unassigned
        return self.by_institution.get(institution_id) if institution_id is not None else None


def tally(
    units: Units, records: QuerySet, *, department: str | Expression, institution: str, counts: dict
) -> list[list[int]]:
    """Count ``records`` (already narrowed to the period) per unit: one grouped query under the institution."""
    found = [[0] * len(counts) for _label in units.labels]
    inside = records.filter(**{f"{institution}__path__startswith": units.institution.path})
    grouped = inside.values(d=F(department) if isinstance(department, str) else department, i=F(f"{institution}_id"))
    for group in grouped.annotate(**counts).order_by():
        row = units.row(group["d"], group["i"])
        if row is not None:
            found[row] = [a + (group[key] or 0) for a, key in zip(found[row], counts, strict=True)]
    return found


def _table(units: Units, code: str, title: str, groups: list[tuple[str, list[str]]], *parts: Any) -> Table:
    """Join the column blocks ``parts`` (each a per-unit list of counts) side by side; drop the row of officers
    without a department when it counts nothing."""
    values = [[n for part in parts for n in part[row]] for row in range(len(units.labels))]
    rows = list(zip(units.labels, values, strict=True))
    if not any(rows[units.unassigned][1]):
        rows.pop(units.unassigned)
    return Table(code, title, groups, rows)


def _between(lookup: str, period: Period) -> dict:
    return {f"{lookup}__gte": period.start, f"{lookup}__lte": period.end}


def _choices(lookup: str, choices: Any) -> dict:
    return {f"{lookup}_{value}": Count("pk", filter=Q(**{lookup: value})) for value in choices.values}


def checks(units: Units, period: Period, today: datetime.date) -> Table:
    counts = {
        "due": Count("pk"),
        "on_time": Count("pk", filter=Q(submitted_at__isnull=False, submitted_at__date__lte=F("due_on"))),
        "late": Count("pk", filter=Q(submitted_at__isnull=False, submitted_at__date__gt=F("due_on"))),
        "missing": Count("pk", filter=Q(submitted_at__isnull=True)),
    }
    found = tally(
        units, MonthlyCheck.objects.filter(**_between("period", period)),
        department="officer__department_id", institution="officer__institution", counts=counts,
    )  # fmt: skip
    columns = [pgettext("report column", "Due"), _("Filed on time"), _("Filed late"), _("Not filed")]
    return _table(units, "checks", _("Monthly self-checks"), [(_("Monthly self-checks"), columns)], found)


def declarations(units: Units, period: Period, today: datetime.date) -> Table:
    filed = tally(
        units, Declaration.objects.filter(**_between("due_on", period)),
        department="officer__department_id", institution="officer__institution",
        counts={
            "due": Count("pk"), "filed": Count("pk", filter=Q(submitted_at__isnull=False)),
            "yes": Count("pk", filter=Q(has_yes=True)),
        },
    )  # fmt: skip
    conflicts = tally(
        units, ConflictMatch.objects.filter(**_between("found_at__date", period)),
        department="officer__department_id", institution="officer__institution", counts={"n": Count("pk")},
    )  # fmt: skip
    groups = [
        (_("Case integrity declarations"), [pgettext("report column", "Due"), _("Filed"), _("With a yes answer")]),
        (_("Relation conflicts"), [_("Found")]),
    ]
    return _table(units, "declarations", _("Case declarations and conflicts"), groups, filed, conflicts)


def assessments(units: Units, period: Period, today: datetime.date) -> Table:
    found = tally(
        units, Assessment.objects.filter(**_between("submitted_at__date", period)),
        department="case__department_id", institution="case__institution", counts=_choices("colour", RiskColour),
    )  # fmt: skip
    groups = [(_("Case risk assessments by grade"), [str(c.label) for c in RiskColour])]
    return _table(units, "assessments", _("Case risk assessments"), groups, found)


def warnings(units: Units, period: Period, today: datetime.date) -> Table:
    counts = {**_choices("level", WarningLevel), **_choices("status", WarningStatus)}
    found = tally(
        units, IntegrityWarning.objects.filter(**_between("proposed_at__date", period)),
        department=Coalesce("officer__department_id", "department_id"), institution="institution", counts=counts,
    )  # fmt: skip
    groups = [
        (_("By level"), [str(c.label) for c in WarningLevel]),
        (_("By status"), [str(c.label) for c in WarningStatus]),
    ]
    return _table(units, "warnings", _("Integrity warnings"), groups, found)


# 办结用时: how long the clues received in the period took to conclude, in calendar days from receipt.
CONCLUDED_WITHIN = (30, 90)


def _concluded_within(days: int) -> ExpressionWrapper:
    return ExpressionWrapper(F("received_on") + datetime.timedelta(days=days), output_field=DateField())


def clues(units: Units, period: Period, today: datetime.date) -> Table:
    short, long = CONCLUDED_WITHIN
    concluded = Q(status=ClueStatus.CONCLUDED, concluded_on__isnull=False)
    counts = {
        **_choices("kind", ClueKind),
        **_choices("grade", ClueGrade),
        **_choices("method", ClueMethod),
        **_choices("outcome", Outcome),
        "open": Count("pk", filter=Q(outcome="")),
        "short": Count("pk", filter=concluded & Q(concluded_on__lte=_concluded_within(short))),
        "medium": Count(
            "pk",
            filter=concluded & Q(concluded_on__gt=_concluded_within(short), concluded_on__lte=_concluded_within(long)),
        ),
        "long": Count("pk", filter=concluded & Q(concluded_on__gt=_concluded_within(long))),
    }
    found = tally(
        units, Clue.objects.filter(**_between("received_on", period)),
        department="subject__department_id", institution="institution", counts=counts,
    )  # fmt: skip
    groups = [
        (_("By source"), [str(c.label) for c in ClueKind]),
        (_("By grade"), [str(c.label) for c in ClueGrade]),
        (_("By disposal method"), [str(c.label) for c in ClueMethod]),
        (_("By outcome"), [*(str(c.label) for c in Outcome), _("Not yet concluded")]),
        (
            _("Time to conclusion"),
            [
                _("Within %(days)s days") % {"days": short},
                _("%(low)s–%(high)s days") % {"low": short + 1, "high": long},
                _("Over %(days)s days") % {"days": long},
            ],
        ),
    ]
    return _table(units, "clues", _("Petitions and clues"), groups, found)


def talks(units: Units, period: Period, today: datetime.date) -> Table:
    found = tally(
        units, Talk.objects.filter(**_between("held_on", period)),
        department="officer__department_id", institution="officer__institution", counts=_choices("kind", TalkKind),
    )  # fmt: skip
    return _table(units, "talks", _("Talks held"), [(_("Talks held"), [str(c.label) for c in TalkKind])], found)


def findings(units: Units, period: Period, today: datetime.date) -> Table:
    counts = {
        "found": Count("pk"),
        "rectified": Count("pk", filter=Q(rectified_at__isnull=False)),
        "overdue": Count("pk", filter=Q(rectified_at__isnull=True, due_on__lt=today)),
    }
    found = tally(
        units, Finding.objects.filter(**_between("recorded_at__date", period)),
        department="department_id", institution="institution", counts=counts,
    )  # fmt: skip
    columns = [_("Found"), _("Rectified"), _("Overdue")]
    return _table(units, "findings", _("Inspection findings"), [(_("Inspection findings"), columns)], found)


def visits(units: Units, period: Period, today: datetime.date) -> Table:
    counts = {
        "due": Count("pk"),
        "made": Count("pk", filter=Q(visited_on__isnull=False)),
        "reported": Count("pk", filter=Q(clue__isnull=False)),
    }
    found = tally(
        units, ReturnVisit.objects.filter(**_between("due_on", period)),
        department="handler__department_id", institution="institution", counts=counts,
    )  # fmt: skip
    columns = [pgettext("report column", "To visit"), pgettext("report column", "Visited"), _("Misconduct reported")]
    return _table(units, "visits", _("Return visits"), [(_("Return visits"), columns)], found)


TABLES: list[Callable[[Units, Period, datetime.date], Table]] = [
    checks, declarations, assessments, warnings, clues, talks, findings, visits,
]  # fmt: skip


def lights(institution: Institution, period: Period) -> Table:
    """Officers by light at the period's end (the last month-end snapshot on or before it): a row for the
    institution itself and one for each body directly below it, with its subtree."""
    day = (
        LightSnapshot.objects.filter(institution__path__startswith=institution.path, day__lte=period.end)
        .order_by("-day")
        .values_list("day", flat=True)
        .first()
    )
    rows = [(institution.name, [0, 0, 0])]
    children = list(Institution.objects.filter(parent=institution).order_by("path").values_list("name", "path"))
    rows += [(name, [0, 0, 0]) for name, _path in children]
    if day is not None:
        snapshots = LightSnapshot.objects.filter(institution__path__startswith=institution.path, day=day)
        for path, green, yellow, red in snapshots.values_list("institution__path", "green", "yellow", "red"):
            row = next((n + 1 for n, (_name, prefix) in enumerate(children) if path.startswith(prefix)), 0)
            rows[row] = (rows[row][0], [a + b for a, b in zip(rows[row][1], (green, yellow, red), strict=True)])
    colours = [_("Green"), _("Yellow"), _("Red")]
    return Table("lights", _("Lights at the end of the period"), [(_("Officers by light"), colours)], rows)


def trend(institution: Institution, period: Period) -> list[dict]:
    """The lights at the last snapshot of each of the twelve months up to the period's end, summed over the
    subtree (the light run writes every body's snapshot on the same day, so twelve days are read, not a year)."""
    start = (period.end.replace(day=1) - datetime.timedelta(days=335)).replace(day=1)
    snapshots = LightSnapshot.objects.filter(
        institution__path__startswith=institution.path, day__gte=start, day__lte=period.end
    ).order_by()
    last_days = snapshots.annotate(month=TruncMonth("day")).values("month").annotate(last=Max("day")).values("last")
    return [
        {"month": f"{row['day']:%Y-%m}", "green": row["g"], "yellow": row["y"], "red": row["r"]}
        for row in snapshots.filter(day__in=Subquery(last_days))
        .values("day")
        .annotate(g=Sum("green"), y=Sum("yellow"), r=Sum("red"))
        .order_by("day")
    ]


def risk_matrix(institution: Institution) -> list[list[int]]:
    """Published scored risk points under the institution, as [likelihood, impact, how many] cells (5 × 5)."""
    return [
        [likelihood, impact, n]
        for likelihood, impact, n in RiskPoint.objects.filter(
            institution__path__startswith=institution.path, status="published", likelihood__isnull=False
        )
        .values_list("likelihood", "impact")
        .annotate(n=Count("pk"))
        .order_by("likelihood", "impact")
    ]
