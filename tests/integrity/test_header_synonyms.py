"""The synonym table is data: a header an administrator adds (in the admin, or by remembering a mapping made by hand)
maps itself in every importer — risk points, power items, cases, people — in the browser and on the command line,
for the institution it was added for and the bodies below it."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse

from cases.importing import import_cases, propose_columns
from integrity import actions, onboarding
from integrity.choices import Role
from integrity.models import HeaderSynonym
from integrity.queries import header_synonyms
from integrity.spreadsheets import Mapping
from risks.catalog_import import write_catalog
from risks.choices import ImportKind
from risks.importing import guess_column_map, plan
from risks.models import ImportBatch, PowerItem
from tests.factories import OfficerFactory

pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-11-20")]

CASES = "系统编号,案件名称,案件类型,承办部门,承办人,受理日期\n（2026）江检刑诉字第1号,张三盗窃案,刑事,公诉处,李明,2026-11-02"  # noqa: E501


def add_in_admin(client, target: str, header: str, institution=None):
    data = {"target": target, "header": header, "institution": institution.pk if institution else ""}
    return client.post(reverse("admin:integrity_headersynonym_add"), data)


def test_a_synonym_added_in_the_admin_maps_that_header_in_every_importer(client_for, world, tmp_path):
    client = client_for(world.admin)
    header = ["系统编号", "隐患内容", "干警姓名"]
    # Nobody knows these headers yet.
    assert propose_columns(header, world.city)["number"] is None
    assert guess_column_map(ImportKind.RISK_POINTS, header, world.city)["description"] is None
    assert not import_cases(world.city, CASES.encode("gbk"), "案件.csv", acting_user=world.admin).written

    for target, text in [
        ("cases:number", "系统编号"),
        ("risk_points:description", "隐患内容"),
        ("people:full_name", "干警姓名"),
    ]:
        response = add_in_admin(client, target, f" {text} ")
        assert response.status_code == 302, response.content.decode()[:3000]
    synonym = HeaderSynonym.objects.get(field="number")
    assert (synonym.kind, synonym.header, synonym.institution, synonym.added_by) == (
        "cases",
        "系统编号",
        None,
        world.admin,
    )
    assert synonym.history.get().history_user == world.admin

    assert propose_columns(header, world.dh) == propose_columns(header, world.city)  # everyone's
    assert guess_column_map(ImportKind.RISK_POINTS, header, world.city)["description"] == 1
    rows = [["干警姓名", "用户名", "部门"], ["赵一", "zhao1", "公诉处"]]
    checked = onboarding.plan(rows, acting_user=world.admin, default_institution=world.city)
    assert not checked.missing_columns and [p.full_name for p in checked.people] == ["赵一"]
    result = import_cases(world.city, CASES.encode("gbk"), "案件.csv", acting_user=world.admin)
    assert result.written and result.created == 1

    path = tmp_path / "案件.csv"
    path.write_bytes(CASES.replace("第1号", "第2号").encode("gbk"))
    out = io.StringIO()
    call_command("import_data", "cases", str(path), "--institution", "C", stdout=out)
    assert "1" in out.getvalue()


def test_an_institutions_synonym_reaches_the_bodies_below_it_not_above_or_beside(world):
    HeaderSynonym.objects.create(kind="cases", field="number", header="东湖案号", institution=world.dh)
    HeaderSynonym.objects.create(kind="cases", field="title", header="全省案名")
    assert header_synonyms("cases", world.dh) == {"number": ["东湖案号"], "title": ["全省案名"]}
    assert header_synonyms("cases", world.city) == header_synonyms("cases", world.xs) == {"title": ["全省案名"]}
    assert header_synonyms("risk_points", world.dh) == {}


def test_a_district_administrator_adds_synonyms_for_their_body_only(client_for, world):
    district_admin = OfficerFactory(username="dh_admin", department=world.dh_officer.department)
    actions.grant_role(district_admin, Role.ADMINISTRATOR, world.dh, acting_user=None)
    everyone = HeaderSynonym.objects.create(kind="cases", field="title", header="全省案名")
    client = client_for(district_admin)

    refused = add_in_admin(client, "cases:number", "东湖案号")
    assert refused.status_code == 200 and not HeaderSynonym.objects.filter(header="东湖案号").exists()
    assert add_in_admin(client, "cases:number", "东湖案号", world.dh).status_code == 302
    assert HeaderSynonym.objects.get(header="东湖案号").institution == world.dh
    taken = add_in_admin(client, "cases:title", "东湖案号", world.dh)
    assert taken.status_code == 200 and HeaderSynonym.objects.filter(header="东湖案号").count() == 1
    # Everyone's synonym is the top body's to change or remove; the city's administrator removes it.
    change = reverse("admin:integrity_headersynonym_change", args=[everyone.pk])
    assert client.post(change, {"target": "cases:number", "header": "x", "institution": world.dh.pk}).status_code == 403
    delete = reverse("admin:integrity_headersynonym_delete", args=[everyone.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert client_for(world.admin).post(delete, {"post": "yes"}).status_code == 302
    assert not HeaderSynonym.objects.filter(pk=everyone.pk).exists()
    assert HeaderSynonym.history.filter(header="全省案名", history_type="-").exists()


def test_headers_mapped_by_hand_are_remembered_and_the_next_file_maps_itself(client_for, world):
    client = client_for(world.admin)

    def upload(rows: str) -> ImportBatch:
        content = SimpleUploadedFile("风险.csv", rows.encode("gbk"))
        data = {"kind": "risk_points", "institution": world.city.pk, "file": content}
        with TestCase.captureOnCommitCallbacks(execute=True):
            client.post(reverse("risks:import_start"), data)
        return ImportBatch.objects.latest("created_at")

    batch = upload("庭室,隐患内容,风险类别,级别\n公诉处,审批不严,业务流程,高")
    assert batch.column_map["description"] is None
    form = {f"col_{k}": "" if v is None else str(v) for k, v in batch.column_map.items()}
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(batch.get_absolute_url(), form | {"col_description": "1", "remember_headers": "on"})
    # Only what was mapped by hand: 庭室, 风险类别 and 级别 are the product's own aliases.
    assert list(HeaderSynonym.objects.values_list("kind", "field", "header", "institution")) == [
        ("risk_points", "description", "隐患内容", world.city.pk)
    ]
    later = upload("隐患内容,风险类别,部门,备注\n泄露案情,业务流程,公诉处,")
    assert later.column_map["description"] == 0
    # Remembering again adds nothing twice.
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(batch.get_absolute_url(), form | {"col_description": "1", "remember_headers": "on"})
    assert HeaderSynonym.objects.count() == 1


def test_a_power_item_reimport_counts_what_is_unchanged_and_leaves_a_missing_column_alone(world):
    kind = ImportKind.POWER_ITEMS
    rows = [
        ["所属部门", "职权类别", "职权名称", "职权内容", "法律依据"],
        ["公诉处", "执法", "审查起诉", "审查", "刑诉法"],
    ]

    def checked(rows):
        return plan(kind, world.city, rows, Mapping(columns=guess_column_map(kind, rows[0])))

    first = checked(rows)
    write_catalog(world.city, first, filename="a.xlsx", acting_user=world.admin)
    again = checked(rows)
    assert again.counts == {"create": 0, "update": 0, "unchanged": 1, "skipped": 0}
    history = PowerItem.history.count()
    write_catalog(world.city, again, filename="a.xlsx", acting_user=world.admin)
    assert PowerItem.history.count() == history  # nothing written, no history row that says nothing

    without_content = [["所属部门", "职权类别", "职权名称", "法律依据"], ["公诉处", "执法", "审查起诉", "刑事诉讼法"]]
    result = checked(without_content)
    assert result.counts["update"] == 1
    write_catalog(world.city, result, filename="b.xlsx", acting_user=world.admin)
    item = PowerItem.objects.get()
    assert (item.content, item.legal_basis) == ("审查", "刑事诉讼法")
