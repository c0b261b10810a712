"""Archives: the quarterly grade, the two archives from their records, PDF printing, verify (batches: test_printing)."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from pypdf import PdfReader

from archives import actions, documents, quarters
from archives.choices import QuarterGrade, RecordKind, TalkKind
from archives.models import ArchivePolicy, OfficerRecord, PrintedDocument, QuarterlyAssessment, Talk
from archives.queries import integrity_archive, performance_archive, reviewable_matters
from archives.rules import barred_until, grade_for, is_barred, measured_score, quarter_end, quarter_start
from tests.cases.records import make_case

# The dates below are November 2026's; the clock stands on the day these tests were written against.
pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-11-20")]
YEAR = (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))


@pytest.mark.parametrize(
    ("score", "grade"),
    [
        (100, "excellent"),
        (90, "excellent"),
        (89, "good"),
        (80, "good"),
        (79, "fair"),
        (60, "fair"),
        (59, "poor"),
        (0, "poor"),
    ],
)
def test_grades_at_each_threshold(score, grade):
    assert grade_for(score, ArchivePolicy()) == grade


def test_measured_inputs_take_the_policys_points():
    policy = ArchivePolicy()
    assert measured_score({}, policy) == 100
    assert (
        measured_score({"late_checks": 1, "missing_checks": 1, "late_declarations": 2, "warnings": 1}, policy)
        == 100 - 3 - 8 - 4 - 10
    )


def test_quarters():
    assert quarter_start(datetime.date(2026, 11, 22)) == datetime.date(2026, 10, 1)
    assert quarter_end(datetime.date(2026, 10, 1)) == datetime.date(2026, 12, 31)
    assert quarter_end(datetime.date(2026, 4, 1)) == datetime.date(2026, 6, 30)


def test_a_poor_grade_bars_for_the_policy_period(client_for, world):
    day = datetime.date(2026, 10, 5)
    assert barred_until(QuarterGrade.FAIR, day, ArchivePolicy()) is None
    until = barred_until(QuarterGrade.POOR, day, ArchivePolicy())
    assert until == day + datetime.timedelta(days=365)
    assert is_barred(until, until) and not is_barred(until, until + datetime.timedelta(days=1))

    quarters.open_quarter(datetime.date(2026, 7, 1))
    assessment = QuarterlyAssessment.objects.get(officer=world.officer, quarter=datetime.date(2026, 7, 1))
    quarters.adjust(assessment, points=-45, reason="民主测评较差，群众反映多", acting_user=world.inspector)
    graded = quarters.grade_quarter(assessment, acting_user=world.inspector, as_of=datetime.date(2026, 11, 20))
    assert (graded.score, graded.grade) == (55, "poor") and graded.barred_until == datetime.date(2027, 11, 20)
    page = client_for(world.inspector).get(world.officer.get_absolute_url()).content.decode()
    assert 'data-testid="barred"' in page
    with pytest.raises(ValidationError):
        quarters.grade_quarter(assessment, acting_user=world.inspector)


def test_the_quarterly_job_opens_one_assessment_per_officer_twice_over(world):
    first = quarters.open_quarter(datetime.date(2026, 10, 1))
    assert first > 0 and quarters.open_quarter(datetime.date(2026, 10, 1)) == 0


def test_every_section_of_the_integrity_archive_comes_from_its_records(world):
    Talk.objects.create(
        officer=world.officer,
        kind=TalkKind.REMINDER,
        held_on=datetime.date(2026, 5, 6),
        held_by="何琳",
        content="节前提醒",
        recorded_by=world.depthead,
    )
    Talk.objects.create(
        officer=world.officer,
        kind=TalkKind.REMINDER,
        held_on=datetime.date(2025, 5, 6),
        held_by="何琳",
        content="去年的谈话",
        recorded_by=world.depthead,
    )
    OfficerRecord.objects.create(
        officer=world.officer,
        kind=RecordKind.DISCIPLINE,
        occurred_on=datetime.date(2026, 3, 1),
        title="警告处分",
        effective_until=datetime.date(2026, 9, 1),
        recorded_by=world.inspector,
    )
    archive = integrity_archive(world.officer, *YEAR)
    assert [t.content for t in archive.sections["talks"]] == ["节前提醒"]
    assert [r.title for r in archive.sections["discipline"]] == ["警告处分"]
    assert set(archive.sections) >= {
        "post_history",
        "relations",
        "matters",
        "risk_tables",
        "checks",
        "declarations",
        "warnings",
        "talks",
        "clues",
        "discipline",
        "grades",
        "lights",
    }


def test_the_performance_archive_counts_cases_in_the_period(world):
    make_case(world.prosecution, [world.officer], received_on=datetime.date(2026, 3, 1))
    make_case(world.prosecution, [world.officer], received_on=datetime.date(2025, 3, 1))
    OfficerRecord.objects.create(
        officer=world.officer,
        kind=RecordKind.REWARD,
        occurred_on=datetime.date(2026, 6, 1),
        title="个人三等功",
        recorded_by=world.inspector,
    )
    archive = performance_archive(world.officer, *YEAR)
    assert len(archive.sections["cases"]) == 1 and archive.sections["by_type"] == [("刑事", 1)]
    assert [r.title for r in archive.sections["rewards"]] == ["个人三等功"]


def test_the_pdf_text_round_trips_the_chinese(world):
    Talk.objects.create(
        officer=world.officer,
        kind=TalkKind.INTEGRITY,
        held_on=datetime.date(2026, 5, 6),
        held_by="纪检组长",
        content="廉政谈话：严守八项规定精神",
        recorded_by=world.inspector,
    )
    document, pdf = documents.print_archive(world.officer, "integrity", *YEAR, acting_user=world.chief)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    for phrase in ("廉政档案", "李明", "廉政谈话：严守八项规定精神", "第 1 页", document.number, world.chief.full_name):
        assert phrase in text, phrase
    assert PrintedDocument.objects.get(number=document.number).printed_by == world.chief


def test_the_verify_page_accepts_a_real_number_and_rejects_an_altered_one(client_for, world):
    client = client_for(world.colleague)  # anyone with an account can check a printed copy
    document, _pdf = documents.print_archive(world.officer, "performance", *YEAR, acting_user=world.chief)
    real = client.get(reverse("archives:verify"), {"number": document.number}).content.decode()
    assert 'data-found="yes"' in real and 'data-matches="yes"' in real
    altered = document.number[:-1] + ("0" if document.number[-1] != "0" else "1")
    assert 'data-found="no"' in client.get(reverse("archives:verify"), {"number": altered}).content.decode()
    OfficerRecord.objects.create(
        officer=world.officer,
        kind=RecordKind.COMPLAINT,
        occurred_on=datetime.date(2026, 6, 1),
        title="当事人投诉",
        recorded_by=world.inspector,
    )
    changed = client.get(reverse("archives:verify"), {"number": document.number}).content.decode()
    assert 'data-matches="no"' in changed


def test_officers_cannot_open_others_archives_and_only_leaders_print(client_for, world):
    client = client_for(world.officer)
    assert client.get(reverse("archives:archive", args=[world.officer.pk, "integrity"])).status_code == 200
    assert client.get(reverse("archives:archive", args=[world.colleague.pk, "integrity"])).status_code == 404
    assert client.post(reverse("archives:print_one", args=[world.officer.pk, "integrity"])).status_code == 404
    assert (
        client_for(world.depthead)
        .get(reverse("archives:archive", args=[world.colleague.pk, "performance"]))
        .status_code
        == 200
    )
    url = reverse("archives:print_one", args=[world.dh_officer.pk, "integrity"])
    assert client_for(world.inspector).get(url).status_code == 405  # printing is a POST, never a followed link
    printed = client_for(world.inspector).post(url)
    assert printed.status_code == 200 and printed.content[:4] == b"%PDF"


def test_verify_names_the_holder_only_to_who_may_read_the_archive_and_the_copy_is_served_by_scope(client_for, world):
    document, _pdf = documents.print_archive(world.officer, "integrity", *YEAR, acting_user=world.chief)
    url = reverse("archives:verify")
    stranger = client_for(world.xs_officer).get(url, {"number": document.number}).content.decode()
    assert 'data-matches="yes"' in stranger and world.officer.full_name not in stranger
    assert world.chief.full_name not in stranger and 'data-testid="holder"' not in stranger
    leader = client_for(world.inspector).get(url, {"number": document.number}).content.decode()
    assert 'data-testid="holder"' in leader and world.officer.full_name in leader
    copy = reverse("archives:printed", args=[document.number])
    assert client_for(world.xs_officer).get(copy).status_code == 404
    assert client_for(world.officer).get(copy).status_code == 404  # one's own archive is read, not reprinted
    response = client_for(world.inspector).get(copy)
    assert response.status_code == 200 and b"".join(response.streaming_content)[:4] == b"%PDF"
    assert client_for(world.chief).get(f"/media/{document.file}").status_code == 404


def test_discipline_staff_and_the_head_record_talks_and_records_others_cannot(client_for, world):
    url = reverse("archives:records", args=[world.officer.pk])
    data = {
        "talk-kind": "reminder",
        "talk-held_on": "2026-11-01",
        "talk-held_by": "何琳",
        "talk-content": "节前提醒",
        "talk": "1",
    }
    assert client_for(world.colleague).post(url, data).status_code == 404
    assert client_for(world.depthead).post(url, data).status_code == 302
    assert Talk.objects.get(officer=world.officer).recorded_by == world.depthead
    record = {"record-kind": "reward", "record-occurred_on": "2026-10-01", "record-title": "嘉奖", "record": "1"}
    client_for(world.inspector).post(url, record)
    assert OfficerRecord.objects.get(officer=world.officer).title == "嘉奖"


@pytest.mark.parametrize(
    ("leader", "subject", "may"),
    [
        ("deputy", "depthead", True),  # the deputy in charge talks with the head of a department in his charge
        ("chief", "deputy", True),  # the principal leader with the deputies
        ("chief", "depthead", True),  # and the heads
        ("depthead", "deputy", False),  # never upward
        ("depthead", "depthead", False),  # nobody records a talk about themselves
        ("dh_inspector", "officer", False),  # a district's discipline staff do not reach the city above
        ("admin", "officer", False),  # an administrator is no leader
    ],
)
def test_leaders_record_the_talks_they_hold_by_the_four_levels(client_for, world, leader, subject, may):
    officer = getattr(world, subject)
    data = {
        "talk-kind": "focused", "talk-held_on": "2026-11-01", "talk-held_by": getattr(world, leader).full_name,
        "talk-content": "针对分管部门办案风险重点谈话", "talk": "1",
    }  # fmt: skip
    response = client_for(getattr(world, leader)).post(reverse("archives:records", args=[officer.pk]), data)
    assert response.status_code == (302 if may else 404)
    assert Talk.objects.filter(officer=officer).exists() == may
    if not may:
        with pytest.raises(PermissionDenied):
            actions.add_talk(
                officer, acting_user=getattr(world, leader), kind="focused", held_on=datetime.date(2026, 11, 1),
                held_by="x", content="x",
            )  # fmt: skip


def test_an_officer_reports_a_matter_and_discipline_staff_review_it(client_for, world):
    from archives.models import MattersReport

    client_for(world.officer).post(
        reverse("archives:matters"),
        {"kind": "banquet", "changed_on": "2026-10-02", "details": "女儿婚宴，宾客 80 人", "amount": "0"},
    )
    report = MattersReport.objects.get(officer=world.officer)
    assert (
        client_for(world.officer)
        .post(reverse("archives:matter_review", args=[report.pk]), {"decision": "accept"})
        .status_code
        == 404
    )
    client_for(world.inspector).post(
        reverse("archives:matter_review", args=[report.pk]), {"decision": "return", "comment": "请补充礼金情况"}
    )
    report.refresh_from_db()
    assert report.status == "returned" and report.reviewed_by == world.inspector


def test_a_matters_report_waits_on_its_bodys_discipline_staff_and_a_discipline_officers_on_the_body_above(world):
    def report_of(officer):
        return actions.report_matter(
            officer, kind="banquet", changed_on=datetime.date(2026, 10, 2), details="婚宴", acting_user=officer
        )

    city, district, district_staff = (
        report_of(world.officer),
        report_of(world.dh_officer),
        report_of(world.dh_inspector),
    )
    assert world.dh.parent == world.city
    assert set(reviewable_matters(world.inspector)) == {city, district_staff}  # not the district's own officers'
    assert set(reviewable_matters(world.dh_inspector)) == {district}  # never their own
    assert not reviewable_matters(world.officer).exists()


def test_discipline_staff_adjust_and_grade_a_quarter_and_see_the_summaries(client_for, world):
    quarters.open_quarter(datetime.date(2026, 7, 1))
    assessment = QuarterlyAssessment.objects.get(officer=world.officer, quarter=datetime.date(2026, 7, 1))
    url = reverse("archives:quarter_detail", args=[assessment.pk])
    inspector = client_for(world.inspector)
    assert client_for(world.depthead).post(url, {"points": "5", "reason": "x"}).status_code == 404
    inspector.post(url, {"points": "-15", "reason": "民主测评意见较多"})
    inspector.post(url, {"grade": "1"})
    assessment.refresh_from_db()
    assert (assessment.score, assessment.grade) == (85, "good")
    page = inspector.get(reverse("archives:quarters"), {"quarter": "2026-07-01"}).content.decode()
    department_row = page.split('data-testid="department-summary"')[1].split("公诉处")[1].split("</tr>")[0]
    assert "<td>1</td>" in department_row
    assert client_for(world.officer).get(reverse("archives:quarters")).status_code == 404


def test_a_record_is_corrected_by_an_amendment_and_the_original_stays(client_for, world):
    record = OfficerRecord.objects.create(
        officer=world.officer,
        kind=RecordKind.REWARD,
        occurred_on=datetime.date(2026, 6, 1),
        title="嘉奖",
        recorded_by=world.inspector,
    )
    url = reverse("archives:records", args=[world.officer.pk])
    client_for(world.inspector).post(url, {"amend_record": record.pk, "text": "应为“记三等功”"})
    record.refresh_from_db()
    assert record.title == "嘉奖" and record.amendments.get().text == "应为“记三等功”"
    assert client_for(world.officer).post(url, {"amend_record": record.pk, "text": "x"}).status_code == 404
