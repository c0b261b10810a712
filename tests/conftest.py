"""Shared fixtures: a small province-like world and named personas in it.

The world: a city body with two district bodies below it. Personas live in the city body unless named
after a district (``dh_`` for 东湖, ``xs_`` for 西山).
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import time_machine
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from pytest_django.plugin import blocking_manager_key

from integrity import actions
from integrity.choices import InstitutionLevel, Role
from integrity.models import Department, Institution, Officer
from tests import clock as suite_clock
from tests import snapshot
from tests.factories import DepartmentFactory, InstitutionFactory, OfficerFactory
from tests.sessions import passed_second_factor


def pytest_configure(config) -> None:
    config.addinivalue_line(
        "markers", 'today(when): pin the clock of this test to a day, "YYYY-MM-DD" or "YYYY-MM-DD HH:MM" in Shanghai'
    )


def pytest_addoption(parser) -> None:
    parser.addoption(
        "--suite-day-only",
        action="store_true",
        help="run only the tests on the suite's day (TEST_TODAY, or the day of the run); a test pinned to its own day "
        "by a `today` marker reads nothing else of the clock, so it gives the same result on any day",
    )


def pytest_collection_modifyitems(config, items: list[pytest.Item]) -> None:
    if not config.getoption("--suite-day-only"):
        return
    pinned = [item for item in items if item.get_closest_marker("today")]
    if pinned:
        config.hook.pytest_deselected(items=pinned)
        items[:] = [item for item in items if not item.get_closest_marker("today")]


def pytest_report_header(config) -> str:
    source = suite_clock.ENVIRONMENT_VARIABLE if suite_clock.suite_moment_from_environment() else "the day of the run"
    return f"clock: tests without their own day run on {suite_clock.SUITE_MOMENT:%Y-%m-%d %H:%M %Z} ({source})"


# --- the database between transactional tests -------------------------------------------------------------------

_baseline: list[snapshot.Snapshot] = []


@pytest.fixture(scope="session", autouse=True)
def migrated_database(django_db_setup, django_db_blocker) -> snapshot.Snapshot:
    """The database as the migrations leave it, taken before any test runs."""
    with django_db_blocker.unblock():
        _baseline.append(snapshot.take())
    return _baseline[0]


def _is_transactional(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])):
        return True
    return bool({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None):
    """Django empties every table after a transactional test; put back what the migrations wrote, so that the
    tests after it find the database as every other test does, whatever order they run in."""
    result = yield
    # After the last test the session's fixtures are gone with the test database: nothing follows to restore for.
    if _baseline and nextitem is not None and _is_transactional(item):
        with item.config.stash[blocking_manager_key].unblock():
            snapshot.restore(_baseline[0])
    return result


@pytest.fixture(scope="session")
def demo_snapshot(migrated_database, django_db_blocker, _suite_clock) -> snapshot.Snapshot:
    """The demo institution, seeded once per run on the suite's day; browser journeys start from a copy of it."""
    with django_db_blocker.unblock():
        call_command("seed_demo", stdout=io.StringIO())
        seeded = snapshot.take()
        snapshot.restore(migrated_database)
    return seeded


# --- the clock ----------------------------------------------------------------------------------------------------


@pytest.fixture(scope="session", autouse=True)
def _suite_clock() -> Iterator[None]:
    """Session fixtures (the browser tests' demo) see the suite's day too."""
    with time_machine.travel(suite_clock.SUITE_MOMENT, tick=True):
        yield


@pytest.fixture(autouse=True)
def clock(request, _suite_clock) -> Iterator[time_machine.Traveller]:
    """Every test starts on its pinned day: its own ``today`` marker, or the suite's day.

    On the suite's day the clock goes on from where the run has got to, so time never runs backwards between tests
    (what the run seeded once, like the browser tests' demo, stays in the past). Take the fixture to move on within
    a test: ``clock.move_to(...)`` or ``clock.shift(...)``; the next test does not see it.
    """
    marker = request.node.get_closest_marker("today")
    moment = suite_clock.parse(marker.args[0]) if marker else datetime.datetime.now(suite_clock.ZONE)
    with time_machine.travel(moment, tick=True) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """What one test cached (a board's counts under a user id the next test reuses) is not the next test's."""
    cache.clear()


@pytest.fixture
def today(request, clock) -> datetime.date:
    """The pinned day in the institutions' zone (what ``timezone.localdate()`` answers as the test starts)."""
    marker = request.node.get_closest_marker("today")
    moment = suite_clock.parse(marker.args[0]) if marker else suite_clock.SUITE_MOMENT
    return moment.astimezone(suite_clock.ZONE).date()


@dataclass
class World:
    city: Institution
    dh: Institution
    xs: Institution
    prosecution: Department  # 公诉
    investigation: Department  # 侦查监督
    office: Department  # 办公室
    officer: Officer
    colleague: Officer  # same department as officer
    other_officer: Officer  # city, another department
    depthead: Officer
    deputy: Officer
    chief: Officer
    inspector: Officer
    admin: Officer
    dh_officer: Officer
    dh_head: Officer
    dh_inspector: Officer
    xs_officer: Officer
    xs_inspector: Officer


def _grant(officer: Officer, role: str, institution: Institution, departments=()) -> Officer:
    actions.grant_role(officer, role, institution, departments=departments, acting_user=None)
    return officer


@pytest.fixture
def world(db) -> World:
    city = InstitutionFactory(name="江州市人民检察院", code="C")
    dh = InstitutionFactory(name="东湖区人民检察院", code="C-DH", parent=city, level=InstitutionLevel.DISTRICT)
    xs = InstitutionFactory(name="西山区人民检察院", code="C-XS", parent=city, level=InstitutionLevel.DISTRICT)
    prosecution = DepartmentFactory(institution=city, name="公诉处")
    investigation = DepartmentFactory(institution=city, name="侦查监督处")
    office = DepartmentFactory(institution=city, name="办公室")
    leaders = DepartmentFactory(institution=city, name="院领导")
    discipline = DepartmentFactory(institution=city, name="纪检组")
    dh_dept = DepartmentFactory(institution=dh, name="公诉科")
    dh_discipline = DepartmentFactory(institution=dh, name="纪检组")
    xs_dept = DepartmentFactory(institution=xs, name="公诉科")
    xs_discipline = DepartmentFactory(institution=xs, name="纪检组")
    return World(
        city=city,
        dh=dh,
        xs=xs,
        prosecution=prosecution,
        investigation=investigation,
        office=office,
        officer=OfficerFactory(username="officer", full_name="李明", department=prosecution),
        colleague=OfficerFactory(username="colleague", full_name="王芳", department=prosecution),
        other_officer=OfficerFactory(username="other", full_name="赵强", department=office),
        depthead=_grant(
            OfficerFactory(username="depthead", full_name="何琳", department=prosecution),
            Role.DEPARTMENT_HEAD,
            city,
            [prosecution],
        ),
        deputy=_grant(
            OfficerFactory(username="deputy", full_name="袁勇", department=leaders),
            Role.DEPUTY_LEADER,
            city,
            [prosecution, investigation],
        ),
        chief=_grant(
            OfficerFactory(username="chief", full_name="张涛", department=leaders), Role.PRINCIPAL_LEADER, city
        ),
        inspector=_grant(
            OfficerFactory(username="inspector", full_name="朱华", department=discipline), Role.DISCIPLINE, city
        ),
        admin=_grant(OfficerFactory(username="admin", full_name="苏浩", department=office), Role.ADMINISTRATOR, city),
        dh_officer=OfficerFactory(username="dh_officer", full_name="陈静", department=dh_dept),
        dh_head=_grant(
            OfficerFactory(username="dh_head", full_name="孙波", department=dh_dept),
            Role.DEPARTMENT_HEAD,
            dh,
            [dh_dept],
        ),
        dh_inspector=_grant(
            OfficerFactory(username="dh_inspector", full_name="周敏", department=dh_discipline), Role.DISCIPLINE, dh
        ),
        xs_officer=OfficerFactory(username="xs_officer", full_name="吴磊", department=xs_dept),
        xs_inspector=_grant(
            OfficerFactory(username="xs_inspector", full_name="徐娟", department=xs_discipline), Role.DISCIPLINE, xs
        ),
    )


@pytest.fixture
def client_for():
    """A logged-in test client for a persona: ``client_for(world.officer)``, past the second factor when their roles
    need one (the second factor's own tests log in through the pages)."""

    def make(officer: Officer) -> Client:
        client = Client()
        client.force_login(officer)
        passed_second_factor(client)
        return client

    return make
