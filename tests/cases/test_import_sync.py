"""A re-import is a sync: who left the case in the source leaves it here, with history; who joined owes a declaration
from the day they joined; columns the file does not have change nothing."""

from __future__ import annotations

import datetime

import pytest

from cases.importing import import_cases
from cases.models import Case, CaseHandler, CaseParty, Declaration
from tests.factories import OfficerFactory

pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-11-20")]

HEADER = "案号,案件名称,案件类型,承办部门,承办人,受理日期,当事人,辩护人"
FIRM = "江州正义律师事务所"


def load(world, *rows: str, header: str = HEADER):
    content = "\n".join([header, *rows]).encode("gbk")
    result = import_cases(world.city, content, "案件.csv", acting_user=world.admin)
    assert result.ok, result.errors
    return result


def test_a_handler_left_out_leaves_the_case_and_owes_nothing_a_new_one_owes_from_today(world, today):
    third = OfficerFactory(username="third", full_name="钱多", department=world.prosecution)
    load(world, f"C1,张三盗窃案,刑事,公诉处,李明、王芳,2026-10-01,张三;李四,王明 {FIRM}")
    case = Case.objects.get(number="C1")
    assert set(case.case_handlers.values_list("officer__username", flat=True)) == {"officer", "colleague"}

    # The case-management system moved the case from 王芳 to 钱多, and dropped 李四 and the lawyer.
    load(world, "C1,张三盗窃案,刑事,公诉处,李明、钱多,2026-10-01,张三,")
    handlers = dict(case.case_handlers.values_list("officer__username", "is_lead"))
    assert handlers == {"officer": True, "third": False}
    assert not Declaration.objects.filter(case=case, officer=world.colleague).exists()
    gone = Declaration.history.filter(officer_id=world.colleague.pk, history_type="-").get()
    assert gone.history_user == world.admin and "案件.csv" in gone.history_change_reason
    new = Declaration.objects.get(case=case, officer=third)
    assert new.due_on > today - datetime.timedelta(days=1)  # owed from the day they joined, not the case's receipt
    assert list(CaseParty.objects.filter(case=case).values_list("name", flat=True)) == ["张三"]
    note = case.history.latest().history_change_reason
    assert "王芳" in note and "李四" in note and "王明" in note


def test_the_lead_follows_the_file_and_a_filed_declaration_stays_when_its_handler_leaves(world):
    load(world, "C2,李四诈骗案,刑事,公诉处,李明、王芳,2026-10-01,,")
    case = Case.objects.get(number="C2")
    Declaration.objects.filter(case=case, officer=world.officer).update(submitted_at="2026-10-05T10:00:00+08:00")
    load(world, "C2,李四诈骗案,刑事,公诉处,王芳,2026-10-01,,")
    assert list(case.case_handlers.values_list("officer__username", "is_lead")) == [("colleague", True)]
    assert Declaration.objects.filter(case=case, officer=world.officer, submitted_at__isnull=False).exists()


def test_a_file_without_the_party_columns_leaves_the_parties_alone(world):
    load(world, f"C3,王五受贿案,刑事,公诉处,李明,2026-10-01,王五,赵六 {FIRM}")
    load(world, "C3,王五受贿案,刑事,公诉处,李明,2026-10-01", header="案号,案件名称,案件类型,承办部门,承办人,受理日期")
    assert sorted(CaseParty.objects.values_list("name", flat=True)) == ["王五", "赵六"]
    assert CaseHandler.objects.count() == 1


def test_a_reimport_reads_only_the_cases_the_file_names(world):
    """An institution keeps years of cases: a file of today's reads those it names, not the million before them."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    load(world, *(f"OLD{n},旧案{n},刑事,公诉处,李明,2026-01-0{n},甲{n}," for n in range(1, 6)))
    with CaptureQueriesContext(connection) as queries:
        load(world, "OLD3,旧案3,刑事,公诉处,李明、王芳,2026-01-03,甲3,")
    reads = [q["sql"] for q in queries.captured_queries if q["sql"].startswith('SELECT "')]  # rows, not counts
    for table in ("cases_case", "cases_casehandler", "cases_declaration", "cases_caseparty"):
        of_table = [sql for sql in reads if f'FROM "{table}"' in sql.split(" WHERE ")[0]]
        # by the numbers or ids named (a list on SQLite, an array on PostgreSQL), never the whole institution's
        assert of_table and all(" IN (" in sql or " = ANY(" in sql for sql in of_table), (table, of_table)
    assert Case.objects.get(number="OLD3").case_handlers.count() == 2
    assert CaseHandler.objects.filter(case__number="OLD2").count() == 1  # the others are left as they were
