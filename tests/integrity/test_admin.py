"""The Django admin answers to the administrator role and stays inside the administrator's institutions."""

import pytest
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

    actions.grant_role(world.dh_inspector, Role.ADMINISTRATOR, world.dh, acting_user=None)
    client = client_for(world.dh_inspector)
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
