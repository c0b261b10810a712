"""Parties and lawyers as case-management exports write them in one cell: each variant gives the right names and
firms (pure rules), and a file with the usual headers (犯罪嫌疑人/被告人, 辩护人/代理律师及律所, 承办庭室, 当前阶段)
imports them, so relation screening finds a relative's firm. The clock is pinned to 20 November 2026."""

import pytest

from cases.importing import import_cases
from cases.models import CaseParty
from cases.parties import Named, lawyers, parties

FIRM, OTHER = "江州正义律师事务所", "北京某某（上海）律师事务所"

LAWYERS = [
    ("王明（江州正义律师事务所）", [Named("王明", FIRM)]),
    ("王明(江州正义律师事务所)", [Named("王明", FIRM)]),
    ("王明【江州正义律师事务所】", [Named("王明", FIRM)]),
    ("王明 江州正义律师事务所", [Named("王明", FIRM)]),
    ("王明　江州正义律师事务所", [Named("王明", FIRM)]),  # a full-width space
    ("江州正义律师事务所 王明", [Named("王明", FIRM)]),
    ("王明，江州正义律师事务所", [Named("王明", FIRM)]),
    ("王明,江州正义律师事务所", [Named("王明", FIRM)]),
    ("江州正义律师事务所王明", [Named("王明", FIRM)]),
    ("江州正义律师事务所：王明", [Named("王明", FIRM)]),
    ("江州正义律师事务所:王明、李华", [Named("王明", FIRM), Named("李华", FIRM)]),
    ("江州正义律师事务所：王明、李华；赵强", [Named("王明", FIRM), Named("李华", FIRM), Named("赵强")]),
    ("王明律师（江州正义律师事务所）", [Named("王明", FIRM)]),
    ("王明律师", [Named("王明")]),
    ("李律师", [Named("李律师")]),
    ("辩护人：王明（江州正义律师事务所）", [Named("王明", FIRM)]),
    ("诉讼代理人:王明(江州正义律师事务所)", [Named("王明", FIRM)]),
    ("王明（北京某某（上海）律师事务所）", [Named("王明", OTHER)]),
    ("王明(北京某某(上海)律师事务所)", [Named("王明", "北京某某(上海)律师事务所")]),
    ("王明、李华", [Named("王明"), Named("李华")]),
    ("王明，李华", [Named("王明"), Named("李华")]),
    ("王明；李华", [Named("王明"), Named("李华")]),
    ("王明/李华", [Named("王明"), Named("李华")]),
    ("王明\n李华", [Named("王明"), Named("李华")]),
    ("王明（江州正义律师事务所）、李华（北京某某（上海）律师事务所）", [Named("王明", FIRM), Named("李华", OTHER)]),
    ("王明（江州正义律师事务所），李华（江州正义律师事务所）", [Named("王明", FIRM), Named("李华", FIRM)]),
    ("王明,江州正义律师事务所;李华,北京某某（上海）律师事务所", [Named("王明", FIRM), Named("李华", OTHER)]),
    ("王明（法律援助中心）", [Named("王明", "法律援助中心")]),
    ("王明 江州市法律援助中心", [Named("王明", "江州市法律援助中心")]),
    ("王明（某某法律服务所）", [Named("王明", "某某法律服务所")]),
    ("  王明（江州正义律师事务所）  ", [Named("王明", FIRM)]),
    ("", []),
    ("、、", []),
]

PARTIES = [
    ("张三", ["张三"]),
    ("张三、李四", ["张三", "李四"]),
    ("张三，李四；王五", ["张三", "李四", "王五"]),
    ("犯罪嫌疑人：张三", ["张三"]),
    ("被告人:张三、李四", ["张三", "李四"]),
    ("张三（男，1980年生）、李四", ["张三", "李四"]),
    ("某某有限公司（法定代表人：王五）", ["某某有限公司"]),
    ("张三(又名张山)", ["张三"]),
]


@pytest.mark.parametrize(("cell", "expected"), LAWYERS)
def test_each_way_of_writing_lawyers(cell, expected):
    assert lawyers(cell) == expected


@pytest.mark.parametrize(("cell", "expected"), PARTIES)
def test_each_way_of_writing_parties(cell, expected):
    assert parties(cell) == expected


@pytest.mark.django_db
@pytest.mark.today("2026-11-20")
def test_an_export_with_its_own_headers_brings_parties_and_firms_and_screening_finds_the_relative(world):
    from cases.actions import declare_relation

    declare_relation(
        world.officer, name="王明", relation="sibling", occupation="lawyer", employer=FIRM, acting_user=world.officer
    )
    header = "部门受案号,案件名称,案件类型,承办庭室,承办人,受理日期,犯罪嫌疑人/被告人,辩护人/代理律师及律所"
    cells = ["（2026）江检刑诉字第301号", "张三盗窃案", "刑事", "公诉处", "李明", "2026-11-02"]
    row = ",".join([*cells, "被告人：张三（男，1980年生）", f"王明 {FIRM}"])
    result = import_cases(world.city, f"{header}\n{row}\n".encode("gbk"), "export.csv", acting_user=world.admin)
    assert result.ok, result.errors
    assert sorted(CaseParty.objects.values_list("role", "name", "organisation")) == [
        ("agent", "王明", FIRM), ("party", "张三", ""),
    ]  # fmt: skip
    assert result.conflicts == 1
