"""``__any``: the rows whose field is one of many values, as ``__in`` finds them, written on PostgreSQL as one
array parameter instead of a placeholder per value."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from integrity.models import Department, Officer

pytestmark = pytest.mark.django_db


def test_any_finds_what_in_finds_on_fields_and_foreign_keys(world):
    names = [d.name for d in Department.objects.all()[:2]] + ["无此部门", None]
    assert set(Department.objects.filter(name__any=names)) == set(Department.objects.filter(name__in=names))
    ids = [world.prosecution.pk, world.prosecution.pk + 10_000]
    assert set(Officer.objects.filter(department_id__any=ids)) == set(Officer.objects.filter(department__in=ids))
    assert set(Officer.objects.filter(department__any=[world.prosecution])) == set(
        Officer.objects.filter(department=world.prosecution)
    )
    assert not Officer.objects.filter(department_id__any=[]).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the array parameter is PostgreSQL's")
def test_on_postgresql_thousands_of_values_are_one_parameter(world):
    with CaptureQueriesContext(connection) as queries:
        list(Officer.objects.filter(pk__any=list(range(5000))))
    (sql,) = [q["sql"] for q in queries.captured_queries]
    assert '"integrity_officer"."id" = ANY(' in sql and sql.count(",") < 5000 + 50
