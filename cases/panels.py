"""What apps above the cases app show on a case's page, without the cases app knowing them: each registers a
function that gives, for a case and the user reading it, a panel or None (the alerts app: the clues that concern
the case)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from cases.models import Case
from integrity.models import Officer


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict[str, Any] = field(default_factory=dict)


PanelFor = Callable[[Case, Officer], Panel | None]
PANELS: list[PanelFor] = []


def register(panel_for: PanelFor) -> None:
    if panel_for not in PANELS:
        PANELS.append(panel_for)


def panels_for(case: Case, user: Officer) -> list[Panel]:
    return [panel for panel_for in PANELS if (panel := panel_for(case, user)) is not None]
