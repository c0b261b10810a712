"""Quarterly assessments (季度考评): what a quarter measured of each officer, the quarter opened for every officer once,
adjustments with their reasons, and grading. One function per change, with ``acting_user``."""

from __future__ import annotations

import datetime
from collections import Counter

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from alerts.choices import Outcome
from alerts.models import Clue, IntegrityWarning
from archives.models import (
    Adjustment,
    QuarterlyAssessment,
)
from archives.queries import archive_policy
from archives.rules import barred_until, grade_for, measured_score, quarter_end
from cases.choices import AssessmentStatus, Decision
from cases.models import Approval, Assessment, CaseHandler, CasePolicy, Declaration
from cases.queries import NOT_SUPERSEDED
from integrity.actions import claim
from integrity.models import Officer
from risks.models import MonthlyCheck

# --- quarterly assessment ------------------------------------------------------------------------------------


def measure(officer_ids: list[int], start: datetime.date, end: datetime.date, as_of: datetime.date) -> dict[int, dict]:
    """The measured inputs of a quarter for many officers, one query per input."""
    result: dict[int, dict] = {pk: {} for pk in officer_ids}
    checks = MonthlyCheck.objects.filter(
        officer_id__in=officer_ids, period__gte=start, period__lte=end, due_on__lt=as_of
    )
    for row in checks.values("officer_id").annotate(
        late=Count("id", filter=Q(submitted_at__isnull=False, submitted_at__date__gt=F("due_on"))),
        missing=Count("id", filter=Q(submitted_at__isnull=True)),
    ):
        result[row["officer_id"]].update(late_checks=row["late"], missing_checks=row["missing"])
    for row in (
        Declaration.objects.filter(officer_id__in=officer_ids, due_on__gte=start, due_on__lte=min(end, as_of))
        .filter(Q(submitted_at__isnull=True) | Q(submitted_at__date__gt=F("due_on")))
        .values("officer_id")
        .annotate(n=Count("id"))
    ):
        result[row["officer_id"]]["late_declarations"] = row["n"]
    for row in (
        IntegrityWarning.objects.filter(
            officer_id__in=officer_ids, approved_at__date__gte=start, approved_at__date__lte=end
        )
        .values("officer_id")
        .annotate(n=Count("id"))
    ):
        result[row["officer_id"]]["warnings"] = row["n"]
    for row in (
        Clue.objects.filter(
            subject_id__in=officer_ids,
            outcome__in=[Outcome.TRUE, Outcome.PARTLY_TRUE],
            concluded_on__gte=start,
            concluded_on__lte=end,
        )
        .values("subject_id")
        .annotate(n=Count("id"))
    ):
        result[row["subject_id"]]["confirmed_clues"] = row["n"]
    for key, counts in _case_risk_work(officer_ids, start, end, as_of).items():
        for officer_id, n in counts.items():
            result[officer_id][key] = n
    return result


def _case_risk_work(
    officer_ids: list[int], start: datetime.date, end: datetime.date, as_of: datetime.date
) -> dict[str, dict[int, int]]:
    """The case risk work of a quarter (每案必评): assessments due in it and submitted late or not at all, cases
    received in it that their lead handler has not assessed within the policy's days, assessments returned in it,
    cases closed in it without the closing feedback. Four queries."""
    until = min(end, as_of - datetime.timedelta(days=1))
    late: Counter[int] = Counter()
    for row in (
        Assessment.objects.filter(author_id__in=officer_ids, due_on__gte=start, due_on__lte=until)
        .filter(Q(submitted_at__isnull=True) | Q(submitted_at__date__gt=F("due_on")))
        .values("author_id")
        .annotate(n=Count("id"))
    ):
        late[row["author_id"]] += row["n"]
    days = dict(CasePolicy.objects.values_list("institution_id", "assessment_days"))
    default = CasePolicy._meta.get_field("assessment_days").default
    unassessed = (
        CaseHandler.objects.filter(officer_id__in=officer_ids, is_lead=True)
        .filter(case__received_on__gte=start, case__received_on__lte=until)
        .filter(~Exists(Assessment.objects.filter(case=OuterRef("case_id"))))
        .values_list("officer_id", "case__institution_id", "case__received_on")
    )
    for officer_id, institution_id, received_on in unassessed:
        if received_on + datetime.timedelta(days=days.get(institution_id, default)) <= until:
            late[officer_id] += 1
    returned = dict(
        Approval.objects.filter(
            assessment__author_id__in=officer_ids,
            decision=Decision.RETURN,
            decided_at__date__gte=start,
            decided_at__date__lte=end,
        )
        .values("assessment__author_id")
        .annotate(n=Count("id"))
        .values_list("assessment__author_id", "n")
    )
    missing = dict(
        Assessment.objects.filter(
            NOT_SUPERSEDED,
            author_id__in=officer_ids,
            status=AssessmentStatus.APPROVED,
            case__closed_on__gte=start,
            case__closed_on__lte=min(end, as_of),
        )
        .values("author_id")
        .annotate(n=Count("id"))
        .values_list("author_id", "n")
    )
    return {"late_assessments": dict(late), "returned_assessments": returned, "missing_feedback": missing}


@transaction.atomic
def open_quarter(quarter: datetime.date) -> int:
    """Open one assessment per active officer for the quarter; idempotent (unique officer and quarter)."""
    officers = list(Officer.objects.filter(is_active=True, institution__isnull=False).values_list("pk", flat=True))
    before = QuarterlyAssessment.objects.filter(quarter=quarter).count()
    QuarterlyAssessment.objects.bulk_create(
        [QuarterlyAssessment(officer_id=pk, quarter=quarter) for pk in officers], ignore_conflicts=True, batch_size=2000
    )
    return QuarterlyAssessment.objects.filter(quarter=quarter).count() - before


@transaction.atomic
def adjust(assessment: QuarterlyAssessment, *, points: int, reason: str, acting_user: Officer) -> Adjustment:
    if not reason.strip():
        raise ValidationError(_("An adjustment needs its reason."))
    if assessment.grade:
        raise ValidationError(_("This quarter is already graded."))
    return Adjustment.objects.create(assessment=assessment, points=points, reason=reason.strip(), by=acting_user)


@transaction.atomic
def grade_quarter(
    assessment: QuarterlyAssessment, *, acting_user: Officer, as_of: datetime.date | None = None
) -> QuarterlyAssessment:
    """Score the quarter from what the system measured plus the evaluators' adjustments; a poor grade bars."""
    as_of = as_of or timezone.localdate()
    end = quarter_end(assessment.quarter)
    measured = measure([assessment.officer_id], assessment.quarter, end, as_of)[assessment.officer_id]
    policy = archive_policy(assessment.officer.home)
    score = measured_score(measured, policy) + sum(a.points for a in assessment.adjustments.all())
    score = max(0, min(100, score))
    grade = grade_for(score, policy)
    updated = claim(
        assessment,
        Q(grade=""),
        acting_user=acting_user,
        reason=_("Graded"),
        measured=measured,
        score=score,
        grade=grade,
        graded_at=timezone.now(),
        graded_by=acting_user,
        barred_until=barred_until(grade, as_of, policy),
    )
    if not updated:
        raise ValidationError(_("This quarter is already graded."))
    assessment.refresh_from_db()
    return assessment
