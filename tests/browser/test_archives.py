"""The chief prints an officer's integrity archive; a batch print runs to 100%."""

import io

import pytest
from pypdf import PdfReader

from integrity.models import Officer

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_chief_opens_and_prints_an_integrity_archive(page, login, demo, screenshot):
    officer = Officer.objects.get(username="officer")
    login("chief")
    page.goto(f"{demo}{officer.get_absolute_url()}")
    page.click('[data-testid="integrity-archive"]')
    page.wait_for_selector('[data-testid="archive"] [data-section="talks"]')
    screenshot("integrity-archive-page")
    with page.expect_download() as download_info:
        page.click('[data-testid="print"]')
    pdf = download_info.value.path().read_bytes()
    assert pdf[:4] == b"%PDF"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "廉政档案" in text and officer.full_name in text


def test_a_batch_print_shows_its_progress_reaching_100(page, login, demo, nav, screenshot):
    login("chief")
    nav("archives:batch")
    page.fill('[data-testid="department-search"]', "公诉")  # the picker offers departments only once searched
    found = page.locator("#id_department option", has_text="公诉处").first
    found.wait_for(state="attached")
    page.select_option("#id_department", value=found.get_attribute("value"))
    page.select_option("#id_kind", value="integrity")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    screenshot("batch-print-after-submit")
    page.wait_for_selector('[data-testid="progress"][data-status="done"]', timeout=60_000)
    assert page.inner_text('[data-testid="progress-bar"]') == "100%"
    screenshot("batch-print")
    with page.expect_download() as download_info:
        page.click('[data-testid="download"]')
    assert download_info.value.path().read_bytes()[:4] == b"%PDF"
