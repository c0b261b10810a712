"""Pure rules of the archives app: quarters, the quarterly score and grade, the bar, reporting deadlines."""

from __future__ import annotations

import datetime
from typing import Protocol

from archives.choices import QuarterGrade


class Policy(Protocol):
    late_check_points: int
    missing_check_points: int
    late_declaration_points: int
    warning_points: int
    clue_points: int
    late_assessment_points: int
    returned_assessment_points: int
    missing_feedback_points: int
    excellent_from: int
    good_from: int
    fair_from: int
    bar_days: int


def quarter_start(day: datetime.date) -> datetime.date:
    return day.replace(month=3 * ((day.month - 1) // 3) + 1, day=1)


def quarter_end(start: datetime.date) -> datetime.date:
    following = (
        start.replace(year=start.year + 1, month=1) if start.month == 10 else start.replace(month=start.month + 3)
    )
    return following - datetime.timedelta(days=1)


def measured_score(measured: dict[str, int], policy: Policy) -> int:
    """100 less the policy's points for each late or missing check, late declaration, warning and confirmed clue,
    and for the case risk work: each assessment submitted late, each returned, each case closed without feedback."""
    deductions = (
        measured.get("late_checks", 0) * policy.late_check_points
        + measured.get("missing_checks", 0) * policy.missing_check_points
        + measured.get("late_declarations", 0) * policy.late_declaration_points
        + measured.get("warnings", 0) * policy.warning_points
        + measured.get("confirmed_clues", 0) * policy.clue_points
        + measured.get("late_assessments", 0) * policy.late_assessment_points
        + measured.get("returned_assessments", 0) * policy.returned_assessment_points
        + measured.get("missing_feedback", 0) * policy.missing_feedback_points
    )
    return 100 - deductions


def grade_for(score: int, policy: Policy) -> QuarterGrade:
    """好/良好/一般/不良 by the policy's thresholds (default 90 / 80 / 60)."""
    if score >= policy.excellent_from:
        return QuarterGrade.EXCELLENT
    if score >= policy.good_from:
        return QuarterGrade.GOOD
    if score >= policy.fair_from:
        return QuarterGrade.FAIR
    return QuarterGrade.POOR


def barred_until(grade: str, graded_on: datetime.date, policy: Policy) -> datetime.date | None:
    """A poor grade bars the officer from awards and promotion for the policy's period (近期不得提拔)."""
    return graded_on + datetime.timedelta(days=policy.bar_days) if grade == QuarterGrade.POOR else None


def is_barred(until: datetime.date | None, today: datetime.date) -> bool:
    return until is not None and today <= until
