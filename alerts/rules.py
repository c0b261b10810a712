"""Pure rules of the alerts app."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable

from django.utils.translation import gettext_noop

from alerts.choices import ClueGrade, WarningLevel
from integrity.routing import Level

# What the alerts app's reasons say (``integrity.ledger``): adverse records on the officer.
MESSAGES: dict[str, str] = {
    "warning": gettext_noop("A %(level)s integrity warning is being rectified."),
    "clue": gettext_noop("Information about you is being verified by discipline staff."),
    "violation": gettext_noop("A violation was confirmed on %(day)s."),
}
LABELS = {"level": WarningLevel}


def yellow_reminder_due(since: datetime.date, today: datetime.date, every_days: int) -> int | None:
    """While yellow, a reminder goes the day it turned and every ``every_days`` after; returns which one is due."""
    elapsed = (today - since).days
    if elapsed < 0 or every_days <= 0:
        return None
    return elapsed // every_days if elapsed % every_days == 0 else None


def violation_counts(confirmed_on: datetime.date, as_of: datetime.date, red_days: int) -> bool:
    """A confirmed violation keeps the light red for the policy's days."""
    return 0 <= (as_of - confirmed_on).days <= red_days


def visit_sampled(case_id: int, share: int) -> bool:
    """Whether a closed case falls in the policy's share of return visits: a fixed draw from its id, so the job
    draws the same case the same way however often it runs, and no one can choose which cases are visited."""
    draw = int(hashlib.sha256(f"visit:{case_id}".encode()).hexdigest()[:8], 16) % 100
    return draw < share


def clue_grade(level: Level, content: str, serious_words: Iterable[str]) -> ClueGrade:
    """线索分级: a clue about a leader of the body (a deputy or the principal leader) is major — the body above
    disposes of it; one about a department head, or alleging what the policy names serious (受贿, 索贿 …) about
    anyone else, is important — the discipline lead decides; any other is general."""
    if level >= Level.DEPUTY:
        return ClueGrade.MAJOR
    if level == Level.HEAD or any(word and word in content for word in serious_words):
        return ClueGrade.IMPORTANT
    return ClueGrade.GENERAL
