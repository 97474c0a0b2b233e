"""Inventory sessions: counting (several people, re-counts), validation writing exactly the
differences as inventory movements, refusals, and the pages (counting, differences, report)."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cabas.catalog import errors, inventories, services
from cabas.catalog.models import InventoryCount, InventorySession, Product, StockMovement
from cabas.catalog.tests.factories import ProductFactory
from cabas.core import tables

D = Decimal
NOW = datetime(2026, 3, 14, 10, 0, tzinfo=UTC)
pytestmark = pytest.mark.django_db


def _shop_product(organisation, producer, name, stock, **kwargs) -> Product:
    product = ProductFactory(
        organisation=organisation, producer=producer, name=name, stock_mode="shop",
        stock_quantity=D(stock), **kwargs,
    )  # fmt: skip
    services.stock_openings_record(products=[product])
    return product


@pytest.fixture
def shelf(world):
    """Three shop-stock products of organisation A: two groceries, one cheese."""
    make = _shop_product
    return {
        "rice": make(
            world.org_a,
            world.producer,
            "Riz",
            "10",
            category="grocery",
            price=D("4.22"),
            vat_rate=D("5.50"),
        ),  # fmt: skip
        "lentils": make(world.org_a, world.producer, "Lentilles", "6", category="grocery"),
        "tomme": make(world.org_a, world.producer, "Tomme", "3", category="dairy-cheese"),
    }


def _start(world, **kwargs):
    return inventories.inventory_start(
        organisation=world.org_a, name="Rayon épicerie", started_by=world.users["coordinator"],
        **kwargs,
    )  # fmt: skip


def _count(session, product, quantity, user, now=NOW):
    return inventories.inventory_count_record(
        session=session, product_id=product.pk, quantity=D(quantity), counted_by=user, now=now
    )


def _ledger(product) -> tuple[Decimal, Decimal]:
    total = StockMovement.objects.filter(product=product).aggregate(total=Sum("delta"))["total"]
    return total, Product.objects.get(pk=product.pk).stock_quantity


def _stocks(shelf) -> dict[str, Decimal]:
    return {name: Product.objects.get(pk=p.pk).stock_quantity for name, p in shelf.items()}


# --- Services ------------------------------------------------------------------------------


def test_a_category_session_counts_only_its_products_and_the_last_count_wins(world, shelf):
    session = _start(world, category="grocery")
    volunteer, coordinator = world.users["volunteer"], world.users["coordinator"]

    _count(session, shelf["rice"], "8", volunteer)
    later = datetime(2026, 3, 14, 10, 5, tzinfo=UTC)
    recount = _count(session, shelf["rice"], "9", coordinator, now=later)

    assert set(inventories.scope_products(session)) == {shelf["rice"], shelf["lentils"]}
    assert list(session.counts.values_list("quantity", "counted_by", "counted_at")) == [
        (D("9"), coordinator.pk, later)
    ]
    assert recount.quantity == D("9")
    with pytest.raises(errors.InventoryProductOutOfScope):
        _count(session, shelf["tomme"], "3", volunteer)
    assert InventoryCount.objects.count() == 1


def test_validation_writes_exactly_the_differences_as_inventory_movements(world, shelf):
    session = _start(world)
    volunteer = world.users["volunteer"]
    _count(session, shelf["rice"], "7", volunteer)  # 3 missing
    _count(session, shelf["lentils"], "6", volunteer)  # as expected: no movement
    before = StockMovement.objects.count()

    inventories.inventory_validate(
        session=session, validated_by=world.users["coordinator"], now=NOW
    )

    new = StockMovement.objects.order_by("pk")[before:]
    assert [(m.product_id, m.delta, m.quantity_after, m.reason) for m in new] == [
        (shelf["rice"].pk, D("-3"), D("7"), "inventory")
    ]
    assert "Rayon épicerie" in new[0].note
    assert new[0].made_by == world.users["coordinator"]
    assert _stocks(shelf) == {"rice": D("7"), "lentils": D("6"), "tomme": D("3")}
    for product in shelf.values():
        assert _ledger(product)[0] == _ledger(product)[1]
    session.refresh_from_db()
    assert (session.state, session.validated_at) == ("validated", NOW)
    rows, total = inventories.differences(session=session)
    # Rice: 4.22 incl. 5.5 % VAT is 4.0000 excl. VAT; 3 missing: −12.00.
    assert [(r.product.name, r.quantity, r.value) for r in rows] == [
        ("Lentilles", D("0"), D("0.00")),
        ("Riz", D("-3"), D("-12.00")),
    ]
    assert total == D("-12.00")


def test_the_report_keeps_the_stock_at_validation_after_later_changes(world, shelf):
    session = _start(world)
    _count(session, shelf["rice"], "12", world.users["volunteer"])
    session = inventories.inventory_validate(
        session=session, validated_by=world.users["coordinator"]
    )
    services.stock_adjust(product=shelf["rice"], delta=D("-5"), made_by=None, reason="loss")
    Product.objects.filter(pk=shelf["rice"].pk).update(price=D("99"))

    rows, total = inventories.differences(session=session)

    assert [(r.counted, r.stock, r.quantity) for r in rows] == [(D("12"), D("10"), D("2"))]
    assert total == D("8.00")


def test_a_closed_session_refuses_counts_and_a_second_validation(world, shelf):
    session = _start(world)
    _count(session, shelf["rice"], "7", world.users["volunteer"])
    inventories.inventory_validate(session=session, validated_by=world.users["coordinator"])
    movements = StockMovement.objects.count()

    with pytest.raises(errors.InventoryClosed):
        inventories.inventory_validate(session=session, validated_by=world.users["coordinator"])
    with pytest.raises(errors.InventoryClosed):
        _count(session, shelf["rice"], "1", world.users["volunteer"])

    assert StockMovement.objects.count() == movements
    assert session.counts.get().quantity == D("7")
    assert _stocks(shelf)["rice"] == D("7")


def test_a_cancelled_session_changes_no_stock_and_takes_no_count(world, shelf):
    session = _start(world)
    _count(session, shelf["rice"], "1", world.users["volunteer"])
    movements = StockMovement.objects.count()

    inventories.inventory_cancel(session=session)

    with pytest.raises(errors.InventoryClosed):
        inventories.inventory_validate(session=session, validated_by=world.users["coordinator"])
    with pytest.raises(errors.InventoryClosed):
        _count(session, shelf["lentils"], "1", world.users["volunteer"])
    assert StockMovement.objects.count() == movements
    assert _stocks(shelf)["rice"] == D("10")
    assert InventorySession.objects.get().state == "cancelled"


def test_another_organisation_s_product_cannot_be_counted(world, shelf):
    theirs = _shop_product(world.org_b, world.producer, "Riz B", "4")
    session = _start(world)

    with pytest.raises(errors.InventoryProductOutOfScope):
        _count(session, theirs, "1", world.users["volunteer"])
    assert not InventoryCount.objects.exists()


def test_counts_refuse_negative_and_half_pieces_and_nothing_counted_is_not_validated(world, shelf):
    session = _start(world)
    with pytest.raises(errors.QuantityRuleInvalid):
        _count(session, shelf["rice"], "1.5", world.users["volunteer"])
    with pytest.raises(errors.StockNegative):
        _count(session, shelf["rice"], "-1", world.users["volunteer"])
    with pytest.raises(errors.InventoryNotCounted):
        inventories.inventory_validate(session=session, validated_by=world.users["coordinator"])
    assert InventorySession.objects.get().state == "open"
    with pytest.raises(errors.InventoryCategoryInvalid):
        _start(world, category="not-a-category")


# --- Pages ---------------------------------------------------------------------------------


def _url(name, world, *args):
    return reverse(f"catalog:{name}", args=[world.org_a.slug, *args])


def test_a_volunteer_counts_on_the_page_and_a_forged_product_is_404(world, shelf, client):
    session = _start(world, show_expected=True)
    client.force_login(world.users["volunteer"])
    theirs = _shop_product(world.org_b, world.producer, "Riz B", "4")

    page = client.get(_url("inventory_count", world, session.pk)).content.decode()
    saved = client.post(
        _url("inventory_count_save", world, session.pk, shelf["rice"].pk),
        {"quantity": "8"},
        headers={"HX-Request": "true"},
    )
    refused = client.post(
        _url("inventory_count_save", world, session.pk, shelf["rice"].pk),
        {"quantity": "abc"},
        headers={"HX-Request": "true"},
    )
    forged = client.post(
        _url("inventory_count_save", world, session.pk, theirs.pk), {"quantity": "1"}
    )

    assert "0 / 3" in page and "Riz" in page
    assert saved.status_code == 200 and "8" in saved.content.decode()
    assert refused.status_code == 422
    assert forged.status_code == 404
    assert session.counts.get().quantity == D("8")


def test_the_expected_quantity_shows_only_when_the_session_says_so(world, shelf, client):
    hidden, shown = _start(world), _start(world, show_expected=True)
    client.force_login(world.users["volunteer"])

    def page(session):
        return client.get(_url("inventory_count", world, session.pk)).content.decode()

    assert "attendu" not in page(hidden) and "expected" not in page(hidden)
    assert "attendu" in page(shown) or "expected" in page(shown)


def _queries(client, address) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(address).status_code == 200
    return len(captured)


def test_the_counting_page_makes_the_same_queries_for_3_or_30_products(world, shelf, client):
    session = _start(world)
    client.force_login(world.users["volunteer"])
    _count(session, shelf["rice"], "1", world.users["volunteer"])
    address = _url("inventory_count", world, session.pk)
    client.get(address)  # the first page of a visit writes the organisation into the session
    few = _queries(client, address)
    for n in range(27):
        product = _shop_product(world.org_a, world.producer, f"Produit {n}", "2",
                                category=["grocery", "drinks", "dairy-cheese"][n % 3])  # fmt: skip
        _count(session, product, "1", world.users["coordinator"])

    assert _queries(client, address) == few


def test_a_coordinator_validates_from_the_page_and_exports_the_report(world, shelf, client):
    session = _start(world)
    _count(session, shelf["lentils"], "4", world.users["volunteer"])
    client.force_login(world.users["coordinator"])

    review = client.get(_url("inventory_review", world, session.pk)).content.decode()
    client.post(_url("inventory_validate", world, session.pk))
    again = client.post(_url("inventory_validate", world, session.pk), follow=True)
    export = client.get(_url("inventory_export", world, session.pk, "csv"))

    assert "Lentilles" in review
    assert _stocks(shelf)["lentils"] == D("4")
    assert again.status_code == 200
    assert StockMovement.objects.filter(reason="inventory").count() == 1
    header, rows = tables.read_table("r.csv", export.content)
    assert header[0] in ("Produit", "Product")
    assert rows[0][:6] == ["Lentilles", "Ferme du Ségala", rows[0][2], "4", "6", "-2"]
    assert client.get(_url("inventory_export", world, session.pk, "pdf")).status_code == 404


def test_an_order_placed_between_the_count_and_the_validation_keeps_its_units():
    """The shelf held 30 when counted; a member then ordered 2: the validated stock is 28
    (the order's units stay taken), and the ledger's sum equals it."""
    from cabas.orders import services as order_services
    from cabas.orders.tests.factories import open_shop

    shop = open_shop()
    soap = shop.products["soap"]
    services.stock_openings_record(products=[soap])
    team = shop.member()
    session = inventories.inventory_start(
        organisation=shop.organisation, name="Rayon hygiène", started_by=team
    )
    inventories.inventory_count_record(
        session=session, product_id=soap.pk, quantity=Decimal("30"), counted_by=team
    )
    order_services.order_place(
        user=shop.member(), sale=shop.sale, pickup_id=shop.pickup.pk, slot_id=shop.slots[0].pk,
        lines=[(soap.pk, Decimal("2"))],
    )  # fmt: skip

    inventories.inventory_validate(session=session, validated_by=team)

    assert Product.objects.get(pk=soap.pk).stock_quantity == Decimal("28")
    total = StockMovement.objects.filter(product=soap).aggregate(total=Sum("delta"))["total"]
    assert total == Decimal("28")
    inventory = StockMovement.objects.get(product=soap, reason="inventory")
    assert (inventory.delta, inventory.quantity_after) == (Decimal("20"), Decimal("28"))


def test_the_supply_team_counts_and_validates_a_plain_member_may_not(client, world, shelf):
    from cabas.accounts.tests.factories import UserFactory
    from cabas.orgs.tests.factories import MembershipFactory

    supply = MembershipFactory(organisation=world.org_a, user=UserFactory(), is_supply=True)
    session = _start(world)
    slug = world.org_a.slug
    save = reverse("catalog:inventory_count_save", args=[slug, session.pk, shelf["rice"].pk])
    validate = reverse("catalog:inventory_validate", args=[slug, session.pk])

    client.force_login(world.users["member"])
    refused = [client.post(save, {"quantity": "9"}).status_code,
               client.post(validate).status_code]  # fmt: skip
    client.force_login(supply.user)
    counted = client.post(save, {"quantity": "9"})
    validated = client.post(validate)

    assert refused == [403, 403]
    assert (counted.status_code, validated.status_code) == (302, 302)
    assert Product.objects.get(pk=shelf["rice"].pk).stock_quantity == D("9")
