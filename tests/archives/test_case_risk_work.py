"""Case risk work counts: assessments submitted late (or not at all), returned, and cases closed without the closing
feedback take the policy's points off the quarter; the performance archive lists the assessments with the on-time
rate and grades; the leaders over a case hear of an orange or red assessment when it is graded. The clock is pinned
to 20 November 2026; the quarter is the fourth of 2026."""

import datetime
import hashlib

import pytest
import time_machine
from django.utils import translation

from alerts.models import Notification
from archives import documents
from archives.documents import archive_body
from archives.models import ArchivePolicy, PrintedDocument
from archives.quarters import measure
from archives.queries import performance_archive
from archives.rules import measured_score
from cases import actions as cases
from cases import assessments
from cases.models import Stage
from tests.cases.records import assess, declare, make_case

pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-11-20")]
TODAY = datetime.date(2026, 11, 20)
Q4 = (datetime.date(2026, 10, 1), datetime.date(2026, 12, 31))
RED = ["可能引发越级访、进京访或集体访", "当事人有过激言行或极端行为苗头", "当事人或其亲属有上访、闹访倾向"]  # 70
ORANGE = ["可能引发越级访、进京访或集体访", "涉众型案件，涉及人数众多"]  # 45


def at(day: datetime.date):
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, 9, tzinfo=datetime.UTC), tick=False)


def case_received(world, day):
    return make_case(world.prosecution, [world.officer], received_on=day)


def test_late_missing_returned_and_unfed_back_assessments_count_in_the_quarter(world):
    on_time = case_received(world, datetime.date(2026, 11, 2))
    with at(datetime.date(2026, 11, 5)):
        assessments.decide_assessment(assess(on_time, world.officer), approve=True, acting_user=world.depthead)
    late = case_received(world, datetime.date(2026, 10, 12))
    with at(datetime.date(2026, 10, 30)):  # due 19 October
        returned = assess(late, world.officer)
        assessments.decide_assessment(returned, approve=False, reason="预案不具体", acting_user=world.depthead)
    case_received(world, datetime.date(2026, 11, 1))  # never assessed: due 8 November
    case_received(world, datetime.date(2026, 11, 18))  # not due yet
    declare(on_time, world.officer)
    for name in ("审查", "决定"):
        on_time = cases.move_case(on_time, Stage.objects.get(name=name), acting_user=world.officer)
    again = assess(on_time, world.officer)
    assessments.decide_assessment(again, approve=True, acting_user=world.depthead)
    cases.move_case(on_time, Stage.objects.get(name="办结"), acting_user=world.officer)  # closed, no feedback

    measured = measure([world.officer.pk], *Q4, TODAY)[world.officer.pk]
    assert (measured["late_assessments"], measured["returned_assessments"], measured["missing_feedback"]) == (2, 1, 1)
    policy = ArchivePolicy()
    assert measured_score(measured, policy) == 100 - 2 * 2 - 1 * 1 - 1 * 3 - measured.get("late_declarations", 0) * 2

    assessments.file_feedback(again, feedback="已息诉罢访", acting_user=world.officer)
    assert "missing_feedback" not in measure([world.officer.pk], *Q4, TODAY)[world.officer.pk]


def test_the_performance_archive_lists_the_assessments_and_an_earlier_print_still_verifies(world):
    case = case_received(world, datetime.date(2026, 11, 2))
    with at(datetime.date(2026, 11, 5)):
        assess(case, world.officer, score_factors=ORANGE)
    with translation.override("zh-hans"):
        body = archive_body(performance_archive(world.officer, *Q4))
    assert 'data-section="assessments"' in body and case.number in body and "100%" in body and "橙" in body

    # A copy printed before the assessments were listed (layout 1, hashed then over the HTML) verifies against that
    # layout, not this one.
    document, _pdf = documents.print_archive(world.officer, "performance", *Q4, acting_user=world.chief)
    assert document.layout == documents.LAYOUT == 4 and documents.verify(document.number).matches
    with translation.override("zh-hans"):
        old = documents.archive_body(performance_archive(world.officer, *Q4), 1)
    assert 'data-section="assessments"' not in old
    for layout, number in ((1, "ZF20261101-00000001"), (2, "ZF20261101-00000002")):
        PrintedDocument.objects.create(
            number=number, digest=hashlib.sha256(old.encode()).hexdigest(), officer=world.officer,
            kind="performance", start=Q4[0], end=Q4[1], printed_by=world.chief, layout=layout,
        )  # fmt: skip
    assert documents.verify("ZF20261101-00000001").matches
    assert not documents.verify("ZF20261101-00000002").matches


def test_an_orange_assessment_is_told_to_the_deputy_and_a_red_one_to_the_principal_leader_too(world):
    orange = case_received(world, datetime.date(2026, 11, 2))
    assessment = assess(orange, world.officer, score_factors=ORANGE)
    assert set(Notification.objects.values_list("recipient_id", flat=True)) == {world.deputy.pk}
    assessments.decide_assessment(assessment, approve=False, reason="补充预案", acting_user=world.depthead)
    assessments.submit_assessment(assessment, acting_user=world.officer)
    assert Notification.objects.count() == 1  # told once

    red = case_received(world, datetime.date(2026, 11, 3))
    assess(red, world.officer, score_factors=RED)
    told = set(Notification.objects.filter(occasion__endswith=f":{red.assessments.get().pk}").values_list(
        "recipient_id", flat=True
    ))  # fmt: skip
    assert told == {world.deputy.pk, world.chief.pk}

    assess(case_received(world, datetime.date(2026, 11, 4)), world.officer)  # blue: nobody is told
    assert Notification.objects.count() == 3
