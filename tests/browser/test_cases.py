"""Journeys through the cases pages in a real browser, on the demo institution."""

import pytest

from cases.choices import AssessmentStatus
from cases.models import Case, Declaration, DeclarationQuestion

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_officer_declares_an_interceding_yes_and_the_head_sees_it(page, login, demo, screenshot):
    declaration = Declaration.objects.filter(officer__username="officer", submitted_at__isnull=True).first()
    question = DeclarationQuestion.objects.get(code="leader-interference")
    login("officer")
    page.goto(f"{demo}/cases/")
    page.click(f"a:text-is('{declaration.case.number}')")
    page.click(f"a[href='/cases/declarations/{declaration.pk}/']")
    page.wait_for_selector('[data-testid="declaration-form"]')
    block = page.locator(f'[data-question="{question.code}"]')
    block.locator("input[value='1']").check()
    block.locator(f"#id_q{question.pk}_person").fill("某区领导")
    block.locator(f"#id_q{question.pk}_relation").fill("当事人的同学")
    block.locator(f"#id_q{question.pk}_when").fill("2026-11-10")
    block.locator(f"#id_q{question.pk}_handling").fill("当场拒绝，已按“三个规定”记录报告")
    screenshot("declaration-form")
    page.click('[data-testid="submit-declaration"]')
    page.wait_for_selector('[data-testid="declaration-answers"]')
    assert "待审核" in page.inner_text('[data-testid="declaration-status"]')

    page.context.clear_cookies()
    login("depthead")
    page.click('[data-nav="cases:review_queue"]')
    queue = page.locator('[data-testid="declarations-awaiting-review"]')
    assert queue.locator("tr", has_text=declaration.case.number).count() == 1
    screenshot("case-review-queue")


def test_a_case_whose_assessment_is_not_approved_cannot_be_closed(page, login, demo, screenshot):
    case = (
        Case.objects.filter(case_handlers__officer__username="officer", stage__name="受理")
        .exclude(assessment__status__in=[AssessmentStatus.APPROVED, AssessmentStatus.CLOSED])
        .first()
    )
    login("officer")
    page.goto(f"{demo}/cases/{case.pk}/")
    page.select_option("#id_stage", label="办结")
    page.click('[data-testid="move"]')
    page.wait_for_selector(".alert-danger")
    alerts = page.inner_text("main")
    assert "不能进入下一环节" in alerts
    assert (
        page.locator(
            '[data-testid="missing"] [data-kind="assessment"] a, [data-testid="missing"] [data-kind="assessment"]'
        ).count()
        >= 1
    )
    assert page.inner_text('[data-testid="stage"]') == "受理"
    screenshot("case-gate")
