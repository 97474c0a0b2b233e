"""What a sale offers: every active product of every producer supplying that day, minus what
coordinators leave out and producers mark unavailable; limited quantities never oversold."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from cabas.catalog.models import ProducerLink, Product
from cabas.catalog.tests.factories import ProducerLinkFactory, ProductFactory
from cabas.orders import errors as order_errors
from cabas.orders import services as order_services
from cabas.orgs.tests.factories import OrganisationFactory
from cabas.sales import errors, selectors, services
from cabas.sales.models import SaleItem, SalesSettings, SlotMode
from cabas.sales.tests.booking import place_order
from cabas.sales.tests.factories import PickupPointFactory, SaleFactory

pytestmark = pytest.mark.django_db

OPENS = datetime(2026, 11, 2, 7, 0, tzinfo=UTC)
NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
CUTOFF = datetime(2026, 11, 4, 22, 0, tzinfo=UTC)


@pytest.fixture
def organisation():
    return OrganisationFactory()


@pytest.fixture
def catalog(organisation):
    farm = ProducerLinkFactory(organisation=organisation).producer
    dairy = ProducerLinkFactory(organisation=organisation).producer
    return {
        "farm": farm,
        "dairy": dairy,
        "carrots": ProductFactory(organisation=organisation, producer=farm, name="Carottes"),
        "leeks": ProductFactory(organisation=organisation, producer=farm, name="Poireaux"),
        "old": ProductFactory(
            organisation=organisation, producer=farm, name="Retiré", is_active=False
        ),
        "tomme": ProductFactory(
            organisation=organisation,
            producer=dairy,
            name="Tomme",
            unit_kind="weight",
            min_quantity=Decimal("0.5"),
            quantity_step=Decimal("0.5"),
            stock_mode=Product.StockMode.PER_SALE,
            default_quantity_per_sale=Decimal("12"),
        ),
    }


def new_sale(organisation):
    return services.sale_create(
        organisation=organisation, title="Vente", opens_at=OPENS, closes_at=CUTOFF
    )


def opened_with_a_pickup(sale):
    """The sale open at NOW with a pickup (no slots) after its cutoff, ready for orders."""
    pickup = services.pickup_create(
        sale=sale,
        pickup_point=PickupPointFactory(organisation=sale.organisation),
        starts_at=CUTOFF + timedelta(days=1),
        ends_at=CUTOFF + timedelta(days=1, hours=2),
        slot_mode=SlotMode.UNLIMITED,
    )
    services.sale_open_now(sale=sale, now=NOW)
    sale.refresh_from_db()
    return pickup


def names(queryset):
    return sorted(queryset.values_list("product__name", flat=True))


def test_by_default_every_active_product_of_every_supplying_producer(organisation, catalog):
    other = OrganisationFactory()
    ProductFactory(organisation=other, name="Ailleurs")
    left = ProducerLinkFactory(organisation=organisation, status=ProducerLink.Status.LEFT)
    ProductFactory(organisation=organisation, producer=left.producer, name="Parti")
    ended = ProducerLinkFactory(
        organisation=organisation,
        status=ProducerLink.Status.TEMPORARY,
        end_date=date(2026, 11, 1),
    )
    ProductFactory(organisation=organisation, producer=ended.producer, name="Fini")
    still = ProducerLinkFactory(
        organisation=organisation,
        status=ProducerLink.Status.TEMPORARY,
        end_date=date(2026, 11, 30),
    )
    ProductFactory(organisation=organisation, producer=still.producer, name="Temporaire")

    sale = new_sale(organisation)

    assert names(sale.items.all()) == ["Carottes", "Poireaux", "Temporaire", "Tomme"]
    tomme = sale.items.get(product=catalog["tomme"])
    assert (tomme.quantity_available, tomme.quantity_ordered) == (Decimal("12"), Decimal("0"))
    assert sale.items.get(product=catalog["carrots"]).quantity_available is None


def test_coordinator_leaves_out_a_producer_or_a_product(organisation, catalog):
    sale = new_sale(organisation)

    services.sale_producer_set_excluded(sale=sale, producer=catalog["farm"], excluded=True)
    assert names(sale.items.offered()) == ["Tomme"]
    # New products of a left-out producer arrive left out.
    ProductFactory(organisation=organisation, producer=catalog["farm"], name="Navets")
    assert services.sale_items_sync(sale=sale) == 1
    assert names(sale.items.offered()) == ["Tomme"]

    services.sale_producer_set_excluded(sale=sale, producer=catalog["farm"], excluded=False)
    services.sale_item_set_excluded(item=sale.items.get(product=catalog["leeks"]), excluded=True)
    assert names(sale.items.offered()) == ["Carottes", "Navets", "Tomme"]
    producers = selectors.sale_producers(sale=sale)
    assert [(p["name"], p["items"], p["offered"], p["excluded"]) for p in producers] == [
        (catalog["farm"].name, 3, 2, False),
        (catalog["dairy"].name, 1, 1, False),
    ]


def test_producer_marks_a_product_unavailable(organisation, catalog):
    sale = new_sale(organisation)
    services.sale_item_set_unavailable(
        item=sale.items.get(product=catalog["tomme"]), unavailable=True
    )
    assert names(sale.items.offered()) == ["Carottes", "Poireaux"]


def test_a_deactivated_product_is_no_longer_offered(organisation, catalog):
    sale = new_sale(organisation)
    Product.objects.filter(pk=catalog["leeks"].pk).update(is_active=False)
    assert names(sale.items.offered()) == ["Carottes", "Tomme"]


def test_limited_quantity_is_never_oversold(organisation, catalog):
    sale = new_sale(organisation)
    pickup = opened_with_a_pickup(sale)
    tomme = sale.items.get(product=catalog["tomme"])

    first = place_order(sale, pickup=pickup, item=tomme, quantity="10", now=NOW)
    with pytest.raises(order_errors.OutOfStock) as caught:
        place_order(sale, pickup=pickup, item=tomme, quantity="3", now=NOW)
    assert str(caught.value) == "Not enough “Tomme” left: 2\u00a0kg available."
    tomme.refresh_from_db()
    assert tomme.quantity_ordered == 10
    place_order(sale, pickup=pickup, item=tomme, quantity="2", now=NOW)
    tomme.refresh_from_db()
    assert tomme.quantity_ordered == 12

    # The first member lowers their order: 4 are given back.
    order_services.order_change(
        order=first, lines=[(tomme.product_id, Decimal("6"))], pickup_id=pickup.pk,
        slot_id=None, now=NOW,
    )  # fmt: skip
    tomme.refresh_from_db()
    assert (tomme.quantity_ordered, tomme.quantity_remaining) == (Decimal("8"), Decimal("4"))


def test_quantity_available_never_below_what_is_ordered(organisation, catalog):
    sale = new_sale(organisation)
    pickup = opened_with_a_pickup(sale)
    tomme = sale.items.get(product=catalog["tomme"])
    place_order(sale, pickup=pickup, item=tomme, quantity="7.5", now=NOW)

    with pytest.raises(errors.QuantityBelowOrdered) as caught:
        services.sale_item_set_quantity(item=tomme, quantity=Decimal("7"))
    assert (
        str(caught.value)
        == "7.5 have already been ordered: the quantity available cannot be lower."
    )
    with pytest.raises(errors.QuantityInvalid):
        services.sale_item_set_quantity(item=tomme, quantity=Decimal("-1"))
    tomme.refresh_from_db()
    assert tomme.quantity_available == Decimal("12")

    assert services.sale_item_set_quantity(item=tomme, quantity=None).quantity_available is None
    assert (
        services.sale_item_set_quantity(item=tomme, quantity=Decimal("8")).quantity_available == 8
    )


def test_minimum_order_amount_organisation_default_and_sale_override(organisation):
    sale = SaleFactory(organisation=organisation)
    assert selectors.sale_minimum_order_amount(sale=sale) == Decimal("0.00")

    services.sales_settings_update(organisation=organisation, minimum_order_amount=Decimal("15"))
    assert selectors.sale_minimum_order_amount(sale=sale) == Decimal("15")

    sale.minimum_order_amount = Decimal("25.50")
    assert selectors.sale_minimum_order_amount(sale=sale) == Decimal("25.50")

    with pytest.raises(errors.AmountNegative):
        services.sales_settings_update(
            organisation=organisation, minimum_order_amount=Decimal("-1")
        )
    assert SalesSettings.objects.get(organisation=organisation).minimum_order_amount == 15


def test_deleting_a_sale_with_orders_is_refused(organisation, catalog):
    # Orders exist only once a sale is open, and an open sale is never deleted (the check on
    # booked places and ordered quantities of sale_delete is a backstop).
    sale = new_sale(organisation)
    pickup = opened_with_a_pickup(sale)
    item = sale.items.get(product=catalog["carrots"])
    place_order(sale, pickup=pickup, item=item, now=NOW)

    with pytest.raises(errors.SaleStatusInvalid):
        services.sale_delete(sale=sale)
    assert SaleItem.objects.filter(sale=sale).count() == 3

    draft = new_sale(organisation)
    services.sale_delete(sale=draft)
    assert SaleItem.objects.filter(sale=draft).count() == 0
    assert not type(sale).objects.filter(pk=draft.pk).exists()


def test_sync_is_idempotent(organisation, catalog):
    sale = new_sale(organisation)
    assert services.sale_items_sync(sale=sale) == 0
    assert sale.items.count() == 3
