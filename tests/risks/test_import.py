"""Importing the catalog: the template, institutions' own tables through a mapping, all or nothing, re-runnable."""

import io
from functools import partial

import pytest
from django.test import TestCase
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from integrity.spreadsheets import Mapping, read_rows
from risks import catalog_import
from risks.choices import Grade, ImportKind, ImportStatus, RiskScope
from risks.importing import guess_column_map, plan, template_workbook
from risks.models import FlowStep, ImportBatch, PowerItem, RiskPoint
from tests.factories import PostFactory

pytestmark = pytest.mark.django_db
jobs_run = partial(TestCase.captureOnCommitCallbacks, execute=True)  # the jobs a request starts, run at its end


def xlsx(rows: list[list]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, kind: str, content: bytes, name: str = "catalog.xlsx", institution=None):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with jobs_run():  # the upload's preview job
        response = client.post(
            reverse("risks:import_start"),
            {"kind": kind, "institution": institution.pk, "file": SimpleUploadedFile(name, content)},
        )
    assert response.status_code == 302, response.content.decode()[:3000]
    return ImportBatch.objects.latest("created_at")


def confirm(client, batch, **extra):
    rows = read_rows(bytes(batch.content), batch.filename)
    data = {f"col_{k}": "" if v is None else str(v) for k, v in batch.column_map.items()}
    data |= {f"grade_{n}": grade for n, grade in enumerate(batch.grade_map.values())}
    data |= {"import": "1", **extra}
    del rows
    with jobs_run():
        return client.post(batch.get_absolute_url(), data)


POWER_ROWS = [
    ["所属部门", "职权类别", "职权名称", "法律依据", "流程环节"],
    ["公诉处", "执法", "审查起诉", "刑事诉讼法", "1.受理 2.审查 3.决定"],
    ["", "", "出庭支持公诉", "刑事诉讼法", "1.庭前准备 2.出庭"],  # merged cells: same department and category
    ["办公室", "财务", "财务报销", "内控规范", ""],
]


def test_the_template_is_offered_and_imports_as_it_is(client_for, world):
    client = client_for(world.admin)
    template = client.get(reverse("risks:import_template", args=["power_items"]))
    assert template.status_code == 200
    header = [c.value for c in load_workbook(io.BytesIO(template.content)).active[1]]
    assert header[:3] == ["所属部门", "职权类别", "职权名称"]
    assert guess_column_map(ImportKind.POWER_ITEMS, header)["steps"] is not None
    assert template_workbook(ImportKind.RISK_POINTS)[:2] == b"PK"


def test_power_items_import_with_merged_cells_and_numbered_steps_and_again_without_duplicates(client_for, world):
    client = client_for(world.admin)
    batch = upload(client, "power_items", xlsx(POWER_ROWS), institution=world.city)
    confirm(client, batch)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.IMPORTED, batch.result
    court = PowerItem.objects.get(name="出庭支持公诉")
    assert court.department == world.prosecution and court.category == "enforcement"
    assert list(FlowStep.objects.filter(power_item__name="审查起诉").values_list("name", flat=True)) == [
        "受理",
        "审查",
        "决定",
    ]

    def snapshot():
        return sorted(PowerItem.objects.values_list("name", "department_id", "legal_basis")), FlowStep.objects.count()

    before = snapshot()
    confirm(client, upload(client, "power_items", xlsx(POWER_ROWS), institution=world.city))
    assert snapshot() == before


def test_one_bad_row_rejects_the_whole_file_and_names_the_row(client_for, world):
    client = client_for(world.admin)
    rows = [*POWER_ROWS, ["不存在的部门", "执法", "某职权", "", ""], ["办公室", "吃喝", "接待", "", ""]]
    batch = upload(client, "power_items", xlsx(rows), institution=world.city)
    page = client.get(batch.get_absolute_url()).content.decode()
    errors = page.split('data-testid="import-errors"')[1].split("</div>")[0]
    assert "第 5 行" in errors or "Row 5" in errors
    assert "不存在的部门" in errors and "吃喝" in errors
    confirm(client, batch)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.REJECTED
    assert [e["row"] for e in batch.result["errors"]] == [5, 6]
    assert not PowerItem.objects.exists() and not FlowStep.objects.exists()


def test_an_institutions_own_table_maps_columns_and_grade_words(client_for, world):
    post = PostFactory(department=world.prosecution, name="检察员甲")
    rows = [
        ["序号", "层面", "庭室", "岗位名称", "类别", "廉政风险点", "风险级别", "措施"],
        [1, "岗位", "公诉处", "检察员甲", "岗位职责", "1.违规会见律师 2.泄露案情", "一级", "1.登记 2.保密"],
        [2, "", "", "", "", "量刑建议畸轻畸重", "三级", "审核"],
        [3, "单位", "", "", "制度机制", "三重一大事项个人决定", "一级", "集体决策"],
    ]
    client = client_for(world.admin)
    batch = upload(client, "risk_points", xlsx(rows), institution=world.city)
    assert batch.column_map["description"] == 5 and batch.column_map["grade"] == 6
    assert batch.grade_map == {"一级": "high", "三级": "low"}
    # This institution writes 一级 for the mildest: the importer changes the mapping before importing.
    data = {f"col_{k}": "" if v is None else str(v) for k, v in batch.column_map.items()}
    data |= {"grade_0": "low", "grade_1": "high", "import": "1"}
    with jobs_run():
        client.post(batch.get_absolute_url(), data)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.IMPORTED, batch.result
    meeting = RiskPoint.objects.get(description="违规会见律师")
    assert (meeting.post, meeting.grade, meeting.collective_grade) == (post, Grade.LOW, "low")
    assert RiskPoint.objects.get(description="量刑建议畸轻畸重").grade == Grade.HIGH
    assert RiskPoint.objects.get(description="三重一大事项个人决定").scope == RiskScope.INSTITUTION
    assert meeting.measures == "登记\n保密"
    assert RiskPoint.objects.count() == 4


def test_a_grade_word_nobody_mapped_is_an_error(world):
    rows = [["风险层级", "风险类别", "风险点", "风险等级"], ["单位", "制度机制", "某风险", "特级"]]
    mapping = Mapping(columns=guess_column_map(ImportKind.RISK_POINTS, rows[0]), values={"grade": {"特级": ""}})
    checked = plan(ImportKind.RISK_POINTS, world.city, rows, mapping)
    assert checked.errors and "特级" in checked.errors[0].errors[0]


def test_scored_rows_import_by_score_and_reimport_updates(world):
    rows = [
        ["风险层级", "部门", "风险类别", "风险点", "发生概率", "危害程度"],
        ["部门", "公诉处", "业务流程", "审批不严", "3", "5"],
    ]
    column_map = guess_column_map(ImportKind.RISK_POINTS, rows[0])
    batch = ImportBatch.objects.create(
        institution=world.city,
        kind=ImportKind.RISK_POINTS,
        filename="r.csv",
        created_by=world.admin,
        content="\n".join(",".join(r) for r in rows).encode("gb18030"),
        column_map=column_map,
    )
    catalog_import.import_catalog(batch, publish=True, acting_user=world.admin)
    point = RiskPoint.objects.get()
    assert (point.grade, point.status) == (Grade.HIGH, "published")
    rows[1][5] = "3"  # 3 × 3 = 9: medium
    again = ImportBatch.objects.create(
        institution=world.city,
        kind=ImportKind.RISK_POINTS,
        filename="r.csv",
        created_by=world.admin,
        content="\n".join(",".join(r) for r in rows).encode("utf-8"),
        column_map=column_map,
    )
    catalog_import.import_catalog(again, acting_user=world.admin)
    point.refresh_from_db()
    assert RiskPoint.objects.count() == 1 and point.grade == Grade.MEDIUM
    assert "r.csv" in point.history.latest().history_change_reason


def test_only_administrators_import(client_for, world):
    assert client_for(world.depthead).get(reverse("risks:import_start")).status_code == 404
