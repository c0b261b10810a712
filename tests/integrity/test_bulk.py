"""Rows inserted without model instances come out as ``bulk_create`` would write them: on PostgreSQL through
``COPY`` (``unnest`` arrays when conflicts are skipped), elsewhere through ``bulk_create`` itself (CI runs this file
on both)."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from cases.choices import ReviewStatus
from cases.models import Case, CaseParty, Declaration, Stage
from integrity.bulk import insert_rows
from tests.cases.records import make_case

# The clock is pinned to Friday 20 November 2026, 09:30: the rows written carry that day.
pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-11-20 09:30")]


def test_the_columns_not_given_take_their_defaults_and_the_rows_come_back_by_number(world):
    stage = Stage.objects.order_by("order").first()
    columns = ("institution_id", "department_id", "stage_id", "number", "title", "case_type", "received_on")
    day = datetime.date(2026, 11, 2)
    rows = [(world.city.pk, world.prosecution.pk, stage.pk, f"B{n}", f"案件{n}", "刑事", day) for n in range(3)]

    ids = dict(insert_rows(Case, columns, rows, returning=("number", "id")))

    cases = {c.number: c for c in Case.objects.filter(number__startswith="B")}
    assert ids == {number: case.pk for number, case in cases.items()}
    case = cases["B1"]
    assert (case.title, case.received_on, case.due_on, case.quality_score, case.has_conflict) == (
        "案件1",
        day,
        None,
        None,
        False,
    )
    assert abs(case.created_at - timezone.now()) < datetime.timedelta(minutes=1)
    assert abs(case.updated_at - timezone.now()) < datetime.timedelta(minutes=1)


def test_conflicting_rows_are_skipped_when_asked_and_refuse_the_insert_otherwise(world):
    case = make_case(world.prosecution, [world.officer])
    other = make_case(world.prosecution, [world.colleague])
    due = datetime.date(2026, 11, 30)
    assert Declaration.objects.filter(case=case, officer=world.officer).exists()
    rows = [(case.pk, world.officer.pk, due), (other.pk, world.officer.pk, due)]

    insert_rows(Declaration, ("case_id", "officer_id", "due_on"), rows, ignore_conflicts=True)

    added = Declaration.objects.get(case=other, officer=world.officer)
    assert (added.due_on, added.submitted_at, added.has_yes, added.review_comment) == (due, None, False, "")
    assert added.review_status == ReviewStatus.NOT_NEEDED
    assert Declaration.objects.filter(case=case, officer=world.officer).count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_rows(Declaration, ("case_id", "officer_id", "due_on"), rows[:1])


def test_text_with_tabs_line_breaks_backslashes_and_blanks_arrives_as_written(world):
    case = make_case(world.prosecution, [world.officer])
    names = ["张\t三", "李四\n（律所）", "王\\N", "\\.", ""]
    rows = [(case.pk, "party", name, f"单位{n}\r") for n, name in enumerate(names)]

    insert_rows(CaseParty, ("case_id", "role", "name", "organisation"), rows)

    written = CaseParty.objects.filter(case=case, organisation__startswith="单位")
    assert {(p.name, p.organisation) for p in written} == {(name, f"单位{n}\r") for n, name in enumerate(names)}


def test_only_the_fields_given_and_the_key_come_back(world):
    case = make_case(world.prosecution, [world.officer])
    with pytest.raises(NotImplementedError):
        insert_rows(CaseParty, ("case_id", "role", "name"), [(case.pk, "party", "甲")], returning=("name_key",))
    assert not CaseParty.objects.filter(case=case, name="甲").exists()


def test_nothing_is_sent_for_no_rows(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert insert_rows(CaseParty, ("case_id", "role", "name"), []) == []
