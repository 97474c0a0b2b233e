"""No page sends a person to another site: every form of the permission matrix is posted
with ``next`` pointing off-site, and every redirect stays here. Views read ``next`` only
through cabas.core.redirects.safe_next (a guard below finds any other reading)."""

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.urls import reverse

from cabas.orgs.tests.test_permission_matrix import MATRIX

OFF_SITE = ["https://evil.example/", "//evil.example/x", "/\\evil.example/x", "http:evil.example"]


def stays_here(location: str) -> bool:
    parts = urlsplit(location)
    return (
        parts.netloc in ("", "testserver")
        and parts.scheme in ("", "http")
        and not (location.startswith(("//", "/\\")))
    )


def test_next_is_read_only_through_safe_next():
    readers = []
    for source in Path(settings.BASE_DIR, "cabas").glob("*/*.py"):
        text = source.read_text()
        if re.search(r"""(POST|GET|REQUEST)(\.get\(|\[)["']next["']""", text) and not (
            source.name == "redirects.py"
        ):
            readers.append(source.name)
    assert readers == []


@pytest.mark.parametrize("name", sorted(n for n, row in MATRIX.items() if row.method == "post"))
def test_a_form_never_redirects_off_site(world, client, name):
    row = MATRIX[name]
    url = reverse(name, kwargs=row.kwargs(world))
    for persona in ("coordinator", "member"):
        client.force_login(world.users[persona])
        for target in OFF_SITE:
            response = client.post(url, {**row.data(world), "next": target})
            location = response.get("Location", "")
            assert stays_here(location), f"{name} as {persona} redirects to {location}"


def test_the_quick_product_form_goes_back_to_a_page_of_this_site(world, client):
    from cabas.catalog.tests.factories import ProductFactory

    product = ProductFactory(organisation=world.org_a, producer=world.producer, name="Pain")
    client.force_login(world.users["coordinator"])
    url = reverse("catalog:product_quick", kwargs={"slug": "collectif-a", "pk": product.pk})
    data = {"name": "Pain", "price": "4.20", "is_active": "on"}

    for target in OFF_SITE:
        response = client.post(url, {**data, "next": target})
        assert response.status_code == 302
        assert response["Location"] == "/o/collectif-a/catalog/"
    response = client.post(url, {**data, "next": "/o/collectif-a/catalog/?page=2"})
    assert response["Location"] == "/o/collectif-a/catalog/?page=2"


def _next_of(response) -> str:
    from urllib.parse import parse_qs

    assert response.status_code == 302
    return parse_qs(urlsplit(response["Location"]).query)["next"][0]


def test_a_form_sent_once_the_session_ended_comes_back_to_its_page_after_logging_in(world, client):
    """The form's own address answers only a POST: coming back to it after logging in showed
    an empty « 405 » page. The page the form was on (this site's only), else the home."""
    slug = world.org_a.slug
    take = reverse("work:my_shift_take", args=[slug, 1])
    page = f"/o/{slug}/my-shifts/?week=2"

    from_page = client.post(take, headers={"referer": f"http://testserver{page}"})
    off_site = client.post(take, headers={"referer": "https://evil.example/o/x/"})
    no_referer = client.post(take)
    asked = client.get(f"/o/{slug}/orders/?page=2")

    assert _next_of(from_page) == page
    assert _next_of(off_site) == _next_of(no_referer) == f"/o/{slug}/home/"
    assert _next_of(asked) == f"/o/{slug}/orders/?page=2"  # a page asked for: itself
