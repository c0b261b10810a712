"""Pure rules of the cases app: names, scores, colours, deadlines, the approval chain, and the gate."""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from django.utils.translation import gettext as _

from cases.choices import ApprovalLevel, AssessmentStatus
from integrity.choices import Colour
from integrity.routing import Chain, Level, Person, reviewer

_NOISE = re.compile(r"[\s·•.。,，、()（）\[\]【】\"'“”‘’]+")
_LEGAL_SUFFIXES = ("有限责任公司", "股份有限公司", "有限公司", "律师事务所", "公证处", "公司", "集团")


def normalise_name(name: str) -> str:
    """A person's or firm's name as compared for conflicts: full-width folded, spaces and dots dropped."""
    return _NOISE.sub("", unicodedata.normalize("NFKC", name or "")).lower()


def normalise_organisation(name: str) -> str:
    """An employer or law firm, without the legal-form suffix that institutions write inconsistently."""
    key = normalise_name(name)
    stripped = True
    while stripped:  # "…律师事务所有限公司" loses both suffixes
        stripped = False
        for suffix in _LEGAL_SUFFIXES:
            if key.endswith(suffix) and len(key) > len(suffix) + 1:
                key, stripped = key[: -len(suffix)], True
                break
    return key


class Grade(Protocol):
    colour: str
    min_score: int
    approval_level: int
    deadline_days: int


def colour_for(score: int, scale: Sequence[Grade]) -> Grade:
    """The grade of the scale a score reaches: the one with the highest ``min_score`` not above it."""
    reached = [g for g in scale if g.min_score <= score]
    return max(reached, key=lambda g: g.min_score) if reached else min(scale, key=lambda g: g.min_score)


def next_approval_level(current: int | None, required: int) -> int | None:
    """After ``current`` approves, who is next; None when the chain required by the grade is complete."""
    following = (current or 0) + 1
    return following if following <= required else None


# The routing level (``integrity.routing``) that answers for each approval level.
ROUTING_LEVEL = {
    ApprovalLevel.DEPARTMENT_HEAD: Level.HEAD,
    ApprovalLevel.DEPUTY_LEADER: Level.DEPUTY,
    ApprovalLevel.PRINCIPAL_LEADER: Level.PRINCIPAL,
}


def approval_route(
    author: Person, chain: Chain, level: int | None, required: int, approved_by: Iterable[int] = ()
) -> tuple[int | None, int | None]:
    """Who approves the author's assessment next, from ``level`` on: (the level, the approver), or (None, None) once
    the grade's chain is complete. The approver at each level is the author's reviewer at that level at least (so a
    head's own assessment starts with the deputy in charge, the chief's with the discipline staff); nobody approves
    their own, and a level whose approver has already approved — someone higher, who stood in for a level nobody
    holds — is passed."""
    done = set(approved_by) | {author.officer_id}
    while level is not None:
        approver = reviewer(author, chain, at_least=ROUTING_LEVEL[ApprovalLevel(level)])
        if approver is None or approver not in done:
            return level, approver
        level = next_approval_level(level, required)
    return None, None


def declaration_overdue(due_on: datetime.date, submitted: bool, reached_decision: bool, today: datetime.date) -> bool:
    """Overdue after the policy's days or once the case reaches its decision stage, whichever comes first."""
    return not submitted and (today > due_on or reached_decision)


def assessment_overdue(status: str, deadline: datetime.date | None, today: datetime.date) -> bool:
    return status == AssessmentStatus.APPROVED and deadline is not None and today > deadline


def reassessment_due(stage_order: int, assessed_order: int | None, reassessed_orders: Iterable[int]) -> bool:
    """Whether a case at the stage ordered ``stage_order`` needs a new assessment, its current one made at the stage
    ordered ``assessed_order``: it has none, or it has since reached a stage that is re-assessed (动态评估)."""
    return assessed_order is None or any(assessed_order < order <= stage_order for order in reassessed_orders)


@dataclass(frozen=True)
class Missing:
    """One thing a case still needs before it may move on, with the record that fixes it."""

    kind: str  # "assessment" or "declaration"
    text: str
    url: str = ""
    officer_id: int | None = None


@dataclass(frozen=True)
class GateFacts:
    assessment_status: str | None
    assessment_url: str
    handlers: Sequence[tuple[int, str]]  # (officer id, name)
    declared: Iterable[int]  # handlers whose declaration is submitted
    declaration_urls: dict[int, str]
    undecided: Iterable[int] = ()  # handlers with a relation conflict the reviewer has not decided
    reassess: bool = False  # the case reached a re-assessed stage after its current assessment


def gate(facts: GateFacts) -> list[Missing]:
    """What holds a case at its stage: its current assessment approved and made at this stage when the stage is
    re-assessed, every handler's declaration filed, and every
    relation conflict decided. The page, the import and every job ask this one function before moving a case."""
    missing = []
    if facts.assessment_status is None:
        missing.append(Missing("assessment", _("The case has no risk assessment yet."), facts.assessment_url))
    elif facts.reassess:
        missing.append(
            Missing("assessment", _("The case has reached a stage where it is assessed again."), facts.assessment_url)
        )
    elif facts.assessment_status not in (AssessmentStatus.APPROVED, AssessmentStatus.CLOSED):
        missing.append(Missing("assessment", _("The case risk assessment is not approved yet."), facts.assessment_url))
    declared = set(facts.declared)
    for officer_id, name in facts.handlers:
        if officer_id not in declared:
            missing.append(
                Missing(
                    "declaration",
                    _("%(name)s has not filed the integrity declaration for this case.") % {"name": name},
                    facts.declaration_urls.get(officer_id, ""),
                    officer_id,
                )
            )
    undecided = set(facts.undecided)
    for officer_id, name in facts.handlers:
        if officer_id in undecided:
            missing.append(
                Missing(
                    "conflict",
                    _("%(name)s has a relation conflict on this case awaiting the reviewer's decision.")
                    % {"name": name},
                    facts.declaration_urls.get(officer_id, ""),
                    officer_id,
                )
            )
    if not facts.handlers:
        missing.append(Missing("declaration", _("The case has no handler.")))
    return missing


APPROVER_ROLE = {
    ApprovalLevel.DEPARTMENT_HEAD: "department_head",
    ApprovalLevel.DEPUTY_LEADER: "deputy_leader",
    ApprovalLevel.PRINCIPAL_LEADER: "principal_leader",
}


def declaration_colour(earliest_due: datetime.date, as_of: datetime.date, red_after_days: int) -> Colour:
    """Missing declarations are yellow; red once the oldest is more than the policy's days overdue."""
    return Colour.RED if (as_of - earliest_due).days > red_after_days else Colour.YELLOW
