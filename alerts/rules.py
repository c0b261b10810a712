"""Pure rules of the light engine."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext, gettext_noop

from alerts.choices import Colour, WarningLevel

# What each reason says, kept untranslated: a reason is stored as its message and parameters and read in the
# reader's language, so a run under one language never stores text another reader sees.
MESSAGES: dict[str, str] = {
    "check_due": gettext_noop("The monthly check for %(month)s is due on %(due)s."),
    "check_overdue": gettext_noop("The monthly check for %(month)s is overdue (due %(due)s)."),
    "declarations": gettext_noop("%(n)s case declaration(s) not filed; the oldest was due on %(due)s."),
    "declaration_review": gettext_noop("A case declaration with a yes answer awaits review."),
    "assessment": gettext_noop("The risk of case %(number)s is past its handling deadline."),
    "warning": gettext_noop("A %(level)s integrity warning is being rectified."),
    "clue": gettext_noop("Information about you is being verified by discipline staff."),
    "violation": gettext_noop("A violation was confirmed on %(day)s."),
    "matters": gettext_noop("The annual personal matters report for %(year)s is overdue."),
    # Reasons stored as text before reasons were stored as messages: shown as they were written.
    "as_recorded": "%(text)s",
}
CLEARED = gettext_noop("Every reason is cleared.")

# Parameters stored as codes and shown as their label in the reader's language.
_LABELS = {"level": WarningLevel}


@dataclass(frozen=True)
class Reason:
    """Why a light is not green: a kind, a colour, a message with its parameters, and the page that fixes it."""

    kind: str
    colour: str
    message: str
    params: Mapping[str, str | int] = field(default_factory=dict)
    url: str = ""

    @property
    def text(self) -> str:
        """The reason in the active language."""
        params = {key: (_LABELS[key](value).label if key in _LABELS else value) for key, value in self.params.items()}
        return gettext(MESSAGES[self.message]) % params if params else gettext(MESSAGES[self.message])

    def as_dict(self) -> dict:
        return {"kind": self.kind, "colour": self.colour, "message": self.message, "params": dict(self.params),
                "url": self.url}  # fmt: skip

    @classmethod
    def from_dict(cls, stored: Mapping) -> Reason:
        return cls(stored["kind"], stored["colour"], stored["message"], stored.get("params", {}), stored.get("url", ""))


def explain(stored: Iterable[Mapping]) -> list[Reason]:
    """Stored reasons as ``Reason``s, each with its text in the active language."""
    return [Reason.from_dict(r) for r in stored]


def why(stored: Iterable[Mapping]) -> str:
    """Stored reasons as one line in the active language."""
    return "；".join(r.text for r in explain(stored)) or gettext(CLEARED)


def worst(reasons: Iterable[Reason | dict]) -> Colour:
    """The light is the worst of its reasons; no reason is green."""
    colours = [Colour(r.colour if isinstance(r, Reason) else r["colour"]) for r in reasons]
    return max(colours, key=lambda c: c.rank, default=Colour.GREEN)


def sorted_reasons(reasons: Iterable[Reason]) -> list[Reason]:
    """Worst first, then by kind, so the page and the stored reasons read the same way every run."""
    return sorted(reasons, key=lambda r: (-Colour(r.colour).rank, r.kind, r.message, sorted(r.params.items()), r.url))


def declaration_colour(earliest_due: datetime.date, as_of: datetime.date, red_after_days: int) -> Colour:
    """Missing declarations are yellow; red once the oldest is more than the policy's days overdue."""
    return Colour.RED if (as_of - earliest_due).days > red_after_days else Colour.YELLOW


def yellow_reminder_due(since: datetime.date, today: datetime.date, every_days: int) -> int | None:
    """While yellow, a reminder goes the day it turned and every ``every_days`` after; returns which one is due."""
    elapsed = (today - since).days
    if elapsed < 0 or every_days <= 0:
        return None
    return elapsed // every_days if elapsed % every_days == 0 else None
