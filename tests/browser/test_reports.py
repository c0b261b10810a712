"""The statistics report in a real browser: the inspector opens it from the menu, the four charts are drawn by the
ECharts served from static/ (nothing fetched from elsewhere, nothing refused by the Content-Security-Policy), and the
tables are there."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_inspector_opens_the_report_and_its_charts_are_drawn(page, login, demo, nav, screenshot):
    errors, elsewhere = [], []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("request", lambda request: elsewhere.append(request.url) if not request.url.startswith(demo) else None)
    login("inspector")
    nav("reports:report")
    page.wait_for_selector('[data-table="checks"]')
    for chart in ("trend", "matrix", "warnings", "outcomes"):
        page.wait_for_selector(f'.report-chart[data-chart="{chart}"] canvas')
    assert page.locator("table.report-table").count() == 9
    screenshot("report-inspector")
    assert errors == [] and elsewhere == []
