"""Journeys through the cases pages in a real browser, on the demo institution."""

import pytest
from django.utils import timezone

from cases.models import Declaration, DeclarationQuestion
from integrity.models import Officer
from tests.cases.records import assess, declare, make_case

pytestmark = pytest.mark.django_db(transaction=True)
DEMO = ["officer", "depthead", "deputy", "chief", "inspector", "admin"]


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
    for other in DeclarationQuestion.objects.filter(is_active=True).exclude(pk=question.pk):
        page.locator(f'[data-question="{other.code}"] input[value="0"]').check()  # nothing is answered in advance
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


def test_an_imported_case_with_a_relatives_lawyer_is_decided_by_the_head_and_moves_to_a_new_handler(
    page, login, demo, screenshot
):
    from cases.importing import import_cases
    from cases.models import CaseHandler

    officer = Officer.objects.get(username="officer")  # the demo officer's brother is 王律师 of 江州正义律师事务所
    colleagues = Officer.objects.filter(department=officer.department, is_active=True)
    replacement = colleagues.exclude(username__in=DEMO).first()
    header = "案号,案件名称,案件类型,承办部门,承办人,受理日期,当前环节,当事人,代理人"
    row = f"（2026）江检刑诉字第903号,钱某诈骗案,刑事,{officer.department.name},{officer.full_name},"
    content = f"{header}\n{row}{timezone.localdate():%Y-%m-%d},受理,钱某,王律师（江州正义律师事务所）".encode()
    admin = Officer.objects.get(username="admin")
    assert import_cases(officer.institution, content, "cases.csv", acting_user=admin).conflicts == 1
    declaration = Declaration.objects.get(case__number="（2026）江检刑诉字第903号", officer=officer)

    login("officer")
    page.goto(f"{demo}{declaration.get_absolute_url()}")
    assert "王律师" in page.inner_text('[data-testid="conflict-notice"]')
    for question in DeclarationQuestion.objects.filter(is_active=True):
        page.locator(f'[data-question="{question.code}"] input[value="0"]').check()
    page.click('[data-testid="submit-declaration"]')  # a no with a conflict needs an explanation: sent back
    page.wait_for_selector(".alert-danger")
    for question in DeclarationQuestion.objects.filter(is_active=True):
        page.locator(f'[data-question="{question.code}"] input[value="0"]').check()
    page.fill("#id_explanation", "与胞兄分居两地，平时联系很少")
    page.click('[data-testid="submit-declaration"]')
    page.wait_for_selector('[data-testid="conflict-explanation-filed"]')
    page.goto(f"{demo}/")
    assert page.get_attribute('[data-testid="light"]', "data-light") != "green"
    assert "江检刑诉字第903号" in page.inner_text('[data-testid="reasons"]')
    screenshot("conflict-handler-light")

    page.context.clear_cookies()
    login("depthead")
    page.goto(f"{demo}/todo/")
    page.click(f"a[href='{declaration.get_absolute_url()}']")
    page.wait_for_selector('[data-testid="conflict-decide"]')
    page.check("input[name=decision][value=recuse]")
    page.select_option("#id_replacement", value=str(replacement.pk))
    page.fill("#id_reason", "近亲属担任本案代理人，应当回避")
    screenshot("conflict-decide")
    page.click('[data-testid="conflict-decide"] button[type=submit]')
    page.wait_for_selector('[data-testid="conflict-decision"]')
    handlers = list(CaseHandler.objects.filter(case=declaration.case).values_list("officer_id", flat=True))
    assert handlers == [replacement.pk]
    page.goto(f"{demo}{declaration.case.get_absolute_url()}")
    assert replacement.full_name in page.inner_text("main")


def test_the_administrator_maps_a_case_export_previews_it_and_imports_the_good_rows(
    page, login, demo, screenshot, tmp_path
):
    from cases.models import Case

    officer = Officer.objects.get(username="officer")
    department = officer.department.name
    export = tmp_path / "案件导出.csv"
    export.write_bytes(
        "\n".join(
            [
                "系统编号,案件名称,所在部室,承办人,受理日期",  # two headers nobody's alias; no type column
                f"（2026）江检导字第1号,张某盗窃案,{department},{officer.full_name},{timezone.localdate():%Y-%m-%d}",
                f"（2026）江检导字第2号,李某诈骗案,不存在的部门,{officer.full_name},{timezone.localdate():%Y-%m-%d}",
            ]
        ).encode("gbk")
    )
    login("admin")
    page.goto(f"{demo}/cases/import/")
    page.select_option("#id_institution", label=officer.institution.name)
    page.set_input_files("#id_file", str(export))
    page.click("form[enctype] button[type=submit]")
    page.wait_for_selector('[data-testid="mapping"]')
    page.select_option("#id_col_number", label="系统编号")
    page.select_option("#id_col_department", label="所在部室")
    page.fill("#id_const_case_type", "刑事")
    page.click('[data-testid="preview"]')
    summary = page.locator('[data-testid="preview-summary"]')
    summary.wait_for()
    assert "1" in summary.inner_text() and "不存在的部门" in page.inner_text('[data-testid="import-errors"]')
    assert not Case.objects.filter(number__startswith="（2026）江检导字").exists()
    screenshot("case-import-preview")
    page.check("#id_skip_bad_rows")
    page.click('[data-testid="confirm-import"]')
    page.wait_for_selector('[data-testid="import-summary"]')
    screenshot("case-import-done")
    case = Case.objects.get(number__startswith="（2026）江检导字")
    assert (case.number, case.case_type) == ("（2026）江检导字第1号", "刑事")
