"""The Content-Security-Policy holds on the pages people use: no script, style or font refused, with htmx (filters,
the board's polling) and Bootstrap (menus) still working."""

import pytest
from django.urls import reverse

from integrity.models import Officer
from risks.models import PowerItem

pytestmark = pytest.mark.django_db(transaction=True)

WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + (e.sourceFile || ""));
});
"""


def test_no_page_breaks_the_content_security_policy(page, login, demo, nav):
    console = []
    page.on("console", lambda message: console.append(message.text) if message.type == "error" else None)
    page.add_init_script(WATCH)
    login("chief")
    officer = Officer.objects.get(username="officer")
    item = PowerItem.objects.filter(steps__isnull=False).first()
    paths = [
        reverse("home"),
        reverse("alerts:board"),
        reverse("cases:case_list"),
        officer.get_absolute_url(),
        reverse("archives:archive", args=[officer.pk, "integrity"]),
        reverse("risks:matrix"),
        reverse("archives:talk_round"),
        item.get_absolute_url(),
    ]
    violations = []
    for path in paths:
        page.goto(f"{demo}{path}")
        page.wait_for_load_state("load")
        violations += page.evaluate("window.__violations")
    # htmx still filters a list in place, and a menu still opens
    page.goto(f"{demo}{reverse('cases:case_list')}")
    with page.expect_response(lambda r: "/cases/" in r.url and r.request.headers.get("hx-request") == "true"):
        page.locator("form[hx-get] select").first.select_option(index=1)
    nav("archives:quarters")
    page.wait_for_load_state("load")
    quarter = page.locator("select[name=quarter]")
    if quarter.locator("option").count() > 1:  # the quarter picker submits itself, without an inline handler
        with page.expect_navigation():
            quarter.select_option(index=1)
    violations += page.evaluate("window.__violations")
    assert violations == []
    assert not [text for text in console if "Content Security Policy" in text]
