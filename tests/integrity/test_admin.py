"""The Django admin answers to the administrator role and stays inside the administrator's institutions."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from integrity.models import Officer

pytestmark = pytest.mark.django_db


def test_only_administrators_enter_the_admin(client_for, world):
    assert client_for(world.admin).get(reverse("admin:index")).status_code == 200
    for persona in (world.officer, world.chief, world.inspector):
        response = client_for(persona).get(reverse("admin:index"))
        assert response.status_code == 302 and "login" in response["Location"]


def test_an_administrator_sees_only_their_institutions_accounts(client_for, world):
    from integrity import actions
    from integrity.choices import Role
    from tests.factories import OfficerFactory

    dh_admin = OfficerFactory(username="dh_admin", department=world.dh_officer.department)
    actions.grant_role(dh_admin, Role.ADMINISTRATOR, world.dh, acting_user=None)
    client = client_for(dh_admin)
    page = client.get(reverse("admin:integrity_officer_changelist")).content.decode()
    assert world.dh_officer.username in page and world.xs_officer.username not in page
    assert client.get(reverse("admin:integrity_officer_change", args=[world.xs_officer.pk])).status_code == 302


def test_an_officer_created_in_the_admin_gets_a_post_history(client_for, world):
    post = world.officer.post
    response = client_for(world.admin).post(
        reverse("admin:integrity_officer_add"),
        {
            "username": "newcomer",
            "full_name": "新同志",
            "staff_number": "",
            "department": world.prosecution.pk,
            "post": post.pk,
            "password1": "a-long-enough-pass-2026",
            "password2": "a-long-enough-pass-2026",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    newcomer = Officer.objects.get(username="newcomer")
    assert newcomer.institution == world.city and newcomer.post == post
    assert newcomer.post_assignments.count() == 1
    assert newcomer.history.earliest().history_user == world.admin


def test_nothing_is_deleted_from_the_admin(client_for, world):
    response = client_for(world.admin).get(reverse("admin:integrity_officer_delete", args=[world.officer.pk]))
    assert response.status_code == 403


def test_each_of_the_three_administrators_does_their_part_only(client_for, world):
    """三员分立: the system administrator keeps accounts and the organisation, the security administrator roles,
    resets and the security policy, the audit administrator the audit log; none reads a record."""
    from integrity import actions
    from integrity.choices import Role
    from tests.factories import OfficerFactory

    security = OfficerFactory(username="security", department=world.office)
    actions.grant_role(security, Role.SECURITY_ADMIN, world.city, acting_user=None)
    auditor = OfficerFactory(username="auditor", department=world.office)
    actions.grant_role(auditor, Role.AUDITOR, world.city, acting_user=None)
    pages = {
        "accounts": reverse("admin:integrity_officer_add"),
        "departments": reverse("admin:integrity_department_changelist"),
        "roles": reverse("admin:integrity_roleassignment_changelist"),
        "security policy": reverse("admin:integrity_securitypolicy_changelist"),
        "audit log": reverse("integrity:audit_log"),
        "clues": reverse("alerts:clue_list"),
        "board": reverse("alerts:board"),
    }
    allowed = {
        world.admin: {"accounts", "departments"},
        security: {"roles", "security policy"},
        auditor: {"audit log"},
    }
    for person, theirs in allowed.items():
        client = client_for(person)
        opened = {name for name, url in pages.items() if client.get(url).status_code == 200}
        assert opened == theirs, person.username
    with pytest.raises(ValidationError):  # and none takes on a business role
        actions.grant_role(security, Role.DISCIPLINE, world.city, acting_user=world.admin)


def test_a_department_stays_in_its_body_when_changed_in_the_admin(client_for, world):
    """Its officers and posts are its body's, and who may see them follows from that body: moving the department
    alone would leave its officers counted in one body and listed in another. Its name and order may change."""
    url = reverse("admin:integrity_department_change", args=[world.office.pk])
    response = client_for(world.admin).post(
        url, {"name": "综合办公室", "institution": world.dh.pk, "order": 3, "is_active": "on"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    world.office.refresh_from_db()
    assert (world.office.name, world.office.order, world.office.institution) == ("综合办公室", 3, world.city)
