"""The user guide's screenshots (docs/guide/img) are taken here, from the demo in a real browser, so they show the
product as it is: `make test` takes them again and they are committed with the change that alters a page."""

from __future__ import annotations

import itertools
import re

import pytest

from desk import guide

pytestmark = pytest.mark.django_db(transaction=True)

# (account, picture, page): every picture the guide shows.
SHOTS = [
    ("officer", "officer-home", "/"),
    ("officer", "officer-todos", "/todo/"),
    ("depthead", "depthead-home", "/"),
    ("depthead", "depthead-review", "/risks/review/"),
    ("chief", "chief-home", "/"),
    ("chief", "chief-report", "/reports/"),
    ("inspector", "inspector-board", "/alerts/board/"),
    ("inspector", "inspector-clues", "/alerts/clues/"),
    ("intake", "intake-home", "/alerts/intake/"),
    ("casemgmt", "casemgmt-cases", "/cases/"),
    ("admin", "admin-home", "/"),
]


def test_every_picture_the_guide_shows_is_one_this_test_takes():
    shown = {
        name for path in guide.GUIDE.glob("*.md") for name in re.findall(r"\(img/([a-z-]+)\.png\)", path.read_text())
    }
    assert shown == {picture for _account, picture, _url in SHOTS}


def test_the_screenshots_are_taken_from_the_demo(page, login, demo):
    (guide.GUIDE / "img").mkdir(exist_ok=True)
    for account, shots in itertools.groupby(SHOTS, key=lambda shot: shot[0]):
        page.context.clear_cookies()
        login(account)
        for _account, picture, url in shots:
            response = page.goto(f"{demo}{url}")
            assert response is not None and response.status == 200, (account, url)
            page.wait_for_load_state("networkidle")
            path = guide.GUIDE / "img" / f"{picture}.png"
            page.screenshot(path=str(path))
            assert path.stat().st_size > 10_000, picture  # a page, not a blank
