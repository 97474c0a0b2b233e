"""Sales per day: net drive-order movements over a period, one query, by hand."""

from datetime import date
from decimal import Decimal

import pytest

from cabas.supply import sales_rate
from cabas.supply.tests.factories import ShopProductFactory
from cabas.supply.tests.ledger import Reason, at, move

START, END = date(2026, 11, 1), date(2026, 11, 10)  # ten days


@pytest.fixture
def products(world):
    org = world.org_a
    flour = ShopProductFactory(organisation=org, producer=world.producer, name="Farine")
    oil = ShopProductFactory(organisation=org, producer=world.producer, name="Huile")
    move(flour, 100, Reason.RECEPTION, at(1, 8))
    move(oil, 10, Reason.RECEPTION, at(1, 8))
    move(flour, -6, Reason.ORDER_PLACED, at(2))
    move(flour, -2, Reason.ORDER_CHANGED, at(3))
    move(flour, 3, Reason.ORDER_CANCELLED, at(4))
    move(flour, -1, Reason.ORDER_CORRECTED, at(5))
    move(flour, -50, Reason.LOSS, at(5))  # not a sale
    move(flour, -4, Reason.ORDER_PLACED, at(11, 0, 12))  # after the period
    # 23:30 in Paris on 10 November is still the 10th (22:30 UTC).
    move(flour, -4, Reason.ORDER_PLACED, at(10, 23))
    # Only a cancellation of an order placed before the period: never negative sales.
    move(oil, 2, Reason.ORDER_CANCELLED, at(6))
    return {"org": org, "flour": flour, "oil": oil}


def test_sales_per_day_by_hand(products):
    org, flour, oil = products["org"], products["flour"], products["oil"]
    sold = sales_rate.units_sold(organisation=org, start=START, end=END)
    assert sold == {flour.pk: Decimal("10"), oil.pk: Decimal("0")}  # 6 + 2 − 3 + 1 + 4
    rates = sales_rate.sales_per_day(organisation=org, start=START, end=END)
    assert rates == {flour.pk: Decimal("1.000"), oil.pk: Decimal("0.000")}
    # The first day only: 6 sold on the 2nd.
    rates = sales_rate.sales_per_day(
        organisation=org, start=date(2026, 11, 2), end=date(2026, 11, 2)
    )
    assert rates == {flour.pk: Decimal("6.000")}


def test_sales_per_day_for_some_products_and_other_organisations(world, products):
    org, flour, oil = products["org"], products["flour"], products["oil"]
    assert sales_rate.sales_per_day(organisation=org, start=START, end=END, products=[oil]) == {
        oil.pk: Decimal("0.000")
    }
    assert sales_rate.sales_per_day(
        organisation=org, start=START, end=END, products=[flour.pk]
    ) == {flour.pk: Decimal("1.000")}
    assert sales_rate.sales_per_day(organisation=world.org_b, start=START, end=END) == {}
    three_days = sales_rate.sales_per_day(
        organisation=org, start=date(2026, 11, 1), end=date(2026, 11, 3)
    )
    assert three_days[flour.pk] == Decimal("2.667")  # 8 / 3


def test_one_query_whatever_the_number_of_products(world, products, django_assert_num_queries):
    for number in range(4):
        product = ShopProductFactory(organisation=world.org_a, producer=world.producer)
        move(product, 10, Reason.RECEPTION, at(1))
        move(product, -number - 1, Reason.ORDER_PLACED, at(3))
    with django_assert_num_queries(1):
        rates = sales_rate.sales_per_day(organisation=world.org_a, start=START, end=END)
    assert len(rates) == 6


def test_period_and_days_of_cover():
    assert sales_rate.period_ending(END, 10) == (START, END)
    assert sales_rate.days_of_cover(Decimal("7"), Decimal("2.000")) == Decimal("3.5")
    assert sales_rate.days_of_cover(Decimal("0"), Decimal("2")) == Decimal("0")
    assert sales_rate.days_of_cover(Decimal("5"), Decimal("0")) is None
    with pytest.raises(ValueError):
        sales_rate.sales_per_day(organisation=None, start=END, end=START)
