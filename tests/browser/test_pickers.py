"""Choosing departments among a province's in a real browser: nothing is listed until searched, and each search adds
to those already chosen."""

import pytest

from alerts.models import Circular

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_searches_choose_two_departments_for_a_circular(page, login, demo, screenshot):
    login("inspector")
    page.goto(f"{demo}/alerts/circulars/new/")
    assert page.locator("#id_to_departments option").count() == 0
    page.select_option("#id_kind", "criticism")
    page.fill("#id_number", "江检纪通〔2026〕10号")
    page.fill("#id_title", "关于规范案件办理的通报")
    page.fill("#id_body", "各部门要引以为戒。")

    def choose(q: str, name: str) -> str:
        page.fill('[data-testid="to_departments-search"]', q)
        found = page.locator("#id_to_departments option:not([selected])", has_text=name).first
        found.wait_for(state="attached")
        value = found.get_attribute("value")
        page.evaluate(f"document.querySelector('#id_to_departments option[value=\"{value}\"]').selected = true")
        return value

    first = choose("公诉", "公诉")
    second = choose("侦查监督", "侦查监督")
    page.wait_for_function(
        f"document.querySelector('#id_to_departments option[value=\"{first}\"]')?.selected === true"
    )  # the second search brought the first choice back, still chosen
    screenshot("circular-departments-picked")
    page.click("main form.card button[type=submit]")
    page.wait_for_selector('[data-testid="circular-submit"]')
    circular = Circular.objects.get(title="关于规范案件办理的通报")
    assert {d.pk for d in circular.to_departments.all()} == {int(first), int(second)}
