"""Distribution selectors rewritten for sales of 10,000 orders (issue 21) give the same
answers: the products of the « a product is missing » page, the check-in home's counts."""

import pytest
from django.urls import reverse

from cabas.distribution import selectors
from cabas.orders.models import Order
from cabas.orders.tests.factories import distribution_day

pytestmark = pytest.mark.django_db


def test_the_products_of_active_orders_only_are_listed_by_name():
    day = distribution_day()
    # The only order of the chicken is cancelled; its bread is in another order too.
    Order.objects.filter(pk=day.orders[0].pk).update(status=Order.Status.CANCELLED)

    products = [item.product for item in selectors.ordered_items(sale=day.sale)]

    assert [product.name for product in products] == ["Pain de campagne", "Tomates", "Tomme"]
    assert {product.producer.name for product in products} == {"Ferme du Cérou"}


def test_a_sale_whose_orders_are_all_cancelled_lists_no_product():
    day = distribution_day()
    Order.objects.filter(sale=day.sale).update(status=Order.Status.CANCELLED)

    assert list(selectors.ordered_items(sale=day.sale)) == []


def test_the_page_runs_a_fixed_number_of_queries(client, django_assert_num_queries):
    day = distribution_day()
    client.force_login(day.volunteer)
    url = reverse("distribution:sale_missing", args=[day.organisation.slug, day.sale.pk])
    client.get(url)  # the session and the organisation's caches warm

    # One more since the items shown say whether they are already missing (one query for
    # the page, whatever its number of items).
    with django_assert_num_queries(9):
        page = client.get(url).content.decode()

    assert "Ferme du Cérou — Tomme" in page
    assert "Savon" not in page


def test_the_check_in_home_counts_each_pickups_active_orders():
    day = distribution_day()
    Order.objects.filter(pk=day.orders[0].pk).update(status=Order.Status.CANCELLED)

    counts = {
        pickup.pk: pickup.order_count
        for pickup in selectors.checkin_pickups(
            organisation=day.organisation, now=day.pickup.starts_at
        )
    }

    assert counts[day.pickup.pk] == 2  # three orders there, one cancelled
    assert counts[day.open_pickup.pk] == 0
