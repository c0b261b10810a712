"""Journeys through the cases pages in a real browser, on the demo institution."""

import pytest

from cases.models import Declaration, DeclarationQuestion
from integrity.models import Officer
from tests.cases.records import assess, declare, make_case

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_officer_declares_an_interceding_yes_and_the_head_sees_it(page, login, demo, screenshot, nav):
    officer = Officer.objects.get(username="officer")
    case = make_case(officer.department, [officer], number="（2026）江检刑诉字第901号")
    declaration = Declaration.objects.get(case=case, officer=officer)
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
    nav("cases:review_queue")
    queue = page.locator('[data-testid="declarations-awaiting-review"]')
    assert queue.locator("tr", has_text=declaration.case.number).count() == 1
    screenshot("case-review-queue")


def test_a_case_whose_assessment_is_not_approved_cannot_be_closed(page, login, demo, screenshot):
    officer = Officer.objects.get(username="officer")
    case = make_case(officer.department, [officer], number="（2026）江检刑诉字第902号")
    declare(case, officer)
    assess(case, officer)  # submitted, not yet approved
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
