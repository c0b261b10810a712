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


def test_the_administrator_maps_an_institutions_own_table_skips_a_bad_row_and_downloads_it(
    page, login, demo, screenshot, tmp_path
):
    import io

    from openpyxl import Workbook, load_workbook

    from risks.models import RiskPoint

    book = Workbook()
    book.active.append(["所在庭室", "隐患内容", "级别"])  # two headers nobody's alias
    book.active.append(["公诉处", "庭前私下会见辩护律师", "高"])
    book.active.append(["不存在的庭", "泄露合议内容", "中"])
    path = tmp_path / "公诉处廉政风险点.xlsx"
    book.save(path)

    login("admin")
    page.goto(f"{demo}/risks/import/")
    page.select_option("#id_kind", value="risk_points")
    page.select_option("#id_institution", label="江州市人民检察院")
    page.set_input_files("#id_file", str(path))
    page.click("form[enctype] button[type=submit]")
    page.wait_for_selector('[data-testid="preview"]')
    page.select_option("#id_col_department", label="所在庭室")
    page.select_option("#id_col_description", label="隐患内容")
    page.fill("#id_const_category", "业务流程")
    page.click("button[name=preview]")
    errors = page.locator('[data-testid="import-errors"]')
    errors.wait_for()
    assert "不存在的庭" in errors.inner_text() and "第 3 行" in errors.inner_text()
    screenshot("import-preview")
    page.check("#id_skip_bad_rows")
    page.click('[data-testid="confirm-import"]')
    page.wait_for_selector('[data-testid="batch-status"]:has-text("已导入")')
    assert RiskPoint.objects.filter(description="庭前私下会见辩护律师", department__name="公诉处").count() == 1
    assert not RiskPoint.objects.filter(description="泄露合议内容").exists()
    with page.expect_download() as download:
        page.click('[data-testid="batch-status"] [data-testid="error-file"]')
    rows = list(load_workbook(io.BytesIO(download.value.path().read_bytes())).active.values)
    assert (rows[1][0], rows[1][2]) == (3, "不存在的庭") and "不存在的庭" in rows[1][1]
