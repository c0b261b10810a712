"""The user guide in the product: every role's page of docs/guide, reachable from the user menu, its screenshots
served, nothing else of the repository."""

from __future__ import annotations

import pytest
from django.urls import reverse

from desk import guide

pytestmark = pytest.mark.django_db


def test_the_guide_lists_a_page_per_role_each_with_its_screenshots(world, client_for):
    client = client_for(world.officer)
    home = client.get(reverse("home")).content.decode()
    assert reverse("help_index") in home  # in the user menu
    index = client.get(reverse("help_index")).content.decode()
    slugs = [slug for slug, _title in guide.pages()]
    assert slugs == ["officer", "head", "leader", "discipline", "intake", "case-management", "administrators"]
    for slug in slugs:
        assert reverse("help", args=[slug]) in index
        page = client.get(reverse("help", args=[slug])).content.decode()
        images = [part.split('"')[0] for part in page.split('src="/help/img/')[1:]]
        assert images, slug
        for name in images:
            response = client.get(reverse("help_image", args=[name]))
            assert response.status_code == 200 and response["Content-Type"] == "image/png", name


@pytest.mark.parametrize("slug", ["nothing", "README", "../README"])
def test_only_the_guides_pages_are_served(world, client_for, slug):
    client = client_for(world.officer)
    assert client.get(f"/help/{slug}/").status_code == 404
    assert client.get("/help/img/..%2F..%2Fpyproject.toml").status_code == 404
    assert client.get(reverse("help_image", args=["missing.png"])).status_code == 404
