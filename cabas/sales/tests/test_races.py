"""Counters under concurrent writers (PostgreSQL: SQLite serialises every writer anyway)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from cabas.catalog.models import Product
from cabas.catalog.tests.factories import ProducerLinkFactory, ProductFactory
from cabas.core.tests.concurrency import postgresql_only, run_together
from cabas.orgs.tests.factories import OrganisationFactory
from cabas.sales import errors, services
from cabas.sales.models import Pickup, SaleItem, Slot, SlotMode
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
    return sale, pickup, pickup.slots.get()


def test_twenty_bookers_for_the_last_three_places_exactly_three_succeed():
    _sale, pickup, slot = open_sale_with_a_slot(capacity=3)

    def book():
        try:
            services.slot_book(slot_id=slot.pk)
        except errors.SlotFull:
            return "full"
        return "booked"

    results = run_together(lambda _i: book(), BUYERS)

    assert sorted(results) == ["booked"] * 3 + ["full"] * 17
    assert Slot.objects.get(pk=slot.pk).booked == 3
    assert Pickup.objects.get(pk=pickup.pk).booked == 3


def test_twenty_buyers_for_the_last_three_units_exactly_three_succeed():
    sale, _pickup, _slot = open_sale_with_a_slot(capacity=50)
    link = ProducerLinkFactory(organisation=sale.organisation)
    ProductFactory(
        organisation=sale.organisation,
        producer=link.producer,
        stock_mode=Product.StockMode.PER_SALE,
        default_quantity_per_sale=Decimal("3"),
    )
    services.sale_items_sync(sale=sale)
    item = sale.items.get()

    def buy():
        try:
            services.sale_item_reserve(item_id=item.pk, quantity=Decimal("1"))
        except errors.SoldOut:
            return "sold out"
        return "bought"

    results = run_together(lambda _i: buy(), BUYERS)

    assert sorted(results) == ["bought"] * 3 + ["sold out"] * 17
    assert SaleItem.objects.get(pk=item.pk).quantity_ordered == Decimal("3")
