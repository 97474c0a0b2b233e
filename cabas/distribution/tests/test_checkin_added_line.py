"""A coordinator adds a line on the check-in screen: bad input is a clear refusal, never a
500, and nothing changes."""

import pytest
from django.urls import reverse

from cabas.orders.models import OrderLine
from cabas.orders.tests.factories import distribution_day
from cabas.orgs.models import Membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def day():
    day = distribution_day()
    day.coordinator = day.member(first_name="Coline", last_name="Zérah")
    Membership.objects.filter(user=day.coordinator).update(is_coordinator=True)
    return day


def _add(client, day, **posted):
    order = day.orders[0]
    url = reverse("distribution:checkin_order", args=[day.organisation.slug, order.code])
    data = {"action": "add_line", "reason": "Oubli au téléphone", **posted}
    return client.post(url, data, follow=True, headers={"accept-language": "fr"})


@pytest.mark.parametrize("product", ["abc", "", "-1", "9" * 30, "999999"])
def test_a_forged_product_is_not_found(client, day, product):
    client.force_login(day.coordinator)
    before = list(OrderLine.objects.values_list("pk", "quantity"))

    assert _add(client, day, product=product, quantity="1").status_code == 404
    assert list(OrderLine.objects.values_list("pk", "quantity")) == before


@pytest.mark.parametrize(
    ("quantity", "message"),
    [
        ("abc", "« abc » n’est pas une quantité."),
        ("", "Indiquez une quantité."),
        ("99,999", "« Tomates » : au plus 50 kg par commande."),
    ],
)
def test_a_bad_quantity_says_why(client, day, quantity, message):
    client.force_login(day.coordinator)
    before = list(OrderLine.objects.values_list("pk", "quantity"))

    response = _add(client, day, product=day.products["tomatoes"].pk, quantity=quantity)

    assert message in response.content.decode()
    assert list(OrderLine.objects.values_list("pk", "quantity")) == before
