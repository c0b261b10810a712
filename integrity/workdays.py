"""The working-day calendar (工作日历) as pure values: which days are off, which weekends are worked (调休), and
deadlines counted in calendar or working days. ``integrity.queries.day_counter`` loads an institution's calendar
from ``CalendarDay`` rows; this module knows no database."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from integrity.choices import DayCount, DayKind

SATURDAY = 5


@dataclass(frozen=True)
class WorkingCalendar:
    """Days that differ from the week's pattern: ``kinds`` maps a day to its ``DayKind`` (holidays and days off in
    lieu are off, make-up working days are worked); ``names`` the holidays' names. Every other day is worked from
    Monday to Friday and off at the weekend."""

    kinds: Mapping[datetime.date, str] = field(default_factory=dict)
    names: Mapping[datetime.date, str] = field(default_factory=dict)

    def is_working_day(self, day: datetime.date) -> bool:
        kind = self.kinds.get(day)
        if kind is None:
            return day.weekday() < SATURDAY
        return kind == DayKind.WORKDAY

    def working_days_after(self, start: datetime.date) -> Iterator[datetime.date]:
        day = start
        while True:
            day += datetime.timedelta(days=1)
            if self.is_working_day(day):
                yield day

    def breaks(self, start: datetime.date, end: datetime.date) -> list[tuple[datetime.date, str]]:
        """The holidays whose break (the run of days off around them, weekends included) starts in [start, end]:
        the first day off and the holiday's name. Spring Festival's break starts with the weekend before 除夕."""
        found = []
        day = start
        while day <= end:
            if not self.is_working_day(day) and self.is_working_day(day - datetime.timedelta(days=1)):
                name = self._holiday_in_break(day)
                if name:
                    found.append((day, name))
            day += datetime.timedelta(days=1)
        return found

    def _holiday_in_break(self, first: datetime.date) -> str:
        """The name most of the break's holidays bear (春节 over 农历除夕), the first of them on a tie."""
        names: Counter[str] = Counter()
        day = first
        while not self.is_working_day(day):
            if self.kinds.get(day) == DayKind.HOLIDAY and self.names.get(day):
                names[self.names[day]] += 1
            day += datetime.timedelta(days=1)
        return names.most_common(1)[0][0] if names else ""


@dataclass(frozen=True)
class DayCounter:
    """A policy's way of counting deadlines: ``after(start, n)`` is the day ``n`` calendar days after ``start``, or
    the ``n``-th working day after it by the institution's calendar."""

    counted: str = DayCount.CALENDAR
    calendar: WorkingCalendar = field(default_factory=WorkingCalendar)

    def after(self, start: datetime.date, days: int) -> datetime.date:
        if self.counted == DayCount.CALENDAR or days <= 0:
            return start + datetime.timedelta(days=days)
        for n, day in enumerate(self.calendar.working_days_after(start), start=1):
            if n == days:
                return day
        raise AssertionError("unreachable: the working days after a day never run out")


CALENDAR_DAYS = DayCounter()


def official_days(years: Iterable[int]) -> list[tuple[datetime.date, str, str]]:
    """The State Council's arrangement for ``years`` as the ``holidays`` package knows it: (day, kind, name) for each
    public holiday, day off in lieu and make-up working day. A year whose arrangement is not yet published gets its
    statutory holidays only; the administrator adds the rest when the notice comes out."""
    import holidays

    years = list(years)
    china = holidays.China(years=years, language="zh_CN")
    days = [
        (day, DayKind.REST if name.startswith(DAY_OFF_IN_LIEU) else DayKind.HOLIDAY, name[:50])
        for day, name in sorted(china.items())
    ]
    days += [(day, DayKind.WORKDAY, "") for day in sorted(china.weekend_workdays) if day.year in years]
    return sorted(days)


DAY_OFF_IN_LIEU = "休息日"  # the package's label of a day off in lieu: 休息日（由 2026-09-20 调休）
