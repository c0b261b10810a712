"""Pure rules of the risks app: functions of their inputs and a date, tested at every boundary."""

from __future__ import annotations

import calendar
import datetime
import re
import zoneinfo
from typing import Protocol

from integrity.choices import Role
from risks.choices import CheckStatus, Grade


class GradingPolicy(Protocol):
    high_threshold: int
    medium_threshold: int


class CheckPolicy(Protocol):
    check_due_day: int
    due_soon_days: int

    @property
    def time_zone(self) -> str: ...


class FiledCheck(Protocol):
    @property
    def due_on(self) -> datetime.date: ...

    @property
    def submitted_at(self) -> datetime.datetime | None: ...


def grade_for(likelihood: int, impact: int, policy: GradingPolicy) -> Grade:
    """高/中/低 from likelihood × impact (each 1–5): at or above the high threshold is high, and so on."""
    score = likelihood * impact
    if score >= policy.high_threshold:
        return Grade.HIGH
    if score >= policy.medium_threshold:
        return Grade.MEDIUM
    return Grade.LOW


def effective_grade(likelihood: int | None, impact: int | None, collective_grade: str, policy: GradingPolicy) -> Grade:
    """The grade a risk point carries: scored if it is scored, else the collectively assessed one."""
    if likelihood is not None and impact is not None:
        return grade_for(likelihood, impact, policy)
    if not collective_grade:
        raise ValueError("a risk point needs likelihood and impact, or a collectively assessed grade")
    return Grade(collective_grade)


def responsible_role(grade: Grade | str) -> Role:
    """分级负责: high → principal leader, medium → deputy leader in charge, low → department head."""
    return {
        Grade.HIGH: Role.PRINCIPAL_LEADER,
        Grade.MEDIUM: Role.DEPUTY_LEADER,
        Grade.LOW: Role.DEPARTMENT_HEAD,
    }[Grade(grade)]


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def next_month(period: datetime.date) -> datetime.date:
    return (period.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def due_date(period: datetime.date, check_due_day: int) -> datetime.date:
    """The day a month's check is due: the policy's day of the month, or the last day when it is 0 or past it."""
    last = calendar.monthrange(period.year, period.month)[1]
    day = last if check_due_day == 0 else min(check_due_day, last)
    return period.replace(day=day)


def local_date(moment: datetime.datetime | datetime.date, time_zone: str) -> datetime.date:
    """The calendar day ``moment`` falls on in the institution's time zone."""
    if isinstance(moment, datetime.datetime):
        if moment.tzinfo is None:
            raise ValueError("a naive datetime has no day in any time zone")
        return moment.astimezone(zoneinfo.ZoneInfo(time_zone)).date()
    return moment


def check_status(check: FiledCheck, policy: CheckPolicy, at: datetime.datetime | datetime.date) -> CheckStatus:
    """Where a monthly check stands at ``at``: not due yet, due soon, overdue, filed, or filed late.

    Due soon starts ``policy.due_soon_days`` days before the due day (5 by default: yellow from then while not
    filed); overdue starts the day after the due day (red). Days are counted in the institution's time zone.
    """
    if check.submitted_at is not None:
        filed_on = local_date(check.submitted_at, policy.time_zone)
        return CheckStatus.FILED_LATE if filed_on > check.due_on else CheckStatus.FILED
    today = local_date(at, policy.time_zone)
    if today > check.due_on:
        return CheckStatus.OVERDUE
    if today >= check.due_on - datetime.timedelta(days=policy.due_soon_days):
        return CheckStatus.DUE_SOON
    return CheckStatus.NOT_DUE


# The words institutions' tables use for grades. Some write 一级 for the mildest: the importer is shown this
# mapping and may change it before anything is written.
DEFAULT_GRADE_WORDS: dict[str, Grade] = {
    "高": Grade.HIGH, "高级": Grade.HIGH, "一级": Grade.HIGH, "A": Grade.HIGH, "重大": Grade.HIGH, "high": Grade.HIGH,
    "中": Grade.MEDIUM, "中级": Grade.MEDIUM, "二级": Grade.MEDIUM, "B": Grade.MEDIUM, "较大": Grade.MEDIUM,
    "medium": Grade.MEDIUM,
    "低": Grade.LOW, "低级": Grade.LOW, "三级": Grade.LOW, "C": Grade.LOW, "一般": Grade.LOW, "low": Grade.LOW,
}  # fmt: skip


def normalise_grade_word(word: str) -> str:
    return re.sub(r"\s+", "", word).removesuffix("风险").upper() if word else ""


_NUMBERED = re.compile(
    r"(?:(?:^|\s|；|;|。)\s*(?:[（(]?\d{1,2}[)）．、]|\d{1,2}\.(?!\d)|[一二三四五六七八九十]{1,2}、)|[①-⑳])\s*"
)


def split_numbered(cell: str) -> list[str]:
    """Split a cell holding several numbered entries ("1.… 2、… （3）… ①…") into the entries."""
    text = (cell or "").strip()
    if not text:
        return []
    parts = [p.strip(" ；;。\n") for p in _NUMBERED.split(text)]
    parts = [p for p in parts if p]
    return parts or [text]
