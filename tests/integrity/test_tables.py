"""The product's own table columns draw and export as django-tables2's, without a template for every cell."""

import datetime
import functools

import django_tables2 as tables
import pytest
from django.test import RequestFactory
from django.utils import translation

from integrity.tables import DateColumn, DateTimeColumn
from risks.models import MonthlyCheck

pytestmark = pytest.mark.today("2026-11-20")  # the cells are fixed moments; the clock is pinned all the same
MOMENT = datetime.datetime(2026, 11, 20, 17, 30, tzinfo=datetime.UTC)  # 01:30 the next day in Beijing
ROWS = [
    {"month": datetime.date(2026, 11, 1), "day": datetime.date(2026, 11, 20), "at": MOMENT, "when": MOMENT},
    {"month": None, "day": None, "at": None, "when": None},
    {"month": "", "day": MOMENT, "at": datetime.datetime(2026, 11, 20, 8, 0), "when": MOMENT.replace(hour=23)},
]


class Theirs(tables.Table):
    month = tables.DateColumn(format="Y-m")
    day = tables.DateColumn(short=False)
    at = tables.DateTimeColumn(format="Y-m-d H:i")
    when = tables.DateTimeColumn()


class Ours(tables.Table):
    month = DateColumn(format="Y-m")
    day = DateColumn(short=False)
    at = DateTimeColumn(format="Y-m-d H:i")
    when = DateTimeColumn()


def test_the_date_columns_draw_and_export_as_django_tables2s():
    for language in ("zh-hans", "en"):
        with translation.override(language):
            theirs, ours = Theirs(ROWS), Ours(ROWS)
            assert [list(row) for row in ours.rows] == [list(row) for row in theirs.rows]
            assert list(ours.as_values()) == list(theirs.as_values())
    with translation.override("zh-hans"):
        assert list(Ours(ROWS).rows[0])[:3] == ["2026-11", "2026年11月20日", "2026-11-21 01:30"]


def test_a_tables_date_fields_get_the_products_columns():
    class Checks(tables.Table):
        class Meta:
            model = MonthlyCheck
            fields = ("period", "submitted_at")

    assert type(Checks.base_columns["period"]) is DateColumn
    assert type(Checks.base_columns["submitted_at"]) is DateTimeColumn


class Shout(tables.Column):
    def render(self, value):
        return str(value).upper()


class Louder(Shout):
    def render(self, value, record):  # the same name, other arguments: remembered apart from its parent's
        return f"{str(value).upper()}!{record['n']}"


def suffix(mark):
    return lambda value, record: f"{value}{mark}{record['n']}"  # a closure of the same code for each mark


class Asked(tables.Table):
    name = Shout()
    loud = Louder(accessor="name")
    both = tables.Column(accessor="name")
    anything = tables.Column(accessor="name", attrs={"td": {"data-n": lambda record: record["n"]}})
    plus = tables.Column(accessor="name", linkify=lambda record: f"/n/{record['n']}/")

    def render_both(self, value, record):
        return f"{value}/{record['n']}"

    def render_anything(self, **kwargs):
        return f"{kwargs['value']}:{sorted(kwargs)}"


def test_each_cells_render_method_is_inspected_once_and_called_with_its_own_arguments(monkeypatch):
    import inspect

    inspected = []
    real = inspect.signature
    monkeypatch.setattr(inspect, "signature", lambda fn, **kw: inspected.append(fn) or real(fn, **kw))
    data = [{"name": "li", "n": 1}, {"name": "wang", "n": 2}]
    drawn = [[str(cell) for cell in row] for row in Asked(data).rows]
    kwargs = "['bound_column', 'bound_row', 'column', 'record', 'table', 'value']"
    assert [row[:4] for row in drawn] == [
        ["LI", "LI!1", "li/1", f"li:{kwargs}"], ["WANG", "WANG!2", "wang/2", f"wang:{kwargs}"]
    ]  # fmt: skip
    assert drawn[1][4] == '<a href="/n/2/">wang</a>'
    page = Asked(data).as_html(RequestFactory().get("/"))
    assert 'data-n="2"' in page
    inspected.clear()
    assert [[str(cell) for cell in row] for row in Asked(data).rows] == drawn  # as another request would
    assert Asked(data).as_html(RequestFactory().get("/")) == page
    assert inspected == []  # every render method, link and attribute was worked out before
    # Closures made apart (here: for each request) are told apart, each with its own mark.
    for mark in "#%":
        column = tables.Column(accessor="name")
        column.render = suffix(mark)
        assert str(next(iter(tables.Table(data, extra_columns=[("x", column)]).rows)).get_cell("x")) == f"li{mark}1"


def logged(method):
    @functools.wraps(method)
    def wrapper(*args, **kwargs):  # one code object for every function it wraps
        return method(*args, **kwargs)

    return wrapper


class Wrapped(tables.Table):
    name = tables.Column()
    n = tables.Column()

    @logged
    def render_name(self, value):
        return value.upper()

    @logged
    def render_n(self, record):
        return record["name"] * record["n"]


def test_wrapped_render_methods_are_called_with_the_arguments_of_the_functions_they_wrap():
    data = [{"name": "li", "n": 2}]
    for _ in range(2):  # the second time, as another request
        assert [[str(cell) for cell in row] for row in Wrapped(data).rows] == [["LI", "lili"]]
