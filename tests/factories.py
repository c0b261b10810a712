"""Factories that build through the actions, so tests arrange state the way the product does."""

from __future__ import annotations

import datetime

import factory

from integrity import actions
from integrity.choices import InstitutionKind, InstitutionLevel
from integrity.models import Department, Institution, Officer, Post

TEST_PASSWORD = "correct-horse-battery"


class InstitutionFactory(factory.Factory):
    class Meta:
        model = Institution

    name = factory.Sequence(lambda n: f"测试第{n}人民检察院")
    code = factory.Sequence(lambda n: f"T{n:04d}")
    kind = InstitutionKind.PROCURATORATE
    level = InstitutionLevel.CITY
    parent = None

    @classmethod
    def _create(cls, model_class, **kwargs) -> Institution:
        return actions.create_institution(acting_user=None, **kwargs)


class DepartmentFactory(factory.Factory):
    class Meta:
        model = Department

    institution = factory.SubFactory(InstitutionFactory)
    name = factory.Sequence(lambda n: f"业务{n}部")

    @classmethod
    def _create(cls, model_class, institution, name, **kwargs) -> Department:
        return actions.create_department(institution, name, acting_user=None, **kwargs)


class PostFactory(factory.Factory):
    class Meta:
        model = Post

    department = factory.SubFactory(DepartmentFactory)
    name = factory.Sequence(lambda n: f"检察员{n}")
    main_duties = "审查案件，出庭支持公诉。"

    @classmethod
    def _create(cls, model_class, department, name, **kwargs) -> Post:
        return actions.create_post(department, name, acting_user=None, **kwargs)


class OfficerFactory(factory.Factory):
    class Meta:
        model = Officer

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"干警{n}")
    department = factory.SubFactory(DepartmentFactory)
    post = factory.LazyAttribute(lambda o: PostFactory(department=o.department))
    password = TEST_PASSWORD
    started_on = datetime.date(2024, 1, 1)  # in post before any day the suite's clock is pinned to

    @classmethod
    def _create(cls, model_class, **kwargs) -> Officer:
        return actions.create_officer(acting_user=None, **kwargs)
