"""A product said missing is shown so where people look: the missing products page, the
picking page and the member's order page."""

import re

import pytest
from django.test import TestCase
from django.urls import reverse

from cabas.orders import services
from cabas.orders.tests.factories import distribution_day, line_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def day():
    day = distribution_day()
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.sale_product_set_missing(sale=day.sale, product=day.products["cheese"],
                                          by=day.volunteer, reason="Grêle")  # fmt: skip
    return day


def _row(page: str, name: str) -> str:
    return next(row for row in re.findall(r"<tr.*?</tr>", page, re.S) if name in row)


def test_the_missing_products_page_shows_a_product_already_removed(client, day):
    client.force_login(day.volunteer)
    url = reverse("distribution:sale_missing", args=[day.organisation.slug, day.sale.pk])

    page = client.get(url, headers={"accept-language": "fr"}).content.decode()

    tomme = _row(page, "Tomme")
    assert 'class="missing"' in tomme and "manquant" in tomme
    assert "Retiré de 2 commandes." in tomme and "<form" not in tomme  # not offered again
    bread = _row(page, "Pain")
    assert "manquant" not in bread and "<form" in bread


def test_the_picking_page_strikes_a_missing_line(client, day):
    client.force_login(day.volunteer)
    order = day.orders[1]
    url = reverse("distribution:picking", args=[day.organisation.slug, order.pickup_id])

    page = client.get(url, headers={"accept-language": "fr"}).content.decode()

    assert re.search(r'<li class="missing"><s>Tomme · [^<]*</s> <span class="badge warn">'
                     r"manquant</span>", page)  # fmt: skip


def test_the_members_order_page_marks_a_missing_line(client, day):
    order = day.orders[1]
    assert line_of(order, "Tomme").is_missing
    client.force_login(order.user)

    page = client.get(
        reverse("orders:order", args=[day.organisation.slug, order.code]),
        headers={"accept-language": "fr"},
    ).content.decode()

    tomme = _row(page, "Tomme")
    assert '<tr class="missing"><td><s>Tomme</s> <span class="badge warn">manquant</span>' in tomme
    assert 'class="missing"' not in _row(page, "Pain")
