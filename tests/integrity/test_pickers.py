"""Choosing one officer or department among a province's thousands: the form draws only the one chosen, the search
beside it offers a few that match among those the user sees, and the choice is still checked against what the form
offers."""

from __future__ import annotations

import pytest
from django.urls import reverse

from alerts.models import IntegrityWarning
from integrity.models import Department, Officer
from tests.factories import DepartmentFactory, OfficerFactory

pytestmark = pytest.mark.django_db


def select_of(page: str, name: str = "officer") -> str:
    return page.split(f'<select name="{name}"', 1)[1].split("</select>", 1)[0]


def officer_select(page: str) -> str:
    return select_of(page, "officer")


def test_the_warning_form_draws_only_the_officer_chosen(client_for, world):
    client = client_for(world.inspector)
    page = client.get(reverse("alerts:warning_propose")).content.decode()
    assert 'data-testid="officer-search"' in page and reverse("integrity:officer_options") in page
    assert officer_select(page).count("<option") == 1  # the empty choice: nobody else in the city is drawn
    assert world.colleague.full_name not in page
    # drawn as the search offers it, with the body and staff number: two 李明 in a province are told apart
    Officer.objects.filter(pk=world.officer.pk).update(staff_number="0012")
    label = f"{world.officer.full_name}（{world.city.short_name or world.city.name} · 0012）"
    chosen = client.get(reverse("alerts:warning_propose"), {"officer": world.officer.pk}).content.decode()
    assert f'<option value="{world.officer.pk}" selected>{label}</option>' in officer_select(chosen)
    assert officer_select(chosen).count("<option") == 2


def test_the_choice_is_checked_against_what_the_form_offers(client_for, world):
    client = client_for(world.dh_inspector)
    data = {"level": "general", "target": "officer", "facts": "接受宴请", "source": "来信"}
    refused = client.post(reverse("alerts:warning_propose"), {**data, "officer": world.xs_officer.pk})
    assert refused.status_code == 200 and not IntegrityWarning.objects.exists()  # 西山 is not 东湖's to warn
    client.post(reverse("alerts:warning_propose"), {**data, "officer": world.dh_officer.pk})
    assert IntegrityWarning.objects.get().officer == world.dh_officer


def test_the_search_offers_a_few_serving_officers_the_user_sees(client_for, world):
    client = client_for(world.dh_inspector)
    left = OfficerFactory(username="dh_left", full_name="陈静怡", department=world.dh_officer.department)
    Officer.objects.filter(pk=left.pk).update(is_active=False)

    def found(q: str) -> str:
        return client.get(reverse("integrity:officer_options"), {"q": q}).content.decode()

    assert f'value="{world.dh_officer.pk}"' in found("陈静") and "陈静怡" not in found("陈静")  # not one who left
    assert f'value="{world.dh_officer.pk}"' in found("dh_off")  # by username
    assert "吴磊" not in found("吴磊") and found("吴磊").count("<option") == 1  # 西山 is not 东湖's
    assert found("").count("<option") == 1  # nothing typed: nothing offered


def test_the_search_offers_at_most_twenty(client_for, world):
    for n in range(25):
        OfficerFactory(username=f"many{n}", full_name=f"干警{n:02}", department=world.officer.department)
    page = client_for(world.inspector).get(reverse("integrity:officer_options"), {"q": "干警"}).content.decode()
    assert page.count('<option value="') == 1 + 20


def test_the_warning_form_draws_only_the_department_chosen_with_its_body(client_for, world):
    client = client_for(world.inspector)
    page = client.get(reverse("alerts:warning_propose")).content.decode()
    assert 'data-testid="department-search"' in page and reverse("integrity:department_options") in page
    assert select_of(page, "department").count("<option") == 1  # none of the city's and districts' departments
    data = {"level": "general", "target": "department", "facts": "多次违规", "source": "巡查"}
    refused = client.post(reverse("alerts:warning_propose"), {**data, "department": 0})
    assert refused.status_code == 200 and not IntegrityWarning.objects.exists()
    department = world.dh_officer.department
    again = client.post(reverse("alerts:warning_propose"), {**data, "department": department.pk, "level": ""})
    assert not IntegrityWarning.objects.exists()  # the form comes back with the chosen department, and its body
    chosen = select_of(again.content.decode(), "department")
    body = department.institution
    assert f'<option value="{department.pk}" selected>公诉科（{body.short_name or body.name}）</option>' in chosen


def test_a_department_outside_the_users_bodies_is_refused(client_for, world):
    client = client_for(world.dh_inspector)
    data = {"level": "general", "target": "department", "facts": "多次违规", "source": "巡查"}
    refused = client.post(reverse("alerts:warning_propose"), {**data, "department": world.xs_officer.department.pk})
    assert refused.status_code == 200 and not IntegrityWarning.objects.exists()  # 西山 is not 东湖's to warn
    client.post(reverse("alerts:warning_propose"), {**data, "department": world.dh_officer.department.pk})
    assert IntegrityWarning.objects.get().department == world.dh_officer.department


def test_the_department_search_finds_by_its_name_or_its_bodys_among_those_the_user_sees(client_for, world):
    client = client_for(world.dh_inspector)
    closed = DepartmentFactory(institution=world.dh_officer.institution, name="公诉二科")
    Department.objects.filter(pk=closed.pk).update(is_active=False)
    body = world.dh_officer.institution

    def found(q: str) -> str:
        return client.get(reverse("integrity:department_options"), {"q": q}).content.decode()

    ours = f'value="{world.dh_officer.department.pk}"'
    assert ours in found("公诉") and "公诉二科" not in found("公诉")  # not one that was closed
    assert ours in found(body.name) and f"公诉科（{body.short_name or body.name}）" in found(body.name)
    assert f'value="{world.xs_officer.department.pk}"' not in found("公诉")  # 西山 is not 东湖's
    assert found("").count("<option") == 1 and "查无" not in found("")  # nothing typed: nothing offered
    assert found("无此部门").count("<option") == 1 and "查无此部门" in found("无此部门")


def test_the_department_search_offers_at_most_twenty(client_for, world):
    for n in range(25):
        DepartmentFactory(institution=world.city, name=f"第{n:02}检察部")
    page = client_for(world.inspector).get(reverse("integrity:department_options"), {"q": "检察部"}).content.decode()
    assert page.count('<option value="') == 1 + 20


def test_choosing_several_departments_a_search_keeps_those_chosen_and_adds_what_matches(client_for, world):
    client = client_for(world.dh_inspector)
    ours, theirs = world.dh_officer.department, world.xs_officer.department
    discipline = Department.objects.get(institution=ours.institution, name="纪检组")
    query = {"q": "纪检", "keep": "to_departments", "to_departments": [ours.pk, theirs.pk, "x"]}
    page = client.get(reverse("integrity:department_options"), query).content.decode()
    assert page.index(f'<option value="{ours.pk}" selected>') < page.index(f'<option value="{discipline.pk}">')
    assert f'value="{theirs.pk}"' not in page  # 西山's department is not 东湖's to keep
    assert '<option value="">' not in page  # choosing several, there is no empty choice
    nothing = client.get(reverse("integrity:department_options"), {**query, "q": "无此部门"}).content.decode()
    assert f'<option value="{ours.pk}" selected>' in nothing and "查无此部门" not in nothing


def test_the_circular_and_inspection_forms_draw_only_the_departments_chosen(client_for, world):
    client = client_for(world.inspector)
    for url, name in ((reverse("alerts:circular_new"), "to_departments"), (reverse("inspections:new"), "departments")):
        page = client.get(url).content.decode()
        assert f'data-testid="{name}-search"' in page and "hx-include" in page
        assert select_of(page, name).count("<option") == 0, url  # none of the city's and districts' departments
