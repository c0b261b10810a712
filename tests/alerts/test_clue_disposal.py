"""Disposing of a clue (线索处置): the discipline staff choose a method — talk or written inquiry, preliminary
verification, kept pending, or closed without action — recorded with who decided; each but the last gives the
verifier a deadline by the alert policy's days for it, counted on the working-day calendar, chased past it."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from alerts import clues
from alerts.choices import ClueKind, ClueMethod, ClueStatus
from alerts.escalation import escalate
from alerts.models import AlertPolicy, Clue, Notification
from integrity import obligations
from integrity.choices import DayCount

# The clock is pinned to Friday 25 September 2026, before the National Day break.
pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-09-25")]
TODAY = datetime.date(2026, 9, 25)


def register(world) -> Clue:
    return clues.register_clue(
        institution=world.city, kind=ClueKind.PETITION, source="12309 检察服务中心", subject=world.officer,
        content="反映其接受当事人宴请", received_on=TODAY, acting_user=world.inspector,
    )  # fmt: skip


def verifying(officer) -> list:
    return [
        item
        for kind, items, _n in obligations.to_dos(officer)
        for item in items
        if kind.code == "alerts.clue_verification"
    ]


def test_a_talk_or_written_inquiry_is_due_in_fifteen_working_days_and_chased_past_them(world):
    clue = clues.assign_verifier(
        register(world), world.inspector, method=ClueMethod.TALK_INQUIRY, acting_user=world.chief
    )
    # Mon 28 (1), Tue 29, Wed 30 (3), 1–7 October off, Thu 8, Fri 9, Sat 10 worked (6), 12–16 (11), 19–22 (15).
    assert clue.due_on == datetime.date(2026, 10, 22)
    assert (clue.method, clue.method_by, clue.status) == (ClueMethod.TALK_INQUIRY, world.chief, ClueStatus.VERIFYING)
    assert clue.history.first().history_change_reason == str(ClueMethod.TALK_INQUIRY.label)
    assert [item.due_on for item in verifying(world.inspector)] == [datetime.date(2026, 10, 22)]

    late = f"late:alerts.clue_verification:{clue.pk}"
    escalate(datetime.date(2026, 10, 22))  # on its day: nothing yet
    assert not Notification.objects.filter(occasion=late).exists()
    review_days = AlertPolicy().review_days
    escalate(datetime.date(2026, 10, 22) + datetime.timedelta(days=review_days))
    assert Notification.objects.filter(occasion=late, recipient=world.inspector).exists()
    clues.conclude_clue(clue, outcome="untrue", clarification="经核查，反映问题不属实。", acting_user=world.inspector)
    assert not verifying(world.inspector)


def test_each_method_has_its_policy_days_in_calendar_days_when_the_policy_says_so(world):
    AlertPolicy.objects.create(
        institution=world.city, preliminary_days=60, shelved_days=90, days_counted=DayCount.CALENDAR
    )
    preliminary = clues.assign_verifier(
        register(world), world.inspector, method=ClueMethod.PRELIMINARY, acting_user=world.inspector
    )
    assert preliminary.due_on == TODAY + datetime.timedelta(days=60)
    shelved = clues.assign_verifier(
        register(world), world.inspector, method=ClueMethod.SHELVED, acting_user=world.inspector
    )
    assert shelved.due_on == TODAY + datetime.timedelta(days=90)


def test_closing_without_action_concludes_the_clue_with_nobody_to_verify_it(world, client_for):
    clue = register(world)
    response = client_for(world.inspector).post(
        reverse("alerts:clue_action", args=[clue.pk, "assign"]), {"method": ClueMethod.CLOSED, "verifier": ""}
    )
    assert response.status_code == 302
    clue.refresh_from_db()
    assert (clue.status, clue.method, clue.method_by, clue.verifier, clue.due_on) == (
        ClueStatus.CONCLUDED, ClueMethod.CLOSED, world.inspector, None, None,
    )  # fmt: skip
    assert clue.concluded_on == TODAY and not verifying(world.inspector)
    other = register(world)
    client_for(world.inspector).post(
        reverse("alerts:clue_action", args=[other.pk, "assign"]), {"method": ClueMethod.PRELIMINARY, "verifier": ""}
    )
    other.refresh_from_db()
    assert other.status == ClueStatus.REGISTERED and other.method == ""  # a verification needs its verifier
