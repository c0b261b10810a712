"""Polling in a real browser: a page out of sight (a background tab, a minimised window) sends none of its polls;
shown again, it asks at once and goes on polling."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

# The page's visibility, as the tests set it: hidden when it opens (a tab opened in the background), unless the tab
# was marked shown before a reload.
VISIBILITY = """
window.__shown = window.name === "shown";
Object.defineProperty(Document.prototype, "visibilityState", {
  configurable: true, get() { return window.__shown ? "visible" : "hidden"; } });
Object.defineProperty(Document.prototype, "hidden", { configurable: true, get() { return !window.__shown; } });
"""


def show(page, shown: bool) -> None:
    page.evaluate(
        """(shown) => {
          window.__shown = shown;
          window.name = shown ? "shown" : "";
          document.dispatchEvent(new Event("visibilitychange"));
        }""",
        shown,
    )


def test_a_hidden_page_does_not_poll_and_asks_at_once_when_shown(page, login, demo, settings):
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url) if "/todo/count/" in request.url else None)
    page.add_init_script(VISIBILITY)

    # No clock (0): the count is asked when the page opens — held back while it is out of sight — and when shown.
    settings.TODO_POLL_SECONDS = 0
    login("officer")
    page.wait_for_timeout(2_000)
    assert asked == []
    with page.expect_request("**/todo/count/", timeout=5_000):  # nothing but being shown can ask here
        show(page, True)

    # Every second, in sight from the start: it polls; hidden, it stops; shown, it goes on.
    settings.TODO_POLL_SECONDS = 1
    page.reload()
    page.wait_for_timeout(2_500)
    polled = len(asked)
    assert polled >= 3  # the one when shown, the page's load, and the clock's
    show(page, False)
    page.wait_for_timeout(1_500)  # a poll sent just before it was hidden may still land
    while_hidden = len(asked)
    page.wait_for_timeout(3_000)
    assert len(asked) == while_hidden
    with page.expect_request("**/todo/count/", timeout=5_000):
        show(page, True)
