"""The loop closed in a real browser: the officer files a check with a problem; the head's to-do count rises without
a reload, she opens it from her to-dos and reviews it, and it leaves them."""

import pytest
from django.conf import settings
from django.utils import timezone

from integrity.models import Officer
from risks.models import MonthlyCheck

pytestmark = pytest.mark.django_db(transaction=True)


def count(page) -> int:
    badge = page.locator('[data-testid="todo-count"] [data-count]')
    return int(badge.get_attribute("data-count")) if badge.count() else 0


def test_the_head_sees_a_filed_check_arrive_in_her_to_dos_and_reviews_it(browser, page, login, demo):
    officer = Officer.objects.get(username="officer")
    check = MonthlyCheck.objects.get(officer=officer, period=timezone.localdate().replace(day=1))

    head_context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    head = head_context.new_page()
    head.goto(f"{demo}/login/")
    head.fill("#id_username", "depthead")
    head.fill("#id_password", settings.DEMO_PASSWORD)
    head.click("#login-form button[type=submit]")
    head.wait_for_selector("[data-testid=home-title]")
    head.wait_for_load_state("networkidle")
    before = count(head)

    login("officer")
    page.goto(f"{demo}{check.get_absolute_url()}")
    page.check("#id_answers-0-problem_found_1")
    page.fill("#id_answers-0-problem", "律师电话打听案情")
    page.fill("#id_answers-0-action_taken", "婉拒并登记报告")
    page.click('[data-testid="file-check"]')
    page.wait_for_selector('[data-testid="answers"]')

    # The count beside "My to-dos" polls by itself: it rises with no reload of the head's page.
    head.wait_for_function(
        f"() => Number(document.querySelector('[data-testid=todo-count] [data-count]')?.dataset.count || 0) > {before}",
        timeout=45_000,
    )
    head.click('[data-testid="todos-link"]')
    head.wait_for_selector('[data-testid="todos-title"]')
    screenshot_path = settings.BASE_DIR / "test-artifacts" / "todos-head.png"
    head.screenshot(path=str(screenshot_path), full_page=True)
    head.click(f'[data-kind="risks.check_review"] a[href="{check.get_absolute_url()}"]')
    head.check("input[name=decision][value=approve]")
    head.click('[data-testid="record-review"]')
    head.wait_for_selector('[data-testid="check-status"] [data-value="approved"]')

    head.click('[data-testid="todos-link"]')
    head.wait_for_selector('[data-testid="todos-title"]')
    assert head.locator(f'a[href="{check.get_absolute_url()}"]').count() == 0
    head.wait_for_load_state("networkidle")
    assert count(head) == before
    head_context.close()
