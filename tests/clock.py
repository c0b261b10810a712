"""The suite's clock: every test runs on a pinned day, and the defaults live here.

A test that names calendar dates pins its own day with ``@pytest.mark.today("2026-11-20")`` (a date, or a date and
time, read in the institutions' zone). Every other test runs on the suite's day: ``TEST_TODAY`` when it is set
(``TEST_TODAY=2028-02-29 make test``), otherwise the day the run started. Either way the clock stands at
``HOUR`` in Shanghai when the run (or a test with its own day) begins and then ticks, so "now" does not cross
midnight by accident and a test can still rely on time moving forward.
"""

from __future__ import annotations

import datetime
import os
import zoneinfo

ZONE = zoneinfo.ZoneInfo("Asia/Shanghai")
HOUR = datetime.time(10, 0)
ENVIRONMENT_VARIABLE = "TEST_TODAY"


def parse(value: str | datetime.date | datetime.datetime) -> datetime.datetime:
    """``2027-03-15``, ``2027-03-15 23:30`` or ``2027-03-15T23:30+08:00`` as an aware moment (Shanghai unless said)."""
    if isinstance(value, datetime.datetime):
        moment = value
    elif isinstance(value, datetime.date):
        moment = datetime.datetime.combine(value, HOUR)
    else:
        text = value.strip()
        moment = (
            datetime.datetime.fromisoformat(text)
            if len(text) > 10
            else datetime.datetime.combine(datetime.date.fromisoformat(text), HOUR)
        )
    return moment if moment.tzinfo else moment.replace(tzinfo=ZONE)


def suite_moment_from_environment() -> bool:
    return bool(os.environ.get(ENVIRONMENT_VARIABLE, "").strip())


def suite_moment() -> datetime.datetime:
    """Where the clock stands for a test that does not pin its own day."""
    value = os.environ.get(ENVIRONMENT_VARIABLE, "").strip()
    if value:
        return parse(value)
    return parse(datetime.datetime.now(ZONE).date())


# Read once, so a run that crosses midnight keeps one day throughout.
SUITE_MOMENT = suite_moment()
