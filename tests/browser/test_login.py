"""Each demo account logs in through the real login page and lands on its role's workbench."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

ROLE_CARD = {
    "officer": "officer",
    "depthead": "department_head",
    "deputy": "deputy_leader",
    "chief": "overseer",
    "inspector": "overseer",
    "admin": "administrator",
    "security": "security",
    "auditor": "auditor",
}


@pytest.mark.parametrize("username", list(ROLE_CARD))
def test_each_demo_account_logs_in_and_sees_its_workbench(page, login, screenshot, username):
    login(username)
    assert "工作台" in page.inner_text("[data-testid=home-title]")
    assert page.is_visible(f'[data-role="{ROLE_CARD[username]}"]')
    screenshot(f"home-{username}")


def test_a_wrong_password_is_refused_in_chinese(page, demo):
    page.goto(f"{demo}/login/")
    page.fill("#id_username", "officer")
    page.fill("#id_password", "not-the-password")
    page.click("#login-form button[type=submit]")
    assert "请输入一个正确的" in page.inner_text(".alert-danger")


def test_switching_to_english_and_back(page, login):
    login("officer")
    page.click("[data-testid=language-switch] button[value=en]")
    page.wait_for_selector("text=Workbench of")
    page.click("[data-testid=language-switch] button[value=zh-hans]")
    page.wait_for_selector("text=的工作台")


def test_city_discipline_staff_filter_the_officer_list_down_to_a_district_body(page, login, demo, screenshot, nav):
    login("inspector")
    nav("integrity:officer_list")
    page.wait_for_selector("table")
    page.select_option("#id_institution", label="江州市东湖区人民检察院")
    page.wait_for_url("**institution=*")
    page.wait_for_function("!document.querySelector('tbody').innerText.includes('江州市人民检察院\\t')")
    rows = page.locator("tbody tr")
    assert rows.count() == 13
    assert all("东湖区" in text for text in rows.all_inner_texts())
    screenshot("officer-list-district")
