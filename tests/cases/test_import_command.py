"""The case import from the command line: an export's own headers mapped by name, constants for what it lacks, a
dry run that writes nothing, bad rows refused or skipped."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cases.models import Case, CaseImport
from integrity import actions
from integrity.choices import Role
from integrity.models import Officer, RoleRequest

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


STAFF = "部门,干警姓名,用户名,角色,分管部门\n公诉处,韩梅,hanmei,,\n,高峰,gaofeng,部门负责人,公诉处"


def test_people_import_as_an_administrator_with_the_initial_password_from_the_environment(world, tmp_path, monkeypatch):
    path = tmp_path / "花名册.csv"
    path.write_bytes(STAFF.encode("gbk"))
    args = ["import_data", "people", str(path), "--institution", "C", "--map", "full_name=干警姓名"]
    with pytest.raises(CommandError, match="--as"):
        call_command(*args, stdout=io.StringIO())
    out = io.StringIO()
    call_command(*args, "--as", "admin", "--dry-run", stdout=out)
    assert "2" in out.getvalue() and not Officer.objects.filter(username="hanmei").exists()
    monkeypatch.delenv("INITIAL_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    with pytest.raises(CommandError, match="INITIAL_PASSWORD"):
        call_command(*args, "--as", "admin", stdout=io.StringIO())
    monkeypatch.setenv("INITIAL_PASSWORD", "123")
    with pytest.raises(CommandError):  # the password policy applies here too
        call_command(*args, "--as", "admin", stdout=io.StringIO())
    assert not Officer.objects.filter(username="hanmei").exists()

    monkeypatch.setenv("INITIAL_PASSWORD", "Jz#2026-Integrity!")
    call_command(*args, "--as", "admin", stdout=io.StringIO())
    gao = Officer.objects.get(username="gaofeng")
    assert (gao.full_name, gao.department, gao.must_change_password) == ("高峰", world.prosecution, True)
    assert gao.check_password("Jz#2026-Integrity!")
    assert RoleRequest.objects.get(officer=gao).requested_by == world.admin  # the fill-down kept 公诉处 for 高峰


def test_people_are_imported_only_into_bodies_the_administrator_manages(world, tmp_path, monkeypatch):
    monkeypatch.setenv("INITIAL_PASSWORD", "Jz#2026-Integrity!")
    path = tmp_path / "花名册.csv"
    path.write_bytes("单位,部门,姓名,用户名\n江州市人民检察院,公诉处,韩梅,hanmei".encode("gbk"))
    dh_admin = Officer.objects.create(username="dh_admin", full_name="何强", department=world.dh_officer.department)
    actions.grant_role(dh_admin, Role.ADMINISTRATOR, world.dh, acting_user=None)
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_data", "people", str(path), "--institution", "C-DH", "--as", "dh_admin", stdout=out)
    assert "江州市人民检察院" in out.getvalue() and not Officer.objects.filter(username="hanmei").exists()
