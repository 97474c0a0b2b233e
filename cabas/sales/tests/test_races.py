"""Counters under concurrent writers (PostgreSQL: SQLite serialises every writer anyway)."""

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from cabas.catalog.models import Product
from cabas.catalog.tests.factories import ProducerLinkFactory, ProductFactory
from cabas.orgs.tests.factories import OrganisationFactory
from cabas.sales import errors, services
from cabas.sales.models import Pickup, SaleItem, Slot, SlotMode
from cabas.sales.tests.factories import PickupPointFactory

pytestmark = [pytest.mark.race, pytest.mark.django_db(transaction=True)]

BUYERS = 20


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("race tests need PostgreSQL (SQLite runs one writer at a time)")


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


def run_together(action):
    barrier = threading.Barrier(BUYERS)
    results = []
    lock = threading.Lock()

    def worker():
        try:
            barrier.wait()
            outcome = action()
        finally:
            connection.close()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=worker) for _ in range(BUYERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_twenty_bookers_for_the_last_three_places_exactly_three_succeed():
    _sale, pickup, slot = open_sale_with_a_slot(capacity=3)

    def book():
        try:
            services.slot_book(slot_id=slot.pk)
        except errors.SlotFull:
            return "full"
        return "booked"

    results = run_together(book)

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

    results = run_together(buy)

    assert sorted(results) == ["bought"] * 3 + ["sold out"] * 17
    assert SaleItem.objects.get(pk=item.pk).quantity_ordered == Decimal("3")
