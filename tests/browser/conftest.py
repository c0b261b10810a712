"""Browser tests: Playwright drives Debian's Chromium, headless, against a live server with the demo data."""

from __future__ import annotations

import base64
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

from tests import snapshot

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"


def pytest_collection_modifyitems(items) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator:
    if not CHROMIUM.exists():
        pytest.skip("Chromium is not installed (make test installs Debian's chromium package when it can)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread, while the fixtures' ORM calls stay synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
            yield browser
            browser.close()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def page(browser) -> Iterator:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    # The last click's requests finish before the database is emptied: a request the live server is still
    # answering holds locks that the flush's TRUNCATE waits on (seen as a deadlock at teardown).
    page.wait_for_load_state("networkidle")
    context.close()


@pytest.fixture
def demo(live_server, demo_snapshot) -> str:
    """The live server's address, with the demo institution as seeded at the start of the run."""
    snapshot.restore(demo_snapshot)
    return live_server.url


@pytest.fixture
def login(page, demo):
    def log_in(username: str) -> None:
        page.goto(f"{demo}/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", settings.DEMO_PASSWORD)
        page.click("#login-form button[type=submit]")
        page.wait_for_selector("[data-testid=home-title], [data-testid=second-factor]")
        if page.locator("[data-testid=second-factor]").count():
            give_second_factor(page, username)
        page.wait_for_selector("[data-testid=home-title]")
        page.wait_for_load_state("load")

    return log_in


def give_second_factor(page, username: str) -> None:
    """An administrator's second factor, as their authenticator app would give it: at the first login from the key
    the page shows (then past the recovery codes), later from the key of the device set up."""
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    key_shown = page.locator("[data-testid=totp-key]")
    if key_shown.count():
        text = key_shown.inner_text().replace(" ", "")
        key, last = base64.b32decode(text + "=" * (-len(text) % 8)), -1
    else:
        device = TOTPDevice.objects.get(user__username=username, confirmed=True)
        key, last = device.bin_key, device.last_t
    totp = TOTP(key)
    totp.drift = max(0, last + 1 - totp.t())  # a code is taken once: a second login within 30 s takes the next
    page.fill("#id_token", f"{totp.token():06d}")
    page.click("[data-testid=second-factor-submit]")
    page.wait_for_selector("[data-testid=home-title], [data-testid=recovery-codes]")
    if page.locator("[data-testid=recovery-codes]").count():
        page.click("[data-testid=recovery-continue]")


@pytest.fixture
def screenshot(page):
    def take(name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def nav(page):
    """Follow a navigation entry, opening its dropdown first when it sits in one."""

    def go(name: str) -> None:
        # Until the style sheet and Bootstrap are in, a closed menu's items look visible and toggles do nothing.
        page.wait_for_load_state("load")
        item = page.locator(f'[data-nav="{name}"]')
        if not item.is_visible():
            item.locator("xpath=ancestor::li[contains(@class, 'dropdown')]/a").click()
            item.wait_for(state="visible")
        # Wait for the new page's load: its deferred scripts (a filter's auto-submit) are in only then.
        with page.expect_navigation(wait_until="load"):
            item.click()

    return go
