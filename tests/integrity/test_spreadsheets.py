"""Every importer's files: GBK and UTF-8 CSV and .xlsx read alike; files over the size cap are refused before they
are read, and a file that unpacks to more rows than the cap (a zip bomb) stops at the cap, with a message."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from cases.models import Case
from integrity.spreadsheets import UnreadableFile, read_rows

pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-11-20")]


def workbook(rows: int) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["案号", "案件名称"])
    for n in range(rows):
        sheet.append([f"（2026）第{n}号", "案件"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_same_rows_from_gbk_and_utf8_csv_and_xlsx():
    text = "案号,案件名称\n（2026）第0号,案件\n"
    expected = [["案号", "案件名称"], ["（2026）第0号", "案件"]]
    assert read_rows(text.encode("gbk"), "a.csv") == expected
    assert read_rows(text.encode("utf-8-sig"), "a.csv") == expected
    assert read_rows(workbook(1), "a.xlsx") == expected


def test_more_rows_than_the_cap_stop_at_the_cap(settings):
    settings.IMPORT_MAX_ROWS = 50
    assert len(read_rows(workbook(50), "a.xlsx")) == 51
    with translation.override("en"), pytest.raises(UnreadableFile, match="more than 50 rows"):
        read_rows(workbook(5000), "bomb.xlsx")
    csv = ("案号,案件名称\n" + "x,y\n" * 51).encode()
    with pytest.raises(UnreadableFile):
        read_rows(csv, "a.csv")


@pytest.mark.parametrize("page", ["cases:case_import", "integrity:officer_import", "risks:import_start"])
def test_a_file_over_the_size_cap_is_refused_before_it_is_read(world, client_for, settings, page):
    settings.IMPORT_MAX_BYTES = 1024 * 1024
    big = SimpleUploadedFile("cases.csv", b"a,b\n" + b"x,y\n" * 300_000)
    response = client_for(world.admin).post(reverse(page), {"institution": world.city.pk, "file": big})
    assert response.status_code == 200 and "1 MB" in response.content.decode()
    assert not Case.objects.exists()
