"""Journeys through the risks pages in a real browser, on the demo institution."""

import pytest
from django.utils import timezone

from integrity.models import Officer

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_officer_files_this_months_check_and_the_head_approves_it(page, login, demo, screenshot, nav):
    login("officer")
    nav("risks:my_check")
    page.wait_for_selector('[data-testid="check-form"]')
    assert page.is_visible('[data-testid="days-left"]') or page.is_visible(".text-danger")
    screenshot("check-open")
    page.fill("#id_remark", "本月未发现问题")
    page.click('[data-testid="file-check"]')
    page.wait_for_selector('[data-testid="answers"]')
    status = page.get_attribute('[data-testid="check-status"]', "data-status")
    assert status in ("filed", "filed_late")
    screenshot("check-filed")

    page.context.clear_cookies()
    login("depthead")
    nav("risks:review_queue")
    queue = page.locator('[data-testid="checks-awaiting-review"]')
    month = timezone.localdate().strftime("%Y-%m")
    officer_row = queue.locator("tbody tr", has_text=Officer.objects.get(username="officer").full_name).filter(
        has_text=month
    )
    assert officer_row.count() == 1
    screenshot("review-queue")
    officer_row.locator("a").first.click()
    page.wait_for_selector('[data-testid="review-form"]')
    page.check("input[name=decision][value=approve]")
    page.click('[data-testid="record-review"]')
    page.wait_for_selector('[data-testid="check-status"] [data-value="approved"]')
    screenshot("check-reviewed")


def test_the_flow_chart_and_the_risk_matrix_render(page, login, demo, screenshot):
    login("inspector")
    page.goto(f"{demo}/risks/catalog/")
    page.click("a:text-is('审查起诉')")
    chart = page.locator('[data-testid="flow-chart"]')
    chart.wait_for()
    assert chart.locator("[data-step]").count() == 5
    assert chart.locator('[data-grade="high"], [data-grade="medium"]').count() >= 1
    box = chart.bounding_box()
    assert box and box["height"] > 200
    screenshot("flow-chart")

    page.goto(f"{demo}/risks/points/matrix/")
    matrix = page.locator('[data-testid="risk-matrix"]')
    matrix.wait_for()
    assert matrix.locator("td a").count() >= 3
    screenshot("risk-matrix")
    matrix.locator("td a").first.click()
    page.wait_for_selector("table tbody tr")
