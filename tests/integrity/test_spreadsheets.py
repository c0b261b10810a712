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

# The clock is pinned to Friday 20 November 2026: the dates the files carry are read beside it.
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


def old_excel(sheets: dict[str, list[list]]) -> bytes:
    """An .xls as older case systems export it, dates as Excel dates."""
    import datetime

    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    dates = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for title, rows in sheets.items():
        sheet = book.add_sheet(title)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, datetime.date):
                    sheet.write(r, c, value, dates)
                elif value is not None:
                    sheet.write(r, c, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_an_old_excel_file_reads_like_the_others_with_its_dates_and_sheets(world):
    import datetime

    from cases.importing import FIELDS, import_cases
    from integrity.spreadsheets import best_sheet

    notes = [["本表由案管系统导出"]]
    rows = [
        ["案号", "案件名称", "案件类型", "承办部门", "承办人", "受理日期"],
        ["（2026）江检刑诉字第1号", "甲案", "刑事", "公诉处", "李明", datetime.date(2026, 11, 2)],
        ["（2026）江检刑诉字第2号", "乙案", "刑事", "公诉处", "李明", datetime.date(2026, 11, 3)],
    ]
    content = old_excel({"说明": notes, "案件": rows})
    assert read_rows(content, "export.xls", "案件")[1][5] == "2026-11-02"
    with pytest.raises(UnreadableFile):
        read_rows(content, "export.xls", "不存在")
    assert best_sheet(content, "export.xls", FIELDS) == "案件"
    result = import_cases(world.city, content, "export.xls", acting_user=world.admin, sheet="案件")
    assert result.ok, result.errors
    assert sorted(Case.objects.values_list("received_on", flat=True)) == [
        datetime.date(2026, 11, 2),
        datetime.date(2026, 11, 3),
    ]


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
