"""Published risk tables as institutions write them: no level or category column, blank grades, several risks in a
cell, rows worded alike, re-imports that lack a column, notes sheets, departments the institution lacks."""

from __future__ import annotations

import io
from functools import partial

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from integrity.models import Department
from integrity.spreadsheets import Mapping, best_sheet, read_rows
from risks import catalog_import
from risks.choices import Grade, ImportKind, ImportStatus, RiskScope
from risks.importing import COLUMNS, guess_column_map, plan
from risks.models import ImportBatch, PowerItem, RiskPoint
from tests.factories import PostFactory

pytestmark = pytest.mark.django_db
jobs_run = partial(TestCase.captureOnCommitCallbacks, execute=True)  # the jobs a request starts, run at its end

RISKS = COLUMNS[ImportKind.RISK_POINTS]


def workbook(*sheets: tuple[str, list[list]]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"  # text typed with an equals sign, as a name or a remark can be
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def checked(world, rows, **mapping):
    columns = guess_column_map(ImportKind.RISK_POINTS, rows[0])
    return plan(ImportKind.RISK_POINTS, world.city, rows, Mapping(columns=columns, **mapping), sheet="表")


def write(world, result):
    return catalog_import.write_catalog(world.city, result, filename="t.xlsx", acting_user=world.admin)


def test_a_department_sheet_with_no_level_or_category_column_imports_with_constants_and_a_default_grade(world):
    post = PostFactory(department=world.prosecution, name="检察员")
    content = "\n".join(
        [
            "部门,岗位,风险点,风险等级,防控措施",
            ",,三重一大事项个人决定,★★★,集体决策",  # neither department nor post: the institution's
            "公诉处,,量刑建议畸轻畸重,高,审核",  # no post: a department risk
            "公诉处,检察员,1.违规会见律师 2.泄露案情,,1.登记 2.保密",  # two risks in one cell, grade blank
        ]
    ).encode("gbk")
    rows = read_rows(content, "岗位风险.csv")
    result = checked(
        world,
        rows,
        constants={"category": "岗位职责"},
        defaults={"grade": "medium"},
        values={"grade": {"高": "high", "★★★": "high"}},
    )
    assert not result.errors, [r.errors for r in result.errors]
    assert result.counts == {"create": 4, "update": 0, "unchanged": 0, "skipped": 0}
    write(world, result)
    points = {p.description: p for p in RiskPoint.objects.all()}
    assert set(points) == {"违规会见律师", "泄露案情", "量刑建议畸轻畸重", "三重一大事项个人决定"}
    assert (points["违规会见律师"].scope, points["违规会见律师"].post) == (RiskScope.POST, post)
    assert points["违规会见律师"].grade == Grade.MEDIUM and points["违规会见律师"].measures == "登记\n保密"
    assert (points["量刑建议畸轻畸重"].scope, points["量刑建议畸轻畸重"].grade) == (RiskScope.DEPARTMENT, Grade.HIGH)
    assert points["三重一大事项个人决定"].scope == RiskScope.INSTITUTION
    assert {p.category.name for p in points.values()} == {"岗位职责"}


def test_two_rows_worded_alike_are_two_risk_points_and_a_reimport_updates_each_without_new_ones(world):
    rows = [
        ["部门", "风险类别", "风险点", "风险等级", "防控措施"],
        ["公诉处", "业务流程", "审批不严", "高", "复核"],
        ["公诉处", "业务流程", "审批不严", "低", "抽查"],
    ]
    values = {"grade": {"高": "high", "低": "low"}}
    first = checked(world, rows, values=values)
    assert first.counts["create"] == 2
    write(world, first)
    assert sorted(RiskPoint.objects.values_list("grade", "measures")) == [("high", "复核"), ("low", "抽查")]
    rows[2][4] = "每月抽查"
    again = checked(world, rows, values=values)
    # The first row is as it was: unchanged, and no history row says otherwise.
    assert again.counts == {"create": 0, "update": 1, "unchanged": 1, "skipped": 0}
    history = RiskPoint.history.count()
    write(world, again)
    assert sorted(RiskPoint.objects.values_list("grade", "measures")) == [("high", "复核"), ("low", "每月抽查")]
    assert RiskPoint.history.count() == history + 1


def test_a_reimport_without_a_column_leaves_what_it_does_not_say(world):
    rows = [
        ["部门", "风险类别", "风险点", "发生概率", "危害程度", "防控措施", "表现形式"],
        ["公诉处", "业务流程", "审批不严", "3", "5", "复核", "未经审批即办理"],
    ]
    write(world, checked(world, rows))
    point = RiskPoint.objects.get()
    # The same table a year later, its measures and scores kept elsewhere: only the manifestation is revised.
    later = [["部门", "风险类别", "风险点", "表现形式"], ["公诉处", "业务流程", "审批不严", "先办后批"]]
    result = checked(world, later)
    assert result.counts == {"create": 0, "update": 1, "unchanged": 0, "skipped": 0}
    write(world, result)
    point.refresh_from_db()
    assert (point.measures, point.likelihood, point.impact, point.grade) == ("复核", 3, 5, Grade.HIGH)
    assert point.manifestation == "先办后批"


HEADER = ["部门", "风险类别", "风险点", "风险等级"]


def test_merged_cells_fill_down_within_a_sheet_and_never_from_the_sheet_before(world):
    content = workbook(
        ("公诉处", [HEADER, ["公诉处", "业务流程", "甲", "高"], ["", "", "乙", "高"]]),
        ("院级", [HEADER, ["", "制度机制", "丙", "高"]]),
    )
    values = {"grade": {"高": "high"}}
    first = checked(world, read_rows(content, "t.xlsx", "公诉处"), values=values)
    second = checked(world, read_rows(content, "t.xlsx", "院级"), values=values)
    assert [(r.resolved["scope"], r.resolved["department"]) for r in first.rows] == [
        (RiskScope.DEPARTMENT, world.prosecution),
        (RiskScope.DEPARTMENT, world.prosecution),
    ]
    assert [(r.resolved["scope"], r.resolved["department"]) for r in second.rows] == [(RiskScope.INSTITUTION, None)]


def test_the_sheet_named_by_its_headers_is_read_not_the_notes_sheet_before_it(world):
    content = workbook(
        ("填表说明", [["本表由各部门填写，风险等级分高中低三级。"], ["请勿修改表头"]]),
        ("风险点", [["部门", "风险类别", "风险点", "风险等级"], ["公诉处", "业务流程", "甲", "高"]]),
    )
    assert best_sheet(content, "t.xlsx", RISKS) == "风险点"
    with pytest.raises(Exception, match="填表说明"):
        read_rows(content, "t.xlsx", "说明")


def test_unknown_departments_and_power_items_are_created_only_when_asked(world):
    rows = [
        ["部门", "所属职权", "风险类别", "风险点", "风险等级"],
        ["执行局", "强制执行", "业务流程", "违规处置财产", "高"],
        ["执行局", "强制执行", "业务流程", "选择性执行", "高"],
    ]
    values = {"grade": {"高": "high"}}
    refused = checked(world, rows, values=values)
    assert len(refused.errors) == 2 and "执行局" in refused.errors[0].errors[0]
    columns = guess_column_map(ImportKind.RISK_POINTS, rows[0])
    mapping = Mapping(columns=columns, values=values)
    result = plan(ImportKind.RISK_POINTS, world.city, rows, mapping, create_missing=True)
    assert not result.errors and (result.new_departments, result.new_power_items) == (["执行局"], ["强制执行"])
    write(world, result)
    department = Department.objects.get(institution=world.city, name="执行局")
    item = PowerItem.objects.get(name="强制执行")
    assert item.department == department
    assert RiskPoint.objects.filter(department=department, power_item=item).count() == 2


def upload(client, world, content: bytes, name: str) -> ImportBatch:
    with jobs_run():
        response = client.post(
            reverse("risks:import_start"),
            {"kind": "risk_points", "institution": world.city.pk, "file": SimpleUploadedFile(name, content)},
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportBatch.objects.latest("created_at")


def test_on_the_page_constants_a_default_and_skipping_a_bad_row_import_the_rest_with_an_error_file(client_for, world):
    client = client_for(world.admin)
    rows = [
        ["庭室", "隐患内容", "级别"],
        ["公诉处", "审批不严", "一级"],
        ["不存在的庭", '=HYPERLINK("x")', "一级"],
        ["公诉处", "泄露案情", ""],
    ]
    batch = upload(client, world, workbook(("表", rows)), "风险.xlsx")
    assert batch.column_map["description"] is None  # 隐患内容 is nobody's alias: the importer maps it
    form = {f"col_{k}": "" if v is None else str(v) for k, v in batch.column_map.items()}
    form |= {"col_description": "1", "const_category": "业务流程", "default_grade": "low", "grade_0": "high"}
    with jobs_run():
        client.post(batch.get_absolute_url(), form)
    page = client.get(batch.get_absolute_url()).content.decode()
    assert "不存在的庭" in page.split('data-testid="import-errors"')[1]
    with jobs_run():
        refused = client.post(batch.get_absolute_url(), form | {"import": "1"})
    batch.refresh_from_db()
    assert refused.status_code == 302 and batch.status == ImportStatus.REJECTED and not RiskPoint.objects.exists()

    with jobs_run():
        client.post(batch.get_absolute_url(), form | {"import": "1", "skip_bad_rows": "on"})
    batch.refresh_from_db()
    assert batch.status == ImportStatus.IMPORTED and batch.result["counts"] == {
        "create": 2, "update": 0, "unchanged": 0, "skipped": 1
    }  # fmt: skip
    assert dict(RiskPoint.objects.values_list("description", "grade")) == {"审批不严": "high", "泄露案情": "low"}
    errors = client.get(reverse("risks:import_errors", args=[batch.pk]))
    sheet = load_workbook(io.BytesIO(errors.content)).active
    assert sheet[2][0].value == 3 and "不存在的庭" in sheet[2][1].value
    assert sheet[2][3].value == '=HYPERLINK("x")' and sheet[2][3].data_type != "f"  # text, never a formula

    # The next file with the same headers opens with the mapping given this time.
    again = upload(client, world, workbook(("表", rows[:2])), "风险-二月.xlsx")
    assert (again.column_map["description"], again.constants) == (1, {"category": "业务流程"})
    assert again.defaults == {"grade": "low"}


def test_the_command_lists_fields_previews_and_imports_the_same_way(world, tmp_path):
    out = io.StringIO()
    call_command("import_data", "risk-points", "--fields", stdout=out)
    assert "description\t风险点\t必填" in out.getvalue().replace("required", "必填")
    path = tmp_path / "风险.csv"
    path.write_bytes("庭室,隐患内容,级别\n公诉处,审批不严,★★★\n办公室,公车私用,\n".encode("gbk"))
    args = ["import_data", "risk-points", str(path), "--institution", "C", "--map", "风险点=隐患内容"]
    args += ["--constant", "category=制度机制", "--default", "grade=低", "--value-map", "grade:★★★=高"]
    out = io.StringIO()
    call_command(*args, "--dry-run", stdout=out)
    assert "2" in out.getvalue() and not RiskPoint.objects.exists()
    call_command(*args, stdout=io.StringIO())
    assert dict(RiskPoint.objects.values_list("description", "grade")) == {"审批不严": "high", "公车私用": "low"}


def test_the_command_writes_nothing_and_fails_on_a_bad_row_unless_told_to_skip_it(world, tmp_path):
    from django.core.management.base import CommandError

    path = tmp_path / "r.csv"
    path.write_text("部门,风险类别,风险点,风险等级\n公诉处,业务流程,甲,高\n无此部门,业务流程,乙,高\n", encoding="utf-8")
    args = ["import_data", "risk-points", str(path), "--institution", "江州市人民检察院"]
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command(*args, stdout=out)
    assert "3" in out.getvalue() and "无此部门" in out.getvalue() and not RiskPoint.objects.exists()
    call_command(*args, "--skip-bad-rows", stdout=io.StringIO())
    assert list(RiskPoint.objects.values_list("description", flat=True)) == ["甲"]
