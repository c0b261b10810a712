"""The lists' department choice follows their body choice: a province's departments are never one select."""

import re

import pytest
from django import forms
from django.test.html import parse_html
from django.urls import reverse

from alerts.engine import compute_lights
from integrity.forms import PlainSelect

pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-11-20")]


def _options(html: str) -> list[str]:
    select = re.search(r'<select name="department".*?</select>', html, re.S)[0]
    return re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', select)


def _selected(html: str) -> str | None:
    select = re.search(r'<select name="department".*?</select>', html, re.S)[0]
    found = re.search(r'<option value="\d+"[^>]*selected[^>]*>([^<]+)</option>', select)
    return found[1] if found else None


def test_the_department_choice_offers_the_chosen_bodys_departments(client_for, world):
    compute_lights()
    client = client_for(world.inspector)  # sees the city body and both districts below it
    url = reverse("alerts:light_list")

    own = _options(client.get(url).content.decode())
    assert "公诉处" in own and "公诉科" not in own  # before a body is chosen: the user's own body's departments
    assert _options(client.get(url, {"institution": world.dh.pk}).content.decode()) == ["公诉科", "纪检组"]
    # A link to one department of a district (the board gives them) offers that body's departments, with it chosen.
    linked = client.get(url, {"department": world.dh_officer.department_id}).content.decode()
    assert _options(linked) == ["公诉科", "纪检组"] and _selected(linked) == "公诉科"
    assert world.dh_officer.full_name in linked and world.officer.full_name not in linked


def test_choosing_another_body_lets_the_old_department_go_and_swaps_the_choice_in(client_for, world):
    compute_lights()
    client = client_for(world.inspector)
    # The form sends the department chosen before the body was changed: the district's officers are listed, and
    # the results come back with the district's department choice to swap in.
    response = client.get(
        reverse("alerts:light_list"),
        {"institution": world.dh.pk, "department": world.prosecution.pk},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert world.dh_officer.full_name in response and world.officer.full_name not in response
    assert 'id="filter-department" hx-swap-oob="true"' in response
    assert _options(response) == ["公诉科", "纪检组"] and _selected(response) is None
    # A department outside what the user sees is still refused.
    head = client_for(world.dh_head)
    outside = head.get(reverse("alerts:light_list"), {"department": world.prosecution.pk}).content.decode()
    assert world.officer.full_name not in outside


def test_every_list_with_a_department_filter_narrows_it(client_for, world):
    client = client_for(world.inspector)
    for name in ("cases:case_list", "cases:assessment_list", "risks:check_list", "risks:risk_point_list",
                 "risks:power_item_list", "integrity:officer_list", "alerts:light_list"):  # fmt: skip
        options = _options(client.get(reverse(name)).content.decode())
        assert "公诉处" in options and "公诉科" not in options, name


def test_a_filters_select_is_drawn_as_djangos_own_would_draw_it():
    """``PlainSelect`` draws the options without a template each: the same elements, attributes and escaping."""
    choices = [("", "全部"), ("1", "市院"), ("2", '<b>"区院" & 分院</b>'), ("群组", [("3", "甲"), ("4", "乙")])]
    attrs = {"class": "form-select", "id": "id_institution", "disabled": False, "data-x": 'a"b'}
    for value in ("", "2", "4", None):
        django, plain = (
            widget(attrs=attrs, choices=choices).render("institution", value) for widget in (forms.Select, PlainSelect)
        )
        assert parse_html(plain) == parse_html(django), value
    assert "&lt;b&gt;&quot;区院&quot; &amp; 分院&lt;/b&gt;" in PlainSelect(choices=choices).render("institution", "")


def test_a_lists_selects_are_drawn_in_one_pass_with_the_choice_kept(client_for, world):
    response = client_for(world.inspector).get(reverse("cases:assessment_list"), {"institution": world.dh.pk})
    fields = response.context["filter"].form.fields
    assert all(type(fields[name].widget) is PlainSelect for name in ("institution", "department", "colour", "status"))
    page = response.content.decode()
    chosen = re.search(r'<select name="institution".*?</select>', page, re.S)[0]
    assert f'<option value="{world.dh.pk}" selected>{world.dh.name}</option>' in chosen
