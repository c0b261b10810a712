"""The case import from the command line: an export's own headers mapped by name, constants for what it lacks, a
dry run that writes nothing, bad rows refused or skipped."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cases.models import Case, CaseImport

pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-11-20")]

HEADER = "统一编号,案件名称,承办庭室,承办人,受理日期"


def export(tmp_path, *rows: str):
    path = tmp_path / "案件.csv"
    path.write_bytes("\n".join([HEADER, *rows]).encode("gbk"))
    return str(path)


def test_a_mapped_header_and_a_constant_type_import_and_a_dry_run_writes_nothing(world, tmp_path):
    path = export(tmp_path, "（2026）江检刑诉字第1号,张三盗窃案,公诉处,李明,2026-11-02")
    args = ["import_data", "cases", path, "--institution", "C", "--map", "案号=统一编号"]
    args += ["--constant", "case_type=刑事"]
    out = io.StringIO()
    call_command(*args, "--dry-run", stdout=out)
    assert "1" in out.getvalue() and not Case.objects.exists() and not CaseImport.objects.exists()
    call_command(*args, stdout=io.StringIO())
    case = Case.objects.get()
    assert (case.number, case.case_type, case.department) == ("（2026）江检刑诉字第1号", "刑事", world.prosecution)


def test_a_bad_row_refuses_the_file_unless_skipped_and_each_is_named(world, tmp_path):
    path = export(
        tmp_path,
        "（2026）江检刑诉字第1号,张三盗窃案,公诉处,李明,2026-11-02",
        "（2026）江检刑诉字第2号,李四诈骗案,公诉处,查无此人,2026-11-03",
    )
    args = ["import_data", "cases", path, "--institution", "江州市人民检察院", "--map", "number=统一编号"]
    args += ["--default", "案件类型=刑事"]
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command(*args, stdout=out)
    assert "3" in out.getvalue() and "查无此人" in out.getvalue() and not Case.objects.exists()
    call_command(*args, "--skip-bad-rows", stdout=io.StringIO())
    assert list(Case.objects.values_list("number", flat=True)) == ["（2026）江检刑诉字第1号"]


def test_the_fields_are_listed_with_their_labels(tmp_path):
    out = io.StringIO()
    call_command("import_data", "cases", "--fields", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].split("\t")[:2] == ["number", "案号"] and len(lines[0].split("\t")) == 3
    assert any(line.startswith("quality_score\t质量评分") and line.count("\t") == 1 for line in lines)
