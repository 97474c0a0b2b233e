"""Receptions follow the global lock order (cabas/core/lock_order.py): the purchase order,
then the reception, then the products' shop stock by primary key. Recorded on PostgreSQL
(SQLite takes no row lock)."""

from decimal import Decimal

import pytest

from cabas.core.tests.locks import locks_of, skip_unless_postgresql
from cabas.supply import errors, services
from cabas.supply.tests.test_receptions import Delivery

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture(autouse=True)
def _postgresql_only():
    skip_unless_postgresql()


def test_starting_counting_and_validating_a_reception(world):
    delivery = Delivery(world.org_a, world.producer)
    user = world.users["supply"]

    reception, recording = locks_of(
        lambda: services.reception_start(purchase_order=delivery.order, started_by=user)
    )
    assert recording.tables() == ["supply_purchaseorder"]
    line = reception.lines.get(product=delivery.flour)
    _r, recording = locks_of(
        lambda: services.reception_line_count(line=line, received_quantity=D("10"), counted_by=user)
    )
    assert recording.tables() == ["supply_purchaseorder", "supply_reception"]
    _r, recording = locks_of(
        lambda: services.reception_validate(reception=reception, made_by=user),
        refused=errors.ReceptionNotCounted,
    )
    services.reception_all_as_ordered(reception=reception, counted_by=user)

    _r, recording = locks_of(lambda: services.reception_validate(reception=reception, made_by=user))

    assert recording.tables() == ["supply_purchaseorder", "supply_reception", "catalog_product"]


def test_validating_a_delivery_without_an_order(world):
    delivery = Delivery(world.org_a, world.producer)
    user = world.users["supply"]
    reception = services.reception_start(supplier=delivery.supplier, started_by=user)
    services.reception_line_add(
        reception=reception, product=delivery.rice, received_quantity=D("2"), counted_by=user
    )

    _r, recording = locks_of(lambda: services.reception_validate(reception=reception, made_by=user))

    assert recording.tables() == ["supply_reception", "catalog_product"]
