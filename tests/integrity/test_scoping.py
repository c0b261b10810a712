"""Who sees whom: the rules of integrity.queries, persona by persona."""

import pytest
from django.urls import reverse

from integrity.queries import visible_departments, visible_institutions, visible_officers

pytestmark = pytest.mark.django_db


def names(queryset) -> set[str]:
    return {officer.username for officer in queryset}


def test_an_officer_sees_only_themselves(world):
    assert names(visible_officers(world.officer)) == {"officer"}


def test_a_department_head_sees_their_department(world):
    assert names(visible_officers(world.depthead)) == {"officer", "colleague", "depthead"}


def test_a_deputy_leader_sees_the_departments_in_their_charge(world):
    seen = names(visible_officers(world.deputy))
    assert {"officer", "colleague", "depthead", "deputy"} <= seen
    assert "other" not in seen  # 办公室 is not in the deputy's charge
    assert "dh_officer" not in seen  # and a deputy does not reach the bodies below


@pytest.mark.parametrize("persona", ["chief", "inspector"])
def test_leaders_and_discipline_staff_see_their_institution_and_the_bodies_below(world, persona):
    seen = names(visible_officers(getattr(world, persona)))
    assert {"officer", "other", "dh_officer", "xs_officer", "dh_inspector"} <= seen


def test_a_district_officer_is_visible_to_city_discipline_staff_and_not_to_the_other_district(world):
    assert world.dh_officer in visible_officers(world.inspector)
    assert world.dh_officer in visible_officers(world.dh_inspector)
    assert world.dh_officer not in visible_officers(world.xs_inspector)


def test_district_staff_never_see_sideways_or_upwards(world):
    seen = names(visible_officers(world.dh_inspector))
    assert "xs_officer" not in seen
    assert "officer" not in seen and "chief" not in seen
    assert set(visible_institutions(world.dh_inspector)) == {world.dh}


def test_institutions_and_departments_follow_the_same_scope(world):
    assert set(visible_institutions(world.inspector)) == {world.city, world.dh, world.xs}
    assert set(visible_institutions(world.officer)) == {world.city}
    assert set(visible_departments(world.officer)) == {world.prosecution}
    assert set(visible_departments(world.deputy)) >= {world.prosecution, world.investigation}
    assert world.office not in set(visible_departments(world.deputy))


def test_scope_is_read_once_per_user(world, django_assert_num_queries):
    user = world.inspector
    with django_assert_num_queries(1):  # the role assignments with their institutions and departments
        visible_officers(user)
        visible_departments(user)
        visible_institutions(user)


def test_a_role_in_an_inactive_institution_grants_nothing(world):
    world.dh.is_active = False
    world.dh.save(update_fields=["is_active"])
    assert names(visible_officers(world.dh_inspector)) == {"dh_inspector"}


def test_the_system_administrator_manages_accounts_and_reads_no_record(world, client_for):
    """三员分立: the system administrator sees the people (to manage their accounts), never their records."""
    from tests.alerts.records import for_district as district_alerts
    from tests.cases.records import for_district as district_case

    district_alerts(world), district_case(world)  # a clue, a warning, a case and a declaration exist
    assert names(visible_officers(world.admin)) == {"admin"}
    client = client_for(world.admin)
    assert client.get(world.dh_officer.get_absolute_url()).status_code == 200  # the account, posts, roles
    page = client.get(world.dh_officer.get_absolute_url()).content.decode()
    assert 'data-testid="integrity-archive"' not in page
    for name, args in [
        ("archives:archive", [world.dh_officer.pk, "integrity"]),
        ("alerts:board", []),
        ("alerts:clue_list", []),
        ("archives:quarters", []),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 404, name
    from alerts.queries import visible_clues, visible_warnings
    from archives.queries import archive_officers
    from cases.queries import visible_cases, visible_declarations

    for query in (visible_clues, visible_warnings, visible_cases, visible_declarations):
        assert query(world.inspector).exists() and not query(world.admin).exists(), query.__name__
    assert list(archive_officers(world.admin)) == [world.admin]


def test_one_sees_oneself_whether_or_not_one_oversees_ones_own_body(world):
    """Overseeing one's own body, one's own record is reached through its path and not named besides (an OR the
    planner could not walk in the bodies' order); overseeing another body only, it is named."""
    from integrity.choices import Role
    from integrity.models import Officer, RoleAssignment
    from integrity.queries import scope_for

    assert scope_for(world.inspector).oversees_own_body
    assert "'pk'" not in str(scope_for(world.inspector).officer_q())
    assert world.inspector in visible_officers(world.inspector)
    RoleAssignment.objects.create(officer=world.colleague, role=Role.DISCIPLINE, institution=world.dh)
    seconded = Officer.objects.get(pk=world.colleague.pk)
    assert not scope_for(seconded).oversees_own_body
    seen = names(visible_officers(seconded))
    assert {"colleague", "dh_officer", "dh_inspector"} <= seen and not {"officer", "xs_officer"} & seen
