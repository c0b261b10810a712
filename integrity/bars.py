"""What may bar a promotion, from the apps above: ``assign_post`` asks every registered check before a move to a post
of higher rank. An app registers a function in its ``AppConfig.ready``; it raises ``ValidationError`` to refuse (a
不良 grade bars promotion for the archive policy's period unless a principal leader has recorded an override), and
may record that it let the promotion through, in the caller's transaction.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from integrity.models import Officer, PostAssignment

# Each takes (the officer, the day the new post starts, the post change being recorded, who records it).
promotion_checks: list[Callable[[Officer, datetime.date, PostAssignment, Officer | None], None]] = []


def check_promotion(
    officer: Officer, started_on: datetime.date, assignment: PostAssignment, acting_user: Officer | None
) -> None:
    for check in promotion_checks:
        check(officer, started_on, assignment, acting_user)
