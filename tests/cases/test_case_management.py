"""Case management (案管): registers and imports the body's cases, watches their deadlines and assessments, and reads
no integrity record — neither a declaration's answers nor a relation conflict."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases.models import Case, CaseImport, Declaration
from integrity import actions as org
from integrity.choices import Role
from tests.cases.records import assess, declare, make_case
from tests.cases.test_cases import csv_file
from tests.factories import OfficerFactory

# The clock is pinned to Friday 20 November 2026; cases are received a little over two weeks before.
pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-11-20")]


@pytest.fixture
def clerk(world):
    clerk = OfficerFactory(username="case_clerk", full_name="冯云", department=world.office)
    org.grant_role(clerk, Role.CASE_MANAGEMENT, world.city, acting_user=None)
    return clerk


def test_case_management_registers_a_case_for_any_department_of_its_body(world, client_for, clerk):
    client = client_for(clerk)
    listed = client.get(reverse("cases:case_list")).content.decode()
    assert reverse("cases:case_create") in listed and 'data-testid="import-cases"' in listed
    form = client.get(reverse("cases:case_create")).context["form"]
    assert set(form.fields["department"].queryset) >= {world.prosecution, world.investigation, world.office}
    assert world.dh_officer not in form.fields["handlers"].queryset  # another body's officers are not offered
    response = client.post(
        reverse("cases:case_create"),
        {"number": "（2026）江检刑诉字第77号", "title": "某某受贿案", "case_type": "刑事",
         "department": world.prosecution.pk, "handlers": [world.officer.pk], "received_on": "2026-11-18"},
    )  # fmt: skip
    case = Case.objects.get(number="（2026）江检刑诉字第77号")
    assert response.status_code == 302 and case.institution == world.city
    assert Declaration.objects.filter(case=case, officer=world.officer).exists()


def test_case_management_imports_its_bodys_cases_and_no_other(world, client_for, clerk):
    client = client_for(clerk)
    page = client.get(reverse("cases:case_import"))
    assert list(page.context["form"].fields["institution"].queryset) == [world.city]
    rows = [["（2026）江检刑诉字第101号", "甲盗窃案", "刑事", "公诉处", "李明", "2026-11-01", "受理", "甲", ""]]
    upload = SimpleUploadedFile("cases.csv", csv_file(rows))
    assert client.post(reverse("cases:case_import"), {"institution": world.dh.pk, "file": upload}).status_code == 200
    assert not CaseImport.objects.exists()
    upload = SimpleUploadedFile("cases.csv", csv_file(rows))
    assert client.post(reverse("cases:case_import"), {"institution": world.city.pk, "file": upload}).status_code == 302
    assert CaseImport.objects.get().institution == world.city


def test_case_management_watches_the_bodys_cases_and_assessments_but_reads_no_declaration(world, client_for, clerk):
    city_case = make_case(world.prosecution, [world.officer, world.colleague])
    declare(city_case, world.officer)
    assessment = assess(city_case, world.officer)
    district_case = make_case(world.dh_officer.department, [world.dh_officer])
    client = client_for(clerk)

    listed = client.get(reverse("cases:case_list")).content.decode()
    assert city_case.number in listed and district_case.number not in listed
    assessments = client.get(reverse("cases:assessment_list")).content.decode()
    assert assessment.get_absolute_url() in assessments and reverse("cases:assessment_list") in listed  # in the menu
    assert client.get(assessment.get_absolute_url()).status_code == 200
    assert client.get(district_case.get_absolute_url()).status_code == 404

    page = client.get(city_case.get_absolute_url()).content.decode()
    filed = Declaration.objects.get(case=city_case, officer=world.officer)
    due = Declaration.objects.get(case=city_case, officer=world.colleague)
    assert "已提交" in page and due.due_on.isoformat() in page  # whether each is filed, and when it is due
    assert filed.get_absolute_url() not in page and due.get_absolute_url() not in page
    assert client.get(filed.get_absolute_url()).status_code == 404
    # A head of the department still reads them.
    assert filed.get_absolute_url() in client_for(world.depthead).get(city_case.get_absolute_url()).content.decode()


def test_case_management_is_no_overseer(world, client_for, clerk):
    client = client_for(clerk)
    assert client.get(reverse("alerts:clue_list")).status_code == 404
    assert client.get(reverse("alerts:board")).status_code in (403, 404)
    assert client.get(world.officer.get_absolute_url()).status_code == 404


def test_case_management_finds_the_open_cases_past_their_due_date(world, client_for, clerk):
    late = make_case(world.prosecution, [world.officer])
    on_time = make_case(world.prosecution, [world.colleague])
    Case.objects.filter(pk=late.pk).update(due_on=datetime.date(2026, 11, 19))  # the day before the pinned day
    Case.objects.filter(pk=on_time.pk).update(due_on=datetime.date(2026, 11, 20))
    page = client_for(clerk).get(reverse("cases:case_list"), {"past_due": "true"}).content.decode()
    assert late.number in page and on_time.number not in page and 'data-testid="past-due"' in page
