"""Scoped reads of the archives app, and the two archives built from the records (never typed)."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import BooleanField, Case, Count, F, Q, QuerySet, Value, When
from django.utils import timezone

from alerts.models import Clue, IntegrityWarning, LightEvent
from archives.choices import RecordKind, ReportStatus, TalkOccasion
from archives.models import (
    ArchivePolicy,
    BarOverride,
    DutyAccount,
    MattersReport,
    OfficerRecord,
    QuarterlyAssessment,
    Talk,
    TalkDue,
)
from cases.choices import Decision
from cases.models import Assessment, CaseHandler, Declaration, DeclaredRelation
from integrity.models import Institution, Officer
from integrity.queries import discipline_duty_q, post_history, scope_for, visible_officers
from risks.models import MonthlyCheck, PersonalRiskTable
from risks.queries import policy_for as risk_policy_for
from risks.rules import check_status


def archive_officers(user: Officer) -> QuerySet[Officer]:
    """Whose archives a user may read: their own; heads their department's; leaders and discipline staff all."""
    return visible_officers(user)


def talk_coverage(officers: QuerySet[Officer], year: int, today: datetime.date) -> list[dict]:
    """The year's talk round by institution and department, in one query: officers owed their one-to-one talk, how
    many were held, how many are overdue; and the talks on arrival, post change or departure still open."""
    annual = Q(occasion=TalkOccasion.ANNUAL, anchor=datetime.date(year, 1, 1))
    still_open = Q(talk__isnull=True, closed_at__isnull=True)
    rows = (
        TalkDue.objects.filter(officer__in=officers)
        .filter(annual | Q(still_open, ~Q(occasion=TalkOccasion.ANNUAL)))
        .values("officer__institution__name", "officer__department__name")
        .annotate(
            owed=Count("pk", filter=annual & ~Q(closed_at__isnull=False, talk__isnull=True)),
            held=Count("pk", filter=annual & Q(talk__isnull=False)),
            overdue=Count("pk", filter=annual & still_open & Q(due_on__lt=today)),
            other_open=Count("pk", filter=~Q(occasion=TalkOccasion.ANNUAL)),
        )
        .order_by("officer__institution__name", "officer__department__name")
    )
    return [
        {
            "institution": row["officer__institution__name"],
            "department": row["officer__department__name"] or "—",
            **{key: row[key] for key in ("owed", "held", "overdue", "other_open")},
            "coverage": round(100 * row["held"] / row["owed"]) if row["owed"] else None,
        }
        for row in rows
    ]


def can_print(user: Officer) -> bool:
    """Printing is for leaders and discipline staff."""
    scope = scope_for(user)
    return scope.is_superuser or scope.watches_institution


def archive_policy(institution: Institution) -> ArchivePolicy:
    return ArchivePolicy.objects.filter(institution=institution).first() or ArchivePolicy(institution=institution)


@dataclass
class Archive:
    officer: Officer
    start: datetime.date
    end: datetime.date
    kind: str
    sections: dict = field(default_factory=dict)


def _in(start: datetime.date, end: datetime.date, lookup: str) -> Q:
    return Q(**{f"{lookup}__gte": start, f"{lookup}__lte": end})


def integrity_archive(officer: Officer, start: datetime.date, end: datetime.date) -> Archive:
    """廉政档案: everything about the officer's integrity in the period, from the records themselves."""
    today = timezone.localdate()
    as_of = min(end, today)
    policy = risk_policy_for(officer.institution) if officer.institution else None
    checks = []
    for check in MonthlyCheck.objects.filter(
        officer=officer, period__gte=start.replace(day=1), period__lte=end
    ).order_by("period"):
        status = check_status(check, policy, as_of) if policy else None
        checks.append({"check": check, "status": status})
    sections = {
        "post_history": list(post_history(officer)),
        "relations": list(DeclaredRelation.objects.filter(officer=officer)),
        "matters": list(MattersReport.objects.filter(officer=officer).filter(_in(start, end, "changed_on"))),
        "risk_tables": list(
            PersonalRiskTable.objects.filter(officer=officer, created_at__date__lte=end)
            .filter(Q(archived_at__isnull=True) | Q(archived_at__date__gte=start))
            .select_related("post")
            .prefetch_related("items")
        ),
        "checks": checks,
        "declarations": list(
            Declaration.objects.filter(officer=officer)
            .filter(_in(start, end, "case__received_on"))
            .select_related("case", "reviewed_by")
            .prefetch_related("answers")
        ),
        "warnings": list(
            IntegrityWarning.objects.filter(officer=officer, approved_at__isnull=False)
            .filter(_in(start, end, "proposed_at__date"))
            .prefetch_related("actions")
        ),
        "talks": list(Talk.objects.filter(officer=officer).filter(_in(start, end, "held_on"))),
        "clues": list(
            Clue.objects.filter(subject=officer).filter(_in(start, end, "received_on")).select_related("clarification")
        ),
        "discipline": list(
            OfficerRecord.objects.filter(officer=officer, kind=RecordKind.DISCIPLINE).filter(
                _in(start, end, "occurred_on")
            )
        ),
        "grades": list(QuarterlyAssessment.objects.filter(officer=officer, quarter__gte=start, quarter__lte=end)),
        "lights": list(LightEvent.objects.filter(officer=officer).filter(_in(start, end, "at__date")).order_by("at")),
        "bar_overrides": list(
            BarOverride.objects.filter(officer=officer)
            .filter(_in(start, end, "granted_at__date"))
            .select_related("granted_by", "used_for__post", "used_for_record")
        ),
        "duty_accounts": list(
            DutyAccount.objects.filter(officer=officer, year__gte=start.year, year__lte=end.year)
            .select_related("reviewed_by")
            .prefetch_related("statements")
        ),
    }
    return Archive(officer, start, end, "integrity", sections)


def performance_archive(officer: Officer, start: datetime.date, end: datetime.date) -> Archive:
    """执法档案: the officer's casework in the period, with its quality, rewards and what people said about it."""
    handled = list(
        CaseHandler.objects.filter(officer=officer)
        .filter(_in(start, end, "case__received_on"))
        .select_related("case__stage")
        .order_by("case__received_on")
    )
    cases = [h.case for h in handled]
    closed = [c for c in cases if c.closed_on]
    on_time = [c for c in cases if c.closed_on and (c.due_on is None or c.closed_on <= c.due_on)]
    today = timezone.localdate()
    overdue = [
        c
        for c in cases
        if c.due_on and ((c.closed_on and c.closed_on > c.due_on) or (not c.closed_on and today > c.due_on))
    ]
    scores = [float(c.quality_score) for c in cases if c.quality_score is not None]
    records = OfficerRecord.objects.filter(officer=officer).filter(_in(start, end, "occurred_on"))

    def of(kind: str) -> list:
        return [r for r in records if r.kind == kind]

    sections = {
        "cases": cases,
        "by_type": sorted(Counter(c.case_type for c in cases).items()),
        "closed": len(closed),
        "on_time_rate": round(100 * len(on_time) / len(closed)) if closed else None,
        "overdue": overdue,
        "quality": round(sum(scores) / len(scores), 1) if scores else None,
        "rewards": of(RecordKind.REWARD),
        "punishments": of(RecordKind.DISCIPLINE),
        "petitions": of(RecordKind.PETITION),
        "visits": of(RecordKind.VISIT),
        "praise": of(RecordKind.PRAISE),
        "complaints": of(RecordKind.COMPLAINT),
        **_assessment_work(officer, start, end),
    }
    return Archive(officer, start, end, "performance", sections)


def _assessment_work(officer: Officer, start: datetime.date, end: datetime.date) -> dict:
    """The case risk assessments the officer made in the period (每案必评): each with its stage, grade and whether it
    was submitted on time; the on-time rate, the grades counted, the returns and the closing feedback."""
    assessments = list(
        Assessment.objects.filter(author=officer)
        .filter(_in(start, end, "case__received_on") | _in(start, end, "submitted_at__date"))
        .exclude(submitted_at__isnull=True)
        .select_related("case", "stage")
        .annotate(
            returns=Count("approvals", filter=Q(approvals__decision=Decision.RETURN)),
            on_time=Case(
                When(due_on__isnull=True, then=Value(None)),
                When(submitted_at__date__lte=F("due_on"), then=Value(True)),  # the day in the deployment's zone
                default=Value(False),
                output_field=BooleanField(null=True),
            ),
        )
        .order_by("submitted_at", "pk")
    )
    timed = [a for a in assessments if a.on_time is not None]
    on_time = [a for a in timed if a.on_time]
    return {
        "assessments": assessments,
        "assessment_on_time_rate": round(100 * len(on_time) / len(timed)) if timed else None,
        "assessment_grades": sorted(Counter(a.get_colour_display() for a in assessments).items()),
        "assessment_returns": sum(a.returns for a in assessments),
        "assessment_feedback": sum(1 for a in assessments if a.feedback),
    }


def build(kind: str, officer: Officer, start: datetime.date, end: datetime.date) -> Archive:
    return (integrity_archive if kind == "integrity" else performance_archive)(officer, start, end)


def reviewable_matters(actor: Officer) -> QuerySet[MattersReport]:
    """Reports awaiting review by this discipline officer (``integrity.queries.discipline_duty_q``)."""
    duty = discipline_duty_q(actor, institution="officer__institution", subject="officer")
    if duty is None:
        return MattersReport.objects.none()
    return MattersReport.objects.filter(duty, status=ReportStatus.SUBMITTED).select_related("officer")
