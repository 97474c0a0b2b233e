"""The site's pages: the home page and an organisation's public page."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cabas.catalog.models import ProducerLink, Product
from cabas.catalog.tests.factories import ProducerFactory, ProducerLinkFactory, ProductFactory
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


def _public(client, world) -> str:
    url = reverse("site:public", kwargs={"slug": world.org_a.slug})
    return client.get(url).content.decode()


def test_the_public_list_of_products_is_escaped_and_french(client, world):
    ProductFactory(organisation=world.org_a, producer=world.producer,
                   name="<script>alert(1)</script> Tomme", price=Decimal("7.20"))  # fmt: skip
    world.producer.name = 'Ferme "<b>du Bourg</b>"'
    world.producer.save()

    page = _public(client, world)

    assert "<script>alert(1)</script>" not in page and "<b>du Bourg" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Tomme" in page
    assert "Ferme &quot;&lt;b&gt;du Bourg&lt;/b&gt;&quot;" in page
    assert "Nos producteurs et leurs produits" in page and "7,20\u00a0€" in page
    member = world.users["member"]
    member.language = "en"
    member.save(update_fields=["language"])
    client.force_login(member)
    assert "Our producers" in _public(client, world)  # one list kept per language


def test_the_public_list_is_kept_and_shows_any_change_at_once(client, world):
    product = ProductFactory(organisation=world.org_a, producer=world.producer, name="Tomme")
    with CaptureQueriesContext(connection) as built:
        assert "Tomme" in _public(client, world)
    with CaptureQueriesContext(connection) as kept:
        assert "Tomme" in _public(client, world)
    assert len(kept) < len(built)  # neither the producers nor their products read again

    # A write that skips ``updated_at`` still changes what the key is made of.
    Product.objects.filter(pk=product.pk).update(name="Tomme fraîche", price=Decimal("9.10"))
    assert "Tomme fraîche" in _public(client, world) and "9,10" in _public(client, world)
    Product.objects.filter(pk=product.pk).update(is_active=False)
    assert "Tomme fraîche" not in _public(client, world)
    ProducerLink.objects.filter(producer=world.producer).update(status="left")
    assert world.producer.name not in _public(client, world)


def test_the_public_list_costs_the_same_queries_for_10_and_500_products(client, world):
    """Built (a new list) or kept, the same queries whatever the catalogue's size."""
    other = ProducerFactory(name="Ferme voisine")
    ProducerLinkFactory(organisation=world.org_a, producer=other)
    counts = []
    for count in (10, 500):
        ProductFactory.create_batch(count // 2, organisation=world.org_a, producer=world.producer)
        ProductFactory.create_batch(count // 2, organisation=world.org_a, producer=other)
        with CaptureQueriesContext(connection) as built:
            _public(client, world)
        with CaptureQueriesContext(connection) as kept:
            page = _public(client, world)
        counts.append((len(built), len(kept)))
        Product.objects.filter(organisation=world.org_a).delete()

    assert page.count("<li>") >= 500
    assert counts[0] == counts[1]
