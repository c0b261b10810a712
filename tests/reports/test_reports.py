"""Statistics reports (统计报表): for an institution and a period, a table per subject with a row for each of its
departments and each body below it; the figures of an ended period are kept and do not change; the same report as an
Excel workbook with merged two-level headers and as a PDF."""

from __future__ import annotations

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from alerts import actions as alerts
from alerts import clues
from alerts.choices import ClueKind, WarningLevel, WarningTarget
from archives import actions as archives
from cases import actions as cases
from cases.choices import PartyRole
from integrity.models import AuditEvent, Officer
from reports.models import ReportSnapshot
from reports.periods import Period
from reports.report import keep_ended_periods, report_for
from risks import personal
from risks.models import MonthlyCheck
from tests.cases.records import assess, declare, make_case
from tests.factories import DepartmentFactory, OfficerFactory

# The clock is pinned to Monday 16 November 2026 while the month's records are made; each test then moves it to
# Thursday 3 December 2026, when November has ended and the fourth quarter is still running.
pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-11-16")]
AFTER_NOVEMBER = datetime.datetime(2026, 12, 3, 9, tzinfo=datetime.UTC)
NOVEMBER = Period("month", 2026, 11)


def query(institution, period: Period = NOVEMBER) -> str:
    return f"?institution={institution.pk}&kind={period.kind}&year={period.year}&number={period.number}"


@pytest.fixture
def november(world, clock):
    """November's records in the city body and the two districts, with some from October that must not count."""
    personal.open_monthly_checks(datetime.date(2026, 10, 1))
    personal.open_monthly_checks(datetime.date(2026, 11, 1))
    checks = MonthlyCheck.objects.filter(period=datetime.date(2026, 11, 1))
    for officer, days_after_due in ((world.officer, -1), (world.colleague, 2), (world.dh_officer, 0)):
        check = checks.get(officer=officer)
        filed = datetime.datetime.combine(check.due_on, datetime.time(10), tzinfo=datetime.UTC)
        checks.filter(pk=check.pk).update(submitted_at=filed + datetime.timedelta(days=days_after_due))

    cases.declare_relation(
        world.colleague, name="王律师", relation="sibling", occupation="lawyer", employer="江州正义律师事务所",
        acting_user=world.colleague,
    )  # fmt: skip
    lawyer = cases.PartyData(PartyRole.AGENT, "王律师", "江州正义律师事务所")
    city_case = make_case(world.prosecution, [world.officer, world.colleague], parties=[lawyer])
    declare(city_case, world.officer)
    assess(city_case, world.officer)
    make_case(world.dh_officer.department, [world.dh_officer])  # its declaration owed, not filed
    make_case(world.prosecution, [world.officer], received_on=datetime.date(2026, 9, 1))  # due in September

    alerts.propose_warning(
        level=WarningLevel.GENERAL, target=WarningTarget.OFFICER, institution=world.dh, officer=world.dh_officer,
        facts="多次接受当事人宴请", source="群众来信", acting_user=world.dh_inspector,
    )  # fmt: skip
    for received_on, subject in ((datetime.date(2026, 11, 10), world.officer), (datetime.date(2026, 10, 30), None)):
        clues.register_clue(
            institution=world.city, kind=ClueKind.PETITION, source="来信", subject=subject, content="反映收受礼品",
            received_on=received_on, acting_user=world.inspector,
        )  # fmt: skip
    archives.add_talk(
        world.xs_officer, acting_user=world.xs_inspector, kind="integrity", held_on=datetime.date(2026, 11, 12),
        held_by="徐娟", content="廉洁从检，一岗双责",
    )  # fmt: skip
    clock.move_to(AFTER_NOVEMBER)
    return world


def rows(table) -> dict[str, list[int]]:
    return dict(table.rows)


def group_totals(table, index: int) -> list[tuple[str, int]]:
    start = sum(len(labels) for _title, labels in table.groups[:index])
    return list(zip(table.groups[index][1], table.total[start : start + len(table.groups[index][1])], strict=True))


def test_clues_are_counted_by_how_long_they_took_to_conclude(world, clock):
    received = datetime.date(2026, 11, 2)
    for days in (0, 30, 31, 90, 91, None):
        clue = clues.register_clue(
            institution=world.city, kind=ClueKind.PETITION, source="来信", subject=world.officer, content="反映",
            received_on=received, acting_user=world.inspector,
        )  # fmt: skip
        if days is not None:
            clock.move_to(
                datetime.datetime.combine(
                    received + datetime.timedelta(days=days), datetime.time(9), tzinfo=datetime.UTC
                )
            )
            clues.assign_verifier(clue, None, method="closed", acting_user=world.inspector)
            clock.move_to(datetime.datetime(2026, 11, 16, 9, tzinfo=datetime.UTC))
    clock.move_to(AFTER_NOVEMBER + datetime.timedelta(days=100))
    by_age = report_for(world.city, NOVEMBER).table("clues")
    assert group_totals(by_age, 4) == [("30日内", 2), ("31–90日", 2), ("超过90日", 1)]


def test_each_table_counts_the_periods_records_by_department_and_body_below(november):
    world = november
    report = report_for(world.city, NOVEMBER)

    checks = report.table("checks")
    assert checks.columns == ["应报", "按期提交", "逾期提交", "未提交"]
    assert rows(checks) == {
        "公诉处": [3, 1, 1, 1], "侦查监督处": [0, 0, 0, 0], "办公室": [2, 0, 0, 2], "院领导": [2, 0, 0, 2],
        "纪检组": [1, 0, 0, 1], "东湖区人民检察院": [3, 1, 0, 2], "西山区人民检察院": [2, 0, 0, 2],
    }  # fmt: skip
    assert checks.total == [13, 2, 1, 10]

    declarations = rows(report.table("declarations"))
    assert declarations["公诉处"] == [2, 1, 0, 1]  # two handlers owe, one filed; one relation conflict
    assert declarations["东湖区人民检察院"] == [1, 0, 0, 0]
    assert report.table("declarations").total == [3, 1, 0, 1]  # the September case's declaration is not counted

    assessments = report.table("assessments")
    assert assessments.groups[0][1] == ["蓝色预警", "黄色预警", "橙色预警", "红色预警"]
    assert rows(assessments)["公诉处"] == [1, 0, 0, 0] and assessments.total == [1, 0, 0, 0]

    warnings = report.table("warnings")
    assert rows(warnings)["东湖区人民检察院"][0] == 1 and warnings.total[0] == 1
    assert sum(warnings.total[len(warnings.groups[0][1]) :]) == 1  # one warning, counted once by status

    table = report.table("clues")
    assert rows(table)["公诉处"][0] == 1 and table.total[0] == 1  # the October clue falls outside
    assert dict(group_totals(table, 1))["一般"] == 1  # graded general
    assert dict(group_totals(table, 3))["尚未办结"] == 1  # not yet concluded
    assert sum(n for _label, n in group_totals(table, 4)) == 0  # so it took no time yet

    assert rows(report.table("talks"))["西山区人民检察院"][0] == 1
    assert report.table("findings").total == [0, 0, 0] and report.table("visits").total == [0, 0, 0]


def test_officers_without_a_department_get_their_own_row_only_where_they_count(november):
    world = november
    quarter = Period("quarter", 2026, 4)  # still running: live figures
    report = report_for(world.dh, quarter)
    assert report.kept_at is None
    assert list(rows(report.table("talks"))) == ["公诉科", "纪检组"]

    loose = OfficerFactory(username="dh_loose", department=world.dh_officer.department)
    Officer.objects.filter(pk=loose.pk).update(department=None)
    archives.add_talk(
        loose, acting_user=world.dh_inspector, kind="integrity", held_on=datetime.date(2026, 11, 12),
        held_by="周敏", content="廉洁从检，一岗双责",
    )  # fmt: skip
    talks = report_for(world.dh, quarter).table("talks")
    assert list(rows(talks)) == ["公诉科", "纪检组", "未分部门"]
    assert rows(talks)["未分部门"][0] == 1 and talks.total[0] == 1
    assert "未分部门" not in rows(report_for(world.dh, quarter).table("checks"))


def test_an_ended_periods_figures_are_kept_and_do_not_change(november, client_for):
    world = november
    inspector = client_for(world.inspector)
    first = inspector.get(reverse("reports:report") + query(world.city))
    assert first.status_code == 200 and "数据已于" in first.content.decode()
    snapshot = ReportSnapshot.objects.get(institution=world.city, kind="month", year=2026, number=11)

    # A clue registered now about November is in the running quarter's live report, not in the kept month.
    clues.register_clue(
        institution=world.city, kind=ClueKind.PETITION, source="来电", subject=world.colleague, content="反映违规会见",
        received_on=datetime.date(2026, 11, 20), acting_user=world.inspector,
    )  # fmt: skip
    assert report_for(world.city, NOVEMBER).table("clues").total[0] == 1
    assert report_for(world.city, Period("quarter", 2026, 4)).table("clues").total[0] == 3  # with October's
    again = inspector.get(reverse("reports:report") + query(world.city))
    assert again.context["report"].kept_at == snapshot.made_at
    assert again.context["report"].table("clues").total[0] == 1


def test_the_nightly_job_keeps_the_periods_just_ended_once(november):
    world = november
    assert keep_ended_periods(datetime.date(2026, 12, 3)) == 3 * 3  # three bodies: a month, a quarter, a year each
    assert keep_ended_periods(datetime.date(2026, 12, 3)) == 0  # a second run keeps nothing more
    kept = set(ReportSnapshot.objects.filter(institution=world.city).values_list("kind", "year", "number"))
    assert kept == {("month", 2026, 11), ("quarter", 2026, 3), ("year", 2025, 1)}


def test_the_excel_workbook_has_a_sheet_per_table_with_merged_headers_and_numbers(november, client_for):
    world = november
    response = client_for(world.inspector).get(reverse("reports:xlsx") + query(world.city))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[0] == "每月排查" and len(book.sheetnames) == 9
    sheet = book["每月排查"]
    merged = {str(cells) for cells in sheet.merged_cells.ranges}
    assert {"A1:E1", "A2:A3", "B2:E2"} <= merged  # the title, the unit column over both rows, the group
    assert sheet["B3"].value == "应报"
    body = {row[0].value: [cell.value for cell in row[1:]] for row in sheet.iter_rows(min_row=4)}
    assert body["公诉处"] == [3, 1, 1, 1]  # numbers, not text
    assert [cell.value for cell in sheet[sheet.max_row]] == ["合计", 13, 2, 1, 10]
    assert sheet.print_title_rows == "$2:$3" and sheet.page_setup.orientation == "landscape"
    clues = book["信访举报线索"]
    groups = [clues.cell(row=2, column=c).value for c in range(2, clues.max_column + 1)]
    assert [g for g in groups if g] == ["按来源", "按分级", "按处置方式", "按结果", "办结用时"]
    assert AuditEvent.objects.filter(event="exported", target="report", detail__format="xlsx").exists()


def test_the_pdf_prints_the_tables_in_chinese(november, client_for):
    world = november
    response = client_for(world.inspector).get(reverse("reports:pdf") + query(world.city))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "江州市人民检察院" in text and "统计报表" in text and "公诉处" in text and "合计" in text


def test_only_those_who_oversee_a_body_see_its_report(november, client_for):
    world = november
    assert client_for(world.officer).get(reverse("reports:report")).status_code == 404
    assert client_for(world.officer).get(reverse("reports:xlsx") + query(world.city)).status_code == 404
    district = client_for(world.dh_inspector)
    own = district.get(reverse("reports:report"))
    assert own.context["report"].institution == world.dh  # their own body, last month, by default
    assert own.context["report"].period == NOVEMBER
    refused = district.get(reverse("reports:report") + query(world.city))
    assert refused.context["report"] is None and refused.context["form"].errors["institution"]
    assert district.get(reverse("reports:xlsx") + query(world.city)).status_code == 404
    assert district.get(reverse("reports:pdf") + query(world.city)).status_code == 404


def test_the_number_of_queries_does_not_grow_with_departments_or_records(november, client_for):
    world = november
    inspector = client_for(world.inspector)
    url = reverse("reports:report") + query(world.city, Period("quarter", 2026, 4))  # live: computed every time

    def page_queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert inspector.get(url).status_code == 200
        return len(captured)

    before = page_queries()
    for n in range(5):
        department = DepartmentFactory(institution=world.city, name=f"第{n}检察部")
        officer = OfficerFactory(username=f"more{n}", department=department)
        make_case(department, [officer])
    personal.open_monthly_checks(datetime.date(2026, 12, 1))
    assert page_queries() == before
