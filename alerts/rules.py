"""Pure rules of the light engine."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import asdict, dataclass

from alerts.choices import Colour


@dataclass(frozen=True)
class Reason:
    """Why a light is not green: a kind, a colour, a short text, and the page that fixes it."""

    kind: str
    colour: str
    text: str
    url: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


def worst(reasons: Iterable[Reason | dict]) -> Colour:
    """The light is the worst of its reasons; no reason is green."""
    colours = [Colour(r.colour if isinstance(r, Reason) else r["colour"]) for r in reasons]
    return max(colours, key=lambda c: c.rank, default=Colour.GREEN)


def sorted_reasons(reasons: Iterable[Reason]) -> list[Reason]:
    """Worst first, then by kind, so the page and the stored reasons read the same way every run."""
    return sorted(reasons, key=lambda r: (-Colour(r.colour).rank, r.kind, r.text))


def declaration_colour(earliest_due: datetime.date, as_of: datetime.date, red_after_days: int) -> Colour:
    """Missing declarations are yellow; red once the oldest is more than the policy's days overdue."""
    return Colour.RED if (as_of - earliest_due).days > red_after_days else Colour.YELLOW


def yellow_reminder_due(since: datetime.date, today: datetime.date, every_days: int) -> int | None:
    """While yellow, a reminder goes the day it turned and every ``every_days`` after; returns which one is due."""
    elapsed = (today - since).days
    if elapsed < 0 or every_days <= 0:
        return None
    return elapsed // every_days if elapsed % every_days == 0 else None
