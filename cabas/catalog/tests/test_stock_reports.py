"""The supply role and the stock pages: a small ledger written through the catalog services,
dated by hand, and each report checked against a hand computation."""

import csv
import io
import zoneinfo
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cabas.accounts.tests.factories import UserFactory
from cabas.catalog import services
from cabas.catalog import stock_reports as reports
from cabas.catalog.models import Product, StockMovement
from cabas.catalog.tests.factories import ProductFactory
from cabas.orgs.models import Membership
from cabas.orgs.tests.factories import MembershipFactory

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
Reason = StockMovement.Reason


def _at(day: int, hour: int = 10, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=PARIS)


def _move(product, delta, reason, when, note=""):
    movement = services.stock_adjust(
        product=product, delta=Decimal(delta), made_by=None, reason=reason, note=note
    )
    StockMovement.objects.filter(pk=movement.pk).update(created_at=when)
    return movement


@pytest.fixture
def ledger(world):
    """Flour at 2,11 € (5,5 %: 2,00 € excl. VAT), yoghurt at 1,20 € (20 %: 1,00 €)."""
    org = world.org_a
    flour = ProductFactory(
        organisation=org,
        producer=world.producer,
        name="Farine",
        category="grocery-flour",
        price=Decimal("2.11"),
        vat_rate=Decimal("5.50"),
        stock_mode="shop",
        stock_quantity=Decimal("0"),
    )
    yoghurt = ProductFactory(
        organisation=org,
        producer=world.producer,
        name="Yaourt",
        category="dairy-yoghurt",
        price=Decimal("1.20"),
        vat_rate=Decimal("20.00"),
        stock_mode="shop",
        stock_quantity=Decimal("0"),
    )
    _move(flour, 10, Reason.RECEPTION, _at(1))
    _move(yoghurt, 6, Reason.RECEPTION, _at(10))
    _move(flour, -2, Reason.LOSS, _at(20), note="=HYPERLINK(1)")
    _move(flour, -1, Reason.BREAKAGE, _at(25))
    _move(yoghurt, -3, Reason.EXPIRED, _at(28))
    # 23:30 in Paris on 29 November is the 29th there (22:30 UTC).
    _move(yoghurt, -1, Reason.GIFT, _at(29, hour=23))
    supply = MembershipFactory(organisation=org, user=UserFactory(), is_supply=True)
    return {"org": org, "flour": flour, "yoghurt": yoghurt, "supply": supply}


def _url(name, org, **kwargs):
    return reverse(f"catalog:{name}", kwargs={"slug": org.slug, **kwargs})


# --- The role -------------------------------------------------------------------------------


def test_supply_member_has_the_stock_area_and_a_plain_member_does_not(client, world, ledger):
    org = world.org_a
    org.kind = "cooperative"
    org.save(update_fields=["kind"])
    client.force_login(ledger["supply"].user)
    response = client.get(_url("stock_list", org))
    assert response.status_code == 200
    assert "Approvisionnement" in response.content.decode()
    assert '<option value="">Toutes</option>' in response.content.decode()  # « Catégorie »
    assert ledger["supply"].roles == [Membership.Role.MEMBER, Membership.Role.SUPPLY]
    # Not the catalog: the supply team is not a coordinator.
    assert client.get(reverse("catalog:producers", kwargs={"slug": org.slug})).status_code == 403
    client.force_login(world.users["member"])
    assert client.get(_url("stock_list", org)).status_code == 403
    assert "Approvisionnement" not in client.get(f"/o/{org.slug}/account/").content.decode()
    client.force_login(world.users["outsider"])
    assert client.get(_url("stock_list", org)).status_code == 404
    assert client.get(_url("stock_product", org, pk=ledger["flour"].pk)).status_code == 404


def test_coordinator_gives_the_supply_role_on_the_roles_page(client, world):
    member = world.memberships["member"]
    client.force_login(world.users["coordinator"])
    url = reverse("money:member_roles", kwargs={"slug": world.org_a.slug, "pk": member.pk})
    assert "Approvisionnement" in client.get(url).content.decode()
    assert client.post(url, {"is_supply": "on"}).status_code == 302
    member.refresh_from_db()
    assert member.is_supply and not member.is_coordinator


def test_invitation_carries_the_supply_role(world):
    from cabas.orgs import services as orgs_services

    invitation = orgs_services.invitation_create(
        organisation=world.org_a,
        email="appro@example.org",
        invited_by=world.users["coordinator"],
        is_supply=True,
        base_url="https://cabas.test",
    )
    user = UserFactory(email="appro@example.org")
    membership = orgs_services.invitation_accept(token=invitation.token, user=user)
    assert membership.is_supply and not membership.is_volunteer


def test_supply_member_records_a_change_by_hand(client, ledger):
    client.force_login(ledger["supply"].user)
    url = _url("stock_product", ledger["org"], pk=ledger["flour"].pk)
    response = client.post(url, {"delta": "-1", "reason": "loss", "note": "sac percé"})
    assert response.status_code == 302
    ledger["flour"].refresh_from_db()
    assert ledger["flour"].stock_quantity == Decimal("6")
    assert ledger["flour"].stock_movements.first().made_by == ledger["supply"].user


# --- Products and their minimum -------------------------------------------------------------


def test_products_below_their_minimum_come_first_flagged(client, ledger):
    org, yoghurt = ledger["org"], ledger["yoghurt"]
    client.force_login(ledger["supply"].user)
    response = client.post(_url("stock_minimum", org, pk=yoghurt.pk), {"stock_minimum": "3"})
    assert response.status_code == 302
    yoghurt.refresh_from_db()
    assert yoghurt.stock_minimum == Decimal("3")  # stock 2 < 3
    products = list(reports.shop_stock_products(organisation=org))
    assert [(p.name, p.is_low) for p in products] == [("Yaourt", True), ("Farine", False)]
    assert products[0].last_movement_at == _at(29, hour=23)
    page = client.get(_url("stock_list", org)).content.decode()
    assert "1 produit sous son minimum" in page
    assert page.index("Yaourt") < page.index("Farine")


def test_a_bad_minimum_changes_nothing(client, ledger):
    client.force_login(ledger["supply"].user)
    url = _url("stock_minimum", ledger["org"], pk=ledger["flour"].pk)
    response = client.post(url, {"stock_minimum": "-4"}, follow=True)
    assert response.status_code == 200
    assert "n’a pas été enregistré" in response.content.decode()
    assert Product.objects.get(pk=ledger["flour"].pk).stock_minimum is None
    with pytest.raises(services.errors.StockMinimumNegative):
        services.product_stock_minimum_set(product=ledger["flour"], stock_minimum=Decimal("-1"))


# --- Movements ------------------------------------------------------------------------------


def test_movements_of_a_period_with_totals_per_reason(ledger):
    org = ledger["org"]
    movements = reports.movements_in_period(
        organisation=org, start=date(2026, 11, 15), end=date(2026, 11, 29)
    )
    assert [(m.product.name, m.reason, m.delta) for m in movements] == [
        ("Yaourt", "gift", Decimal("-1")),
        ("Yaourt", "expired", Decimal("-3")),
        ("Farine", "breakage", Decimal("-1")),
        ("Farine", "loss", Decimal("-2")),
    ]
    totals = reports.movement_totals(movements)
    assert [(t.reason, t.count, t.quantity) for t in totals] == [
        ("loss", 1, Decimal("-2")),
        ("breakage", 1, Decimal("-1")),
        ("expired", 1, Decimal("-3")),
        ("gift", 1, Decimal("-1")),
    ]
    # The day ends at midnight in Paris: the gift at 23:00 on the 29th is out of the 28th.
    assert (
        reports.movements_in_period(
            organisation=org, start=date(2026, 11, 28), end=date(2026, 11, 28)
        ).count()
        == 1
    )
    dairy = reports.movements_in_period(
        organisation=org, start=date(2026, 11, 1), end=date(2026, 11, 30), category="dairy"
    )
    assert {m.product.name for m in dairy} == {"Yaourt"}


def test_movements_page_and_files(client, ledger):
    client.force_login(ledger["supply"].user)
    query = "?from=2026-11-15&to=2026-11-30&reason=loss"
    page = client.get(_url("stock_movements", ledger["org"]) + query)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Farine" in text and "Yaourt" not in text.split("<h2>")[-1]
    content = client.get(
        _url("stock_file", ledger["org"], report="movements", file_format="csv")
        + "?from=2026-11-15&to=2026-11-30"
    ).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content), delimiter=";"))
    assert rows[0][:4] == ["Date", "Produit", "Motif", "Variation"]
    assert rows[-1] == ["2026-11-20T10:00:00", "Farine", "perte", "-2", "8", "", "'=HYPERLINK(1)"]
    assert len(rows) == 5


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_pages_query_counts_do_not_grow_with_the_movements(client, world, ledger):
    client.force_login(ledger["supply"].user)
    org = ledger["org"]
    urls = [
        _url("stock_list", org),
        _url("stock_movements", org) + "?from=2026-11-01&to=2026-12-31",
    ]
    client.get(urls[0])  # the first page of a visit writes the organisation into the session
    before = [_queries(client, url) for url in urls]
    for number in range(5):
        product = ProductFactory(
            organisation=org,
            producer=world.producer,
            category="drinks-beer",
            stock_mode="shop",
            stock_quantity=Decimal("0"),
        )
        _move(product, 5 + number, Reason.RECEPTION, _at(2))
        _move(product, -1, Reason.LOSS, _at(3))
    assert [_queries(client, url) for url in urls] == before


def test_movements_page_shows_how_many_more(client, ledger, monkeypatch):
    from cabas.catalog import views_stock

    monkeypatch.setattr(views_stock, "MOVEMENTS_SHOWN", 2)
    client.force_login(ledger["supply"].user)
    text = client.get(
        _url("stock_movements", ledger["org"]) + "?from=2026-11-01&to=2026-11-30"
    ).content.decode()
    assert "4 mouvements de plus" in text


@pytest.mark.parametrize(
    "query",
    [
        "?from=2026-13-01",
        "?from=2026-11-30&to=2026-11-01",
        "?product=abc",
        "?reason=theft",
        "?category=nope",
        "?to=31/11/2026",
    ],
)
def test_bad_query_parameters_give_a_clear_400(client, ledger, query):
    client.force_login(ledger["supply"].user)
    response = client.get(_url("stock_movements", ledger["org"]) + query)
    assert response.status_code == 400


def test_another_organisations_product_is_404(client, world, ledger):
    other = ProductFactory(organisation=world.org_b, stock_mode="shop", stock_quantity=1)
    client.force_login(ledger["supply"].user)
    url = _url("stock_movements", ledger["org"]) + f"?product={other.pk}"
    assert client.get(url).status_code == 404
    assert client.get(_url("stock_product", ledger["org"], pk=other.pk)).status_code == 404
    assert (
        client.get(_url("stock_file", ledger["org"], report="nope", file_format="csv")).status_code
        == 404
    )


# --- Losses and value -----------------------------------------------------------------------


def test_losses_per_category_by_hand(ledger):
    rows = reports.losses_by_category(
        organisation=ledger["org"], start=date(2026, 11, 15), end=date(2026, 11, 30)
    )
    by_category = {row.category: row for row in rows}
    grocery, dairy = by_category["grocery-flour"], by_category["dairy-yoghurt"]
    assert grocery.quantities["loss"] == Decimal("2")
    assert grocery.quantities["breakage"] == Decimal("1")
    assert (grocery.lost_quantity, grocery.lost_value) == (Decimal("3"), Decimal("6.00"))
    assert (dairy.lost_quantity, dairy.lost_value) == (Decimal("3"), Decimal("3.00"))
    assert (dairy.quantities["gift"], dairy.values["gift"]) == (Decimal("1"), Decimal("1.00"))


def test_stock_value_at_a_date_by_hand(ledger):
    org = ledger["org"]
    at_15 = reports.stock_value_at(organisation=org, day=date(2026, 11, 15))
    assert [(r.product.name, r.quantity, r.value) for r in at_15] == [
        ("Farine", Decimal("10"), Decimal("20.00")),
        ("Yaourt", Decimal("6"), Decimal("6.00")),
    ]
    at_30 = reports.stock_value_at(organisation=org, day=date(2026, 11, 30))
    assert [(r.quantity, r.value) for r in at_30] == [
        (Decimal("7"), Decimal("14.00")),
        (Decimal("2"), Decimal("2.00")),
    ]
    # The ledger's sum is the stored stock today.
    assert [r.quantity for r in at_30] == [
        Product.objects.get(pk=ledger["flour"].pk).stock_quantity,
        Product.objects.get(pk=ledger["yoghurt"].pk).stock_quantity,
    ]
    assert reports.stock_value_at(organisation=org, day=date(2026, 10, 31)) == []
