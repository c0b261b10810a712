"""Alerts records for tests: a warning and a clue about the 东湖 officer, made once per test world."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from alerts import actions, clues
from alerts.choices import ClueKind, WarningLevel, WarningTarget
from alerts.models import Clue, IntegrityWarning
from integrity import actions as org
from integrity.choices import Role


@dataclass
class DistrictAlerts:
    warning: IntegrityWarning
    clue: Clue


def for_district(world) -> DistrictAlerts:
    cached = getattr(world, "_district_alerts", None)
    if cached:
        return cached
    warning = actions.propose_warning(
        level=WarningLevel.GENERAL, target=WarningTarget.OFFICER, institution=world.dh, officer=world.dh_officer,
        facts="多次接受当事人宴请", source="群众来信", acting_user=world.dh_inspector,
    )  # fmt: skip
    clue = clues.register_clue(
        institution=world.dh, kind=ClueKind.PETITION, source="来信", subject=world.dh_officer, content="反映收受礼品",
        received_on=timezone.localdate() - datetime.timedelta(days=17), acting_user=world.dh_inspector,
    )  # fmt: skip
    records = DistrictAlerts(warning, clue)
    world._district_alerts = records
    return records


def make_chief_of_district(world):
    """The 东湖 body's principal leader, for approving its warnings."""
    from tests.factories import OfficerFactory

    chief = OfficerFactory(username="dh_chief", full_name="任涛", department=world.dh_officer.department)
    org.grant_role(chief, Role.PRINCIPAL_LEADER, world.dh, acting_user=None)
    return chief
