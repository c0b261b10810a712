"""The organisation's write path: post history, roles, the hierarchy's paths, and who did each change."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from integrity import actions
from integrity.choices import InstitutionLevel, Role
from integrity.models import PostAssignment, RoleAssignment
from tests.factories import DepartmentFactory, InstitutionFactory, OfficerFactory, PostFactory

# The dates below are November 2026's; the clock stands on the day these tests were written against.
pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-11-20")]


def test_institutions_carry_their_place_in_the_hierarchy():
    province = InstitutionFactory(level=InstitutionLevel.PROVINCIAL)
    city = InstitutionFactory(parent=province)
    district = InstitutionFactory(parent=city, level=InstitutionLevel.DISTRICT)
    assert district.path.startswith(city.path) and city.path.startswith(province.path)
    assert (province.depth, city.depth, district.depth) == (0, 1, 2)


def test_a_post_change_closes_the_current_stretch_and_keeps_it(world):
    officer = world.officer
    first = officer.post
    new_post = PostFactory(department=world.investigation, name="检察员")
    actions.assign_post(officer, new_post, started_on=datetime.date(2026, 3, 1), acting_user=world.admin)

    officer.refresh_from_db()
    assert (officer.post, officer.department, officer.institution) == (new_post, world.investigation, world.city)
    history = list(officer.post_assignments.order_by("started_on"))
    assert [a.post for a in history] == [first, new_post]
    assert history[0].ended_on == datetime.date(2026, 3, 1) and history[1].ended_on is None
    assert history[1].created_by == world.admin
    assert officer.history.latest().history_user == world.admin


def test_a_move_to_another_institution_moves_the_officer_there(world):
    district_post = PostFactory(department=world.dh_officer.department)
    actions.assign_post(world.officer, district_post, started_on=datetime.date(2026, 3, 1), acting_user=None)
    world.officer.refresh_from_db()
    assert world.officer.institution == world.dh


def test_a_post_cannot_start_before_the_current_one(world):
    current = world.officer.post_assignments.get()
    with pytest.raises(ValidationError):
        actions.assign_post(
            world.officer,
            PostFactory(department=world.prosecution),
            started_on=current.started_on - datetime.timedelta(days=1),
            acting_user=None,
        )


def test_the_database_holds_one_current_post_per_officer(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        PostAssignment.objects.create(
            officer=world.officer, post=PostFactory(department=world.prosecution), started_on=datetime.date.today()
        )


def test_granting_a_role_again_replaces_its_departments_without_a_second_row(world):
    actions.grant_role(world.deputy, Role.DEPUTY_LEADER, world.city, departments=[world.office], acting_user=None)
    assignment = world.deputy.role_assignments.get(role=Role.DEPUTY_LEADER)
    assert list(assignment.departments.all()) == [world.office]


@pytest.mark.parametrize(
    ("role", "departments"),
    [
        (Role.DEPARTMENT_HEAD, []),
        (Role.DEPUTY_LEADER, []),
        (Role.PRINCIPAL_LEADER, ["prosecution"]),
        (Role.DEPARTMENT_HEAD, ["prosecution", "office"]),
    ],
)
def test_roles_that_make_no_sense_are_refused(world, role, departments):
    with pytest.raises(ValidationError):
        actions.grant_role(
            world.officer, role, world.city, departments=[getattr(world, d) for d in departments], acting_user=None
        )
    assert not world.officer.role_assignments.exists()


def test_a_role_cannot_reach_departments_of_another_institution(world):
    with pytest.raises(ValidationError):
        actions.grant_role(
            world.officer, Role.DEPARTMENT_HEAD, world.city, departments=[world.dh_officer.department], acting_user=None
        )


def test_a_revoked_role_is_kept_in_history(world):
    assignment = world.inspector.role_assignments.get()
    pk = assignment.pk
    actions.revoke_role(assignment, reason="调离纪检岗位", acting_user=world.admin)
    assert not world.inspector.role_assignments.exists()
    last = RoleAssignment.history.filter(id=pk).latest()
    assert (last.history_type, last.history_user, last.history_change_reason) == ("-", world.admin, "调离纪检岗位")


def test_a_new_officer_gets_a_first_post_and_an_unusable_password_unless_given_one():
    department = DepartmentFactory()
    officer = actions.create_officer(
        username="newcomer",
        full_name="新同志",
        department=department,
        post=PostFactory(department=department),
        acting_user=None,
    )
    assert officer.post_assignments.count() == 1
    assert not officer.has_usable_password()
    assert OfficerFactory().check_password("correct-horse-battery")
