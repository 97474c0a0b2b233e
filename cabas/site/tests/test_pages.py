"""The site's pages: the home page and an organisation's public page."""

import pytest
from django.urls import reverse

from cabas.sales.models import PickupPoint

pytestmark = pytest.mark.django_db


def test_the_home_page_lists_the_organisations_to_visitors(client, world):
    page = client.get(reverse("home")).content.decode()

    assert reverse("site:public", kwargs={"slug": world.org_a.slug}) in page


def test_a_member_lands_in_their_organisation(client, world):
    client.force_login(world.users["member"])

    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response.url == reverse("site:member_home", kwargs={"slug": world.org_a.slug})


def test_the_public_page_lists_the_pickup_points_with_their_map_data(client, world):
    PickupPoint.objects.create(
        organisation=world.org_a,
        name="Salle des fêtes de Vaour",
        address="Le bourg",
        latitude="44.070000",
        longitude="1.800000",
        access_instructions="Retrait au coffre de la voiture",
    )
    PickupPoint.objects.create(organisation=world.org_b, name="Point de B", address="Ailleurs")

    page = client.get(reverse("site:public", kwargs={"slug": "collectif-a"})).content.decode()

    assert "Salle des fêtes de Vaour" in page
    assert "Retrait au coffre de la voiture" in page
    assert 'id="pickup-map-data"' in page and "44.07" in page
    assert "leaflet.js" in page
    assert "Point de B" not in page
