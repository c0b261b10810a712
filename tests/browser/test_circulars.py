"""A circulated notice in a real browser: the inspector writes it and submits it, the chief approves it, the officer
finds it in their to-dos and opens it, and the inspector's page shows it read."""

import pytest
from django.conf import settings

from alerts.models import Circular

pytestmark = pytest.mark.django_db(transaction=True)


def other_user(browser, demo: str, username: str):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{demo}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", settings.DEMO_PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_selector("[data-testid=home-title]")
    return context, page


def test_the_inspector_publishes_a_notice_and_sees_the_officer_read_it(browser, page, login, demo, screenshot):
    inspector_context, inspector = other_user(browser, demo, "inspector")
    inspector.goto(f"{demo}/alerts/circulars/new/")
    inspector.select_option("#id_kind", "criticism")
    inspector.fill("#id_number", "江检纪通〔2026〕9号")
    inspector.fill("#id_title", "关于违规接受律师宴请问题的通报")
    inspector.fill("#id_body", "经查，某干警节前接受律师宴请。\n各部门要引以为戒。")
    inspector.fill("#id_people", "officer")
    inspector.click("main form.card button[type=submit]")
    inspector.wait_for_selector('[data-testid="circular-submit"]')
    inspector.click('[data-testid="circular-submit"]')
    inspector.wait_for_selector('[data-testid="circular-status"] :text("待审批")')
    circular = Circular.objects.get(title="关于违规接受律师宴请问题的通报")

    chief_context, chief = other_user(browser, demo, "chief")
    chief.goto(f"{demo}/todo/")
    chief.click(f'[data-kind="alerts.circular_approval"] a[href="{circular.get_absolute_url()}"]')
    chief.click('[data-testid="circular-approve"]')
    chief.wait_for_selector('[data-testid="circular-status"] :text("已印发")')
    chief_context.close()

    login("officer")
    page.click('[data-testid="todos-link"]')
    page.wait_for_selector('[data-testid="todos-title"]')
    page.click(f'[data-kind="alerts.circular_reading"] a[href="{circular.get_absolute_url()}"]')
    page.wait_for_selector('[data-testid="circular-document"] :text("各部门要引以为戒")')
    screenshot("circular-officer")

    inspector.reload()
    assert inspector.get_attribute('[data-receipt="officer"]', "data-read") == "yes"
    inspector_context.close()
