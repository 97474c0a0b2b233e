"""Counters under concurrent members' orders (PostgreSQL: SQLite serialises every writer
anyway). Every place and quantity is taken by ``order_place``, the production path."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from cabas.catalog.models import Product
from cabas.core.tests.concurrency import postgresql_only, run_together
from cabas.orders import errors as order_errors
from cabas.orgs.tests.factories import OrganisationFactory
from cabas.sales import services
from cabas.sales.models import Pickup, SaleItem, Slot, SlotMode
from cabas.sales.tests.booking import a_member, an_item, place_order
from cabas.sales.tests.factories import PickupPointFactory

pytestmark = [pytest.mark.race, pytest.mark.django_db(transaction=True)]

BUYERS = 20


@pytest.fixture(autouse=True)
def _postgresql_only():
    postgresql_only()


def open_sale_with_a_slot(capacity):
    organisation = OrganisationFactory()
    now = timezone.now()
    sale = services.sale_create(
        organisation=organisation,
        title="Vente",
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=1),
    )
    pickup = services.pickup_create(
        sale=sale,
        pickup_point=PickupPointFactory(organisation=organisation),
        starts_at=now + timedelta(days=2),
        ends_at=now + timedelta(days=2, minutes=15),
        slot_mode=SlotMode.SLOTS,
        slot_minutes=15,
        slot_capacity=capacity,
    )
    services.sale_schedule(sale=sale)
    sale.refresh_from_db()
    return sale, pickup, pickup.slots.get()


def test_twenty_members_for_the_last_three_places_exactly_three_succeed():
    sale, pickup, slot = open_sale_with_a_slot(capacity=3)
    item = an_item(sale)
    members = [a_member(sale.organisation) for _ in range(BUYERS)]

    def book(index):
        try:
            place_order(sale, pickup=pickup, slot=slot, item=item, user=members[index])
        except order_errors.SlotFull:
            return "full"
        return "booked"

    results = run_together(book, BUYERS)

    assert sorted(results) == ["booked"] * 3 + ["full"] * 17
    assert Slot.objects.get(pk=slot.pk).booked == 3
    assert Pickup.objects.get(pk=pickup.pk).booked == 3
    assert sale.orders.count() == 3


def test_twenty_members_for_the_last_three_units_exactly_three_succeed():
    sale, pickup, slot = open_sale_with_a_slot(capacity=50)
    item = an_item(
        sale, stock_mode=Product.StockMode.PER_SALE, default_quantity_per_sale=Decimal("3")
    )
    members = [a_member(sale.organisation) for _ in range(BUYERS)]

    def buy(index):
        try:
            place_order(sale, pickup=pickup, slot=slot, item=item, user=members[index])
        except order_errors.OutOfStock:
            return "sold out"
        return "bought"

    results = run_together(buy, BUYERS)

    assert sorted(results) == ["bought"] * 3 + ["sold out"] * 17
    assert SaleItem.objects.get(pk=item.pk).quantity_ordered == Decimal("3")
    assert Slot.objects.get(pk=slot.pk).booked == 3
