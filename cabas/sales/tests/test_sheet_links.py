"""The printable sheets of each pickup (preparation list, attendance sheet, labels) are one tap
away from the sale's page and the pickup's page, once the sale takes or took orders."""

import re

import pytest
from django.urls import reverse

from cabas.orders.tests.factories import open_shop
from cabas.orgs.models import Membership

pytestmark = pytest.mark.django_db


def _coordinator(shop, client):
    coordinator = shop.member(email="coordination@example.org")
    Membership.objects.filter(user=coordinator).update(is_coordinator=True)
    client.force_login(coordinator)


def _sheet_urls(slug, pickup):
    return [
        reverse(f"distribution:{name}", kwargs={"slug": slug, "pickup_id": pickup.pk})
        for name in ("preparation", "attendance", "labels")
    ]


def _links(html: str) -> list[str]:
    return re.findall(r'href="([^"]+/(?:preparation|attendance|labels)/)"', html)


def test_the_sale_page_links_each_pickups_sheets(client):
    shop = open_shop()
    _coordinator(shop, client)
    slug = shop.organisation.slug

    page = client.get(reverse("sales:sale_detail", kwargs={"slug": slug, "sale_id": shop.sale.pk}))

    html = page.content.decode()
    assert "Feuilles à imprimer" in html
    pickups = sorted(shop.sale.pickups.all(), key=lambda p: (p.starts_at, p.pk))
    assert sorted(_links(html)) == sorted(
        url for pickup in pickups for url in _sheet_urls(slug, pickup)
    )
    for url in _links(html):
        assert client.get(url).status_code == 200, url


def test_the_pickup_page_links_its_sheets(client):
    shop = open_shop()
    _coordinator(shop, client)
    slug = shop.organisation.slug

    page = client.get(
        reverse("sales:pickup_detail", kwargs={"slug": slug, "pickup_id": shop.pickup.pk})
    )

    html = page.content.decode()
    assert _links(html) == _sheet_urls(slug, shop.pickup)
    assert "Liste de préparation" in html and "Feuille d’émargement" in html


def test_no_sheets_before_the_sale_takes_orders(client):
    shop = open_shop()
    shop.sale.status = "draft"
    shop.sale.save(update_fields=["status"])
    _coordinator(shop, client)
    slug = shop.organisation.slug

    sale_page = client.get(
        reverse("sales:sale_detail", kwargs={"slug": slug, "sale_id": shop.sale.pk})
    )
    pickup_page = client.get(
        reverse("sales:pickup_detail", kwargs={"slug": slug, "pickup_id": shop.pickup.pk})
    )

    assert _links(sale_page.content.decode()) == []
    assert _links(pickup_page.content.decode()) == []


def test_the_sale_pages_sheets_read_the_date_as_the_pickups_table_does(client):
    """ "jeu 3 déc., 17:00" (French abbreviated month, small letter), not "jeu 3 Déc"."""
    shop = open_shop()
    _coordinator(shop, client)
    url = reverse(
        "sales:sale_detail", kwargs={"slug": shop.organisation.slug, "sale_id": shop.sale.pk}
    )

    html = client.get(url, headers={"accept-language": "fr"}).content.decode()

    sheets = html[html.index('class="sheet-links"') :]
    dates = re.findall(r'<span class="muted">([^<]+)</span>', sheets)
    assert dates
    for date in dates:
        assert re.fullmatch(r"[a-z]{3} \d{1,2} [a-zéû]+\.?, \d\d:\d\d", date), date
        assert date.split(",")[0] in html[: html.index('class="sheet-links"')]  # as in the table
