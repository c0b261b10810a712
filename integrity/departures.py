"""What an officer's departure hands on, from the apps above: ``record_departure`` calls every registered handover in
its transaction. An app registers a function in its ``AppConfig.ready``; it hands the officer's open work to the
successor (the cases they handle), closes what no longer applies (their current risk table, the talks they were
owed) and opens what the departure owes (the exit talk), or raises ``ValidationError`` to refuse (open cases and no
successor named).
"""

from __future__ import annotations

from collections.abc import Callable

from integrity.models import Officer

# Each takes (the officer leaving, the successor or None, who records the departure).
handovers: list[Callable[[Officer, Officer | None, Officer | None], None]] = []


def hand_over(officer: Officer, successor: Officer | None, acting_user: Officer | None) -> None:
    for handover in handovers:
        handover(officer, successor, acting_user)
