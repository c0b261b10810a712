"""Polling in a real browser: a page out of sight (a background tab, a minimised window) sends none of its polls;
shown again, it asks at once and goes on polling."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

# The page's visibility, as the tests set it: hidden from the start, as a tab opened in the background.
VISIBILITY = """
window.__shown = false;
Object.defineProperty(Document.prototype, "visibilityState", {
  configurable: true, get() { return window.__shown ? "visible" : "hidden"; } });
Object.defineProperty(Document.prototype, "hidden", { configurable: true, get() { return !window.__shown; } });
"""


def show(page, shown: bool) -> None:
    page.evaluate(
        f"() => {{ window.__shown = {'true' if shown else 'false'}; "
        "document.dispatchEvent(new Event('visibilitychange')); }"
    )


def test_a_hidden_page_does_not_poll_and_asks_at_once_when_shown(page, login, demo, settings):
    settings.TODO_POLL_SECONDS = 1
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url) if "/todo/count/" in request.url else None)
    page.add_init_script(VISIBILITY)
    login("officer")

    page.wait_for_timeout(3_500)  # the page's load and three polls' worth of time, out of sight
    assert asked == []

    with page.expect_request("**/todo/count/", timeout=900):  # shown: it asks before the next poll is due
        show(page, True)
    page.wait_for_timeout(2_500)
    assert len(asked) >= 3  # and it polls again, every second, while it is in sight

    show(page, False)
    page.wait_for_timeout(1_500)  # a poll sent just before it was hidden may still land
    while_hidden = len(asked)
    page.wait_for_timeout(3_000)
    assert len(asked) == while_hidden
