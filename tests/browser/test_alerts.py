"""The light journey in a real browser: yellow before the deadline, green on filing, seen live on the board."""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from alerts.engine import compute_lights
from alerts.models import Light
from integrity.models import Officer
from risks.models import MonthlyCheck

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_officer_files_the_check_turns_green_and_the_board_shows_it_live(
    browser, page, login, demo, screenshot, nav
):
    officer = Officer.objects.get(username="officer")
    check = MonthlyCheck.objects.get(officer=officer, period=timezone.localdate().replace(day=1))
    # Two days before the deadline (or today, when that is later and the check is due soon already): yellow. A day
    # before today would read the demo's filings, made when it was seeded, as not yet made.
    day = max(timezone.localdate(), check.due_on - datetime.timedelta(days=2))
    compute_lights(as_of=day, officer_ids=[officer.pk])
    turning_green = f"{officer.pk}-{Light.objects.get(officer=officer).version + 1}"

    board_context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    board = board_context.new_page()
    board.goto(f"{demo}/login/")
    board.fill("#id_username", "inspector")
    board.fill("#id_password", settings.DEMO_PASSWORD)
    board.click("#login-form button[type=submit]")
    board.goto(f"{demo}/alerts/board/")
    board.wait_for_selector('[data-testid="feed"]')
    refreshed = board.get_attribute('[data-testid="board-live"]', "data-refreshed")

    login("officer")
    assert page.get_attribute('[data-testid="light"]', "data-light") == "yellow"
    # Computed as of a later day, other deadlines of that day may show too; the check is among the reasons.
    assert page.locator(f'[data-testid="reasons"] a[href="{check.get_absolute_url()}"]').count() == 1
    screenshot("home-yellow")
    page.click(f'[data-testid="reasons"] a[href="{check.get_absolute_url()}"]')
    page.wait_for_selector('[data-testid="check-form"]')
    page.click('[data-testid="file-check"]')
    page.wait_for_selector('[data-testid="answers"]')
    nav("home")
    assert page.get_attribute('[data-testid="light"]', "data-light") == "green"
    screenshot("home-green")

    # The board refreshes itself (htmx polling): the change appears in the feed with no reload.
    assert board.locator(f'[data-event="{turning_green}"]').count() == 0
    board.wait_for_selector(f'[data-testid="feed"] [data-event="{turning_green}"][data-to="green"]', timeout=40_000)
    assert board.get_attribute('[data-testid="board-live"]', "data-refreshed") != refreshed
    board.screenshot(path=str(settings.BASE_DIR / "test-artifacts" / "board-live.png"), full_page=True)
    board_context.close()
