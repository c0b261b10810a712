"""The product's own table columns draw and export as django-tables2's, without a template for every cell."""

import datetime

import django_tables2 as tables
import pytest
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
