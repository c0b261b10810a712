"""Claims made by conditional update (filing, reviewing, approving, concluding) keep who did it in the history."""

from __future__ import annotations

import datetime

import pytest

from alerts import actions as alert_actions
from alerts import clues
from alerts.choices import ClueKind, Outcome, WarningLevel, WarningTarget
from cases import declarations
from cases.models import Declaration, DeclarationQuestion
from risks import personal
from risks.models import MonthlyCheck
from tests.cases.records import make_case
from tests.risks.records import post_risk

# The clock is pinned to the day the dates below were written against.
pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-11-20")]


def history(record) -> list[tuple[str | None, str]]:
    """(who, status-like field) of each history row, oldest first."""
    rows = record.history.order_by("history_date", "history_id")
    return [(row.history_user.username if row.history_user else None, row) for row in rows]


def test_filing_and_reviewing_a_monthly_check(world):
    post_risk(world.officer.post)
    personal.open_risk_tables()
    personal.open_monthly_checks(datetime.date(2026, 11, 1))
    check = MonthlyCheck.objects.get(officer=world.officer, period=datetime.date(2026, 11, 1))
    answers = [personal.AnswerData(i.pk, i.description) for i in check.table.items.all()]
    personal.submit_monthly_check(check, answers, acting_user=world.officer)
    personal.review_monthly_check(check, approve=False, comment="请补充", acting_user=world.depthead)
    personal.amend_monthly_check(check, text="补充说明", acting_user=world.officer)
    rows = [(who, row.review_status, row.submitted_at is not None) for who, row in history(check)]
    assert rows[-3:] == [("officer", "pending", True), ("depthead", "returned", True), ("officer", "pending", True)]


def test_submitting_and_reviewing_a_declaration(world):
    case = make_case(world.prosecution, [world.officer])
    declaration = Declaration.objects.get(case=case)
    meals = DeclarationQuestion.objects.get(code="meals")
    answers = [
        declarations.AnswerData(q, q == meals, "同学聚会" if q == meals else "")
        for q in DeclarationQuestion.objects.filter(is_active=True)
    ]
    declarations.submit_declaration(declaration, answers, acting_user=world.officer)
    declarations.review_declaration(declaration, comment="已了解", acting_user=world.depthead)
    assert [(who, row.review_status) for who, row in history(declaration)][-2:] == [
        ("officer", "pending"),
        ("depthead", "cleared"),
    ]


def test_approving_a_warning_and_concluding_a_clue(world):
    warning = alert_actions.propose_warning(
        level=WarningLevel.GENERAL, target=WarningTarget.OFFICER, institution=world.city, officer=world.officer,
        facts="接受宴请", source="来信", acting_user=world.inspector,
    )  # fmt: skip
    alert_actions.approve_warning(
        warning,
        actions=[alert_actions.ActionData("reminder_talk", datetime.date(2026, 12, 1))],
        acting_user=world.chief,
    )
    assert [(who, row.status) for who, row in history(warning)] == [("inspector", "proposed"), ("chief", "rectifying")]

    clue = clues.register_clue(
        institution=world.city, kind=ClueKind.PETITION, source="来信", subject=world.officer, content="反映收礼",
        received_on=datetime.date(2026, 11, 10), acting_user=world.inspector,
    )  # fmt: skip
    clues.assign_verifier(clue, world.inspector, acting_user=world.inspector)
    clues.conclude_clue(clue, outcome=Outcome.UNTRUE, clarification="经核实不属实", acting_user=world.inspector)
    assert clue.concluded_by == world.inspector
    assert history(clue)[-1][0] == "inspector" and history(clue)[-1][1].status == "concluded"
