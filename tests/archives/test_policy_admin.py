"""Each body's archive policy (the quarterly assessment's points and grades, the talks' and reports' deadlines) is
kept in the admin by the administrators of that body and those above it, like the other policies."""

from __future__ import annotations

import pytest
from django.urls import reverse

from archives.models import ArchivePolicy
from archives.queries import archive_policy
from integrity import actions
from integrity.choices import Role
from tests.factories import OfficerFactory

pytestmark = pytest.mark.django_db


def test_an_administrator_sets_the_archive_policy_of_their_bodies_only(client_for, world):
    city = ArchivePolicy.objects.create(institution=world.city)
    client = client_for(world.admin)
    add = client.post(
        reverse("admin:archives_archivepolicy_add"),
        {
            **{f.name: f.default for f in ArchivePolicy._meta.fields if f.name not in ("id", "institution")},
            "institution": world.dh.pk, "excellent_from": 95,
        },
    )  # fmt: skip
    assert add.status_code == 302, add.content.decode()[:2000]
    assert archive_policy(world.dh).excellent_from == 95 and archive_policy(world.xs).excellent_from == 90
    assert ArchivePolicy.objects.get(institution=world.dh).history.get().history_user == world.admin

    district_admin = OfficerFactory(username="dh_admin", department=world.dh_officer.department)
    actions.grant_role(district_admin, Role.ADMINISTRATOR, world.dh, acting_user=None)
    page = client_for(district_admin).get(reverse("admin:archives_archivepolicy_changelist")).content.decode()
    assert world.dh.name in page and world.city.name not in page
    city_page = reverse("admin:archives_archivepolicy_change", args=[city.pk])
    assert client_for(district_admin).get(city_page).status_code in (302, 404)
    assert client_for(world.officer).get(reverse("admin:archives_archivepolicy_changelist")).status_code in (302, 403)
