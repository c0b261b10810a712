"""A case export with its own headers goes in through the same steps as a risk table: upload (the sheet that maps
best), the columns proposed and changed, constants and defaults for what the file lacks, a preview that writes
nothing and lists the bad rows (also as a file), then the import; the same headers next time map themselves."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from cases.choices import ImportJobStatus
from cases.importing import import_cases
from cases.models import Case, CaseImport
from integrity.models import HeaderSynonym
from integrity.spreadsheets import Mapping

pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-11-20")]

# 系统编号 and 承办部室 are no export's usual headers; there is no type column (every row is criminal).
HEADER = ["系统编号", "案件名称", "承办部室", "承办人", "受理日期"]


def csv(*rows: list[str]) -> bytes:
    return "\n".join(",".join(row) for row in [HEADER, *rows]).encode("gbk")


def row(n: int, department: str = "公诉处", handler: str = "李明") -> list[str]:
    return [f"（2026）江检刑诉字第{n}号", f"案{n}", department, handler, "2026-11-02"]


def upload(client, world, content: bytes, name: str = "案件.csv", **extra) -> CaseImport:
    data = {"institution": world.city.pk, "file": SimpleUploadedFile(name, content), **extra}
    response = client.post(reverse("cases:case_import"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    return CaseImport.objects.latest("imported_at")


def form(job: CaseImport, **extra) -> dict:
    return {f"col_{k}": "" if v is None else str(v) for k, v in job.column_map.items()} | extra


MAPPED = {"col_number": "0", "col_department": "2", "const_case_type": "刑事"}


def test_unknown_headers_are_mapped_previewed_without_writing_then_imported_and_remembered(
    client_for, world, django_capture_on_commit_callbacks
):
    client = client_for(world.admin)
    job = upload(client, world, csv(row(1), row(2)))
    assert job.status == ImportJobStatus.UPLOADED and not Case.objects.exists()
    assert (job.column_map["number"], job.column_map["title"], job.column_map["handlers"]) == (None, 1, 3)
    page = client.get(job.get_absolute_url()).content.decode()
    assert 'data-testid="mapping"' in page and "系统编号" in page

    with django_capture_on_commit_callbacks(execute=True):
        client.post(job.get_absolute_url(), form(job, **MAPPED, remember_headers="on", preview="1"))
    job.refresh_from_db()
    assert (job.status, job.created, job.errors) == (ImportJobStatus.PREVIEWED, 2, [])
    assert [(r["number"], r["action"]) for r in job.preview_rows] == [
        ("（2026）江检刑诉字第1号", "create"), ("（2026）江检刑诉字第2号", "create")
    ]  # fmt: skip
    assert not Case.objects.exists() and CaseImport.objects.count() == 1  # a preview writes nothing
    page = client.get(job.get_absolute_url()).content.decode()
    assert 'data-testid="preview-summary"' in page and 'data-testid="mapping"' in page
    assert "新增" in page.split('data-testid="preview"')[1]
    assert client.get(job.get_absolute_url(), HTTP_HX_REQUEST="true")["HX-Refresh"] == "true"

    with django_capture_on_commit_callbacks(execute=True):
        client.post(job.get_absolute_url(), form(job, **MAPPED, **{"import": "1"}))
    job.refresh_from_db()
    assert (job.status, job.created) == (ImportJobStatus.DONE, 2)
    assert set(Case.objects.values_list("case_type", "department")) == {("刑事", world.prosecution.pk)}
    # Imported: no mapping form any more, and a late post of it changes nothing.
    assert 'data-testid="mapping"' not in client.get(job.get_absolute_url()).content.decode()
    assert client.post(job.get_absolute_url(), form(job, **MAPPED, **{"import": "1"})).status_code == 400
    assert Case.objects.count() == 2

    # What was mapped by hand is remembered: the next export with these headers maps itself.
    remembered = set(HeaderSynonym.objects.values_list("field", "header", "institution"))
    assert remembered == {("number", "系统编号", world.city.pk), ("department", "承办部室", world.city.pk)}
    later = upload(client, world, csv(row(3)).replace("承办人".encode("gbk"), "办案人".encode("gbk")))
    assert (later.column_map["number"], later.column_map["department"], later.column_map["handlers"]) == (0, 2, 3)


def test_the_same_headers_again_take_the_earlier_mapping_and_its_constants(client_for, world):
    client = client_for(world.admin)
    first = upload(client, world, csv(row(1)))
    client.post(first.get_absolute_url(), form(first, **MAPPED, preview="1"))
    second = upload(client, world, csv(row(2)))
    assert (second.column_map["number"], second.constants) == (0, {"case_type": "刑事"})


def test_a_preview_lists_the_bad_rows_in_a_file_and_skipping_them_imports_the_rest(
    client_for, world, django_capture_on_commit_callbacks
):
    client = client_for(world.admin)
    job = upload(client, world, csv(row(1), row(2, department="无此部门"), row(3, handler='=HYPERLINK("x")')))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(job.get_absolute_url(), form(job, **MAPPED, preview="1"))
    job.refresh_from_db()
    assert job.status == ImportJobStatus.PREVIEWED and [e["row"] for e in job.errors] == [3, 4]
    assert job.created == 1  # what importing the good rows would do

    errors = client.get(reverse("cases:case_import_errors", args=[job.pk]))
    assert errors.status_code == 200 and "attachment" in errors["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(errors.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][:3] == ("行", "错误", "系统编号") and [r[0] for r in values[1:]] == [3, 4]
    assert "无此部门" in values[1][1] and sheet.cell(row=3, column=6).data_type == "s"  # a formula stays text

    with django_capture_on_commit_callbacks(execute=True):
        client.post(job.get_absolute_url(), form(job, **MAPPED, **{"import": "1"}))
    job.refresh_from_db()
    assert job.status == ImportJobStatus.REJECTED and not Case.objects.exists()
    assert 'data-testid="mapping"' in client.get(job.get_absolute_url()).content.decode()  # fix and try again
    with django_capture_on_commit_callbacks(execute=True):
        client.post(job.get_absolute_url(), form(job, **MAPPED, skip_bad_rows="on", **{"import": "1"}))
    job.refresh_from_db()
    assert (job.status, job.created) == (ImportJobStatus.DONE, 1)
    assert list(Case.objects.values_list("number", flat=True)) == ["（2026）江检刑诉字第1号"]


def test_a_workbook_opening_on_a_notes_sheet_is_read_from_its_case_sheet_or_the_sheet_named(client_for, world):
    book = Workbook()
    book.active.title = "说明"
    book.active.append(["本表由案件管理系统导出，请勿修改表头"])
    cases = book.create_sheet("案件")
    for values in [HEADER, row(1)]:
        cases.append(values)
    buffer = io.BytesIO()
    book.save(buffer)
    client = client_for(world.admin)
    job = upload(client, world, buffer.getvalue(), "案件.xlsx")
    assert (job.sheet, job.header) == ("案件", HEADER)
    response = client.post(
        reverse("cases:case_import"),
        {"institution": world.city.pk, "file": SimpleUploadedFile("案件.xlsx", buffer.getvalue()), "sheet": "统计"},
    )
    assert response.status_code == 200 and "统计" in response.content.decode() and CaseImport.objects.count() == 1


def test_a_job_already_queued_is_not_queued_twice(client_for, world, django_capture_on_commit_callbacks):
    client = client_for(world.admin)
    job = upload(client, world, csv(row(1)))
    CaseImport.objects.filter(pk=job.pk).update(status=ImportJobStatus.QUEUED)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(job.get_absolute_url(), form(job, **MAPPED, **{"import": "1"}))
    assert response.status_code == 400 and not callbacks and not Case.objects.exists()


def test_a_preview_counts_new_and_changed_cases_without_writing_a_row(world):
    mapping = Mapping(columns={"number": 0, "department": 2}, constants={"case_type": "刑事"})
    first = import_cases(world.city, csv(row(1), row(2)), "a.csv", acting_user=world.admin, mapping=mapping)
    assert first.written and first.created == 2
    changed = row(2)
    changed[1] = "案2（更名）"
    with CaptureQueriesContext(connection) as queries:
        preview = import_cases(
            world.city, csv(row(1), changed, row(3)), "b.csv", acting_user=world.admin, mapping=mapping, dry_run=True
        )
    assert (preview.created, preview.updated, preview.written) == (1, 1, False)
    assert [(r["row"], r["action"]) for r in preview.preview] == [(2, "unchanged"), (3, "update"), (4, "create")]
    writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert writes == [] and Case.objects.count() == 2
