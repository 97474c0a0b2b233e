"""The supplier pages: the list, a new supplier (a producer or a wholesaler), its details
and items, with their margins for the supply team only."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cabas.catalog.tests.factories import ProducerFactory, ProducerLinkFactory, ProductFactory
from cabas.supply.models import Supplier, SupplierItem
from cabas.supply.tests.factories import ShopProductFactory, SupplierFactory, SupplierItemFactory
from cabas.supply.tests.pages import supply_url

D = Decimal

pytestmark = pytest.mark.django_db


_url = supply_url


def _suppliers(world):
    return list(
        Supplier.objects.filter(organisation=world.org_a)
        .order_by("pk")
        .values_list("name", "kind", "order_email", "delivery_days", "is_active")
    )


def _items(world):
    return list(
        SupplierItem.objects.filter(organisation=world.org_a)
        .order_by("pk")
        .values_list("product__name", "purchase_price", "package_size", "is_main")
    )


def test_the_list_shows_active_suppliers_then_inactive_ones(supply, world):
    biocoop = SupplierFactory(
        organisation=world.org_a, name="Biocoop", delivery_days=[2, 5], order_email=""
    )
    SupplierItemFactory.create_batch(2, supplier=biocoop)
    SupplierFactory(organisation=world.org_a, name="Ancien grossiste", is_active=False)
    SupplierFactory(organisation=world.org_b, name="Grossiste de B")

    page = supply.get(_url("suppliers", world)).content.decode()

    active, inactive = page.split("Fournisseurs inactifs")
    assert "Biocoop" in active and "Ancien grossiste" in inactive
    assert "mardi, vendredi" in active
    assert "Pas d’e-mail de commande" in active
    assert '<td class="num">2</td>' in active
    assert "Grossiste de B" not in page


def test_a_new_supplier_from_one_of_our_producers_takes_its_details(supply, world):
    world.producer.email = "ferme@segala.example.org"
    world.producer.phone = "05 65 00 00 00"
    world.producer.save()
    not_ours = ProducerFactory(name="Ferme lointaine")

    form = supply.get(_url("supplier_new", world)).content.decode()
    assert "Ferme du Ségala" in form and "Ferme lointaine" not in form
    assert "lundi" in form and "dimanche" in form

    response = supply.post(
        _url("supplier_new", world),
        {"producer": world.producer.pk, "delivery_days": ["4", "1"], "lead_time_days": "3"},
    )

    supplier = Supplier.objects.get(organisation=world.org_a)
    assert response.url == _url("supplier", world, pk=supplier.pk)
    assert (
        supplier.kind,
        supplier.producer,
        supplier.name,
        supplier.order_email,
        supplier.phone,
        supplier.delivery_days,
        supplier.lead_time_days,
    ) == (
        "producer",
        world.producer,
        "Ferme du Ségala",
        "ferme@segala.example.org",
        "05 65 00 00 00",
        [1, 4],
        3,
    )
    # A producer already supplier is no longer offered, nor one of another organisation.
    refused = supply.post(_url("supplier_new", world), {"producer": not_ours.pk})
    assert refused.status_code == 200
    assert Supplier.objects.count() == 1
    assert "Ferme du Ségala" not in supply.get(_url("supplier_new", world)).content.decode()


def test_a_new_wholesaler_by_name(supply, world):
    response = supply.post(
        _url("supplier_new", world),
        {
            "name": "Relais Vert",
            "order_email": "commandes@relais.example.org",
            "minimum_order_amount": "150,00",
            "franco_amount": "300",
            "lead_time_days": "2",
        },
    )

    assert response.status_code == 302
    supplier = Supplier.objects.get()
    assert (
        supplier.kind,
        supplier.name,
        supplier.minimum_order_amount,
        supplier.franco_amount,
    ) == ("wholesaler", "Relais Vert", D("150.00"), D("300"))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"lead_time_days": "2"}, "Choisissez un de nos producteurs ou saisissez le nom"),
        ({"name": "biocoop", "lead_time_days": "2"}, "Un autre fournisseur porte déjà ce nom."),
        (
            {"name": "X", "minimum_order_amount": "abc", "lead_time_days": "2"},
            "Saisissez un nombre",
        ),
        ({"name": "X", "franco_amount": "-5", "lead_time_days": "2"}, "supérieure ou égale à 0"),
        (
            {"name": "X", "order_email": "pas-un-mail", "lead_time_days": "2"},
            "adresse de courriel valide",
        ),
        ({"name": "X", "delivery_days": ["8"], "lead_time_days": "2"}, "Sélectionnez un choix"),
        ({"name": "X", "lead_time_days": "abc"}, "Saisissez un nombre entier"),
    ],
)
def test_a_bad_supplier_is_refused_with_a_message_and_nothing_changes(supply, world, data, message):
    SupplierFactory(organisation=world.org_a, name="Biocoop")
    before = _suppliers(world)

    response = supply.post(_url("supplier_new", world), data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert _suppliers(world) == before


def test_editing_a_supplier_and_a_refusal_keeps_it(supply, world):
    supplier = SupplierFactory(organisation=world.org_a, name="Biocoop", lead_time_days=2)
    SupplierFactory(organisation=world.org_a, name="Relais Vert")
    url = _url("supplier_edit", world, pk=supplier.pk)

    refused = supply.post(url, {"name": "RELAIS VERT", "lead_time_days": "5", "is_active": "on"})
    assert "Un autre fournisseur porte déjà ce nom." in refused.content.decode()
    assert "Modifier Biocoop" in refused.content.decode()
    supplier.refresh_from_db()
    assert (supplier.name, supplier.lead_time_days) == ("Biocoop", 2)

    saved = supply.post(url, {"name": "Biocoop Rodez", "lead_time_days": "5", "delivery_days": "3"})
    assert saved.status_code == 302
    supplier.refresh_from_db()
    assert (supplier.name, supplier.lead_time_days, supplier.delivery_days, supplier.is_active) == (
        "Biocoop Rodez",
        5,
        [3],
        False,  # the box was not ticked
    )


def test_another_organisations_supplier_is_not_found(supply, world):
    theirs = SupplierFactory(organisation=world.org_b)
    item = SupplierItemFactory(supplier=theirs)
    assert supply.get(_url("supplier", world, pk=theirs.pk)).status_code == 404
    assert supply.get(_url("supplier_edit", world, pk=theirs.pk)).status_code == 404
    assert supply.get(_url("supplier_item_edit", world, pk=item.pk)).status_code == 404
    supply.post(_url("supplier_item_delete", world, pk=item.pk))
    assert SupplierItem.objects.filter(pk=item.pk).exists()


def test_the_supplier_page_shows_its_items_with_price_and_margin(supply, world):
    supplier = SupplierFactory(organisation=world.org_a, name="Biocoop")
    flour = ShopProductFactory(
        organisation=world.org_a, name="Farine T65", price=D("2.75"), vat_rate=D("5.50")
    )
    SupplierItemFactory(
        supplier=supplier, product=flour, purchase_price=D("2.0000"), reference="F-65"
    )

    page = supply.get(_url("supplier", world, pk=supplier.pk)).content.decode()

    assert "Farine T65" in page and "F-65" in page
    assert "2,00\xa0€" in page and "2,75\xa0€" in page
    # 2,75 incl. 5,5 % = 2,6066 excl.; bought 2,00: 23,3 % margin.
    assert "23,3\xa0%" in page
    assert "fournisseur principal" in page


def test_adding_editing_and_removing_an_item(supply, world):
    supplier = SupplierFactory(organisation=world.org_a, name="Biocoop")
    other = SupplierFactory(organisation=world.org_a, name="Relais Vert")
    flour = ShopProductFactory(organisation=world.org_a, name="Farine T65")
    ProductFactory(organisation=world.org_a, name="Panier de légumes", stock_mode="per_sale")
    other_item = SupplierItemFactory(supplier=other, product=flour, is_main=True)

    form = supply.get(_url("supplier", world, pk=supplier.pk)).content.decode()
    assert "Farine T65" in form and "Panier de légumes" not in form

    added = supply.post(
        _url("supplier", world, pk=supplier.pk),
        {
            "product": flour.pk,
            "reference": " F-65 ",
            "purchase_price": "0,6958",
            "package_size": "12",
            "minimum_quantity": "",
            "is_main": "on",
        },
    )
    assert added.status_code == 302
    item = SupplierItem.objects.get(supplier=supplier)
    other_item.refresh_from_db()
    assert (item.reference, item.purchase_price, item.package_size, item.minimum_quantity) == (
        "F-65",
        D("0.6958"),
        D("12"),
        D("0"),
    )
    assert (item.is_main, other_item.is_main) == (True, False)
    assert "0,6958\xa0€" in supply.get(_url("supplier", world, pk=supplier.pk)).content.decode()

    edit_url = _url("supplier_item_edit", world, pk=item.pk)
    edited = supply.post(edit_url, {"purchase_price": "0.72", "package_size": "6"})
    assert edited.url == _url("supplier", world, pk=supplier.pk)
    item.refresh_from_db()
    # The product stays; the main mark stays too (it is changed from another supplier).
    assert (item.product, item.purchase_price, item.package_size, item.is_main) == (
        flour,
        D("0.72"),
        D("6"),
        True,
    )

    supply.post(_url("supplier_item_delete", world, pk=item.pk))
    assert not SupplierItem.objects.filter(pk=item.pk).exists()
    other_item.refresh_from_db()
    assert other_item.is_main is True
    # A second tap on Remove: nothing left to remove, no error page.
    again = supply.post(_url("supplier_item_delete", world, pk=item.pk))
    assert again.status_code == 302


@pytest.mark.parametrize(
    ("price", "message"),
    [
        ("-1", "Un prix ne peut pas être négatif."),
        ("abc", "Saisissez un nombre, par exemple 2 ou 0,5."),
        ("", "Ce champ est obligatoire."),
        ("1,23456", "4 chiffres après la virgule"),
    ],
)
def test_a_bad_purchase_price_is_refused_and_nothing_changes(supply, world, price, message):
    supplier = SupplierFactory(organisation=world.org_a)
    item = SupplierItemFactory(supplier=supplier, purchase_price=D("1.2000"))
    new_product = ShopProductFactory(organisation=world.org_a)
    before = _items(world)

    added = supply.post(
        _url("supplier", world, pk=supplier.pk),
        {"product": new_product.pk, "purchase_price": price, "package_size": "1"},
    )
    edited = supply.post(
        _url("supplier_item_edit", world, pk=item.pk),
        {"purchase_price": price, "package_size": "1"},
    )

    for response in (added, edited):
        assert response.status_code == 200
        assert message in response.content.decode()
    assert _items(world) == before


def test_an_item_twice_or_with_a_zero_package_is_refused(supply, world):
    supplier = SupplierFactory(organisation=world.org_a)
    item = SupplierItemFactory(supplier=supplier)
    before = _items(world)

    twice = supply.post(
        _url("supplier", world, pk=supplier.pk),
        {"product": item.product_id, "purchase_price": "1", "package_size": "1"},
    )
    zero = supply.post(
        _url("supplier_item_edit", world, pk=item.pk),
        {"purchase_price": "1", "package_size": "0"},
    )

    assert "Ce fournisseur vend déjà ce produit." in twice.content.decode()
    assert (
        "Le colisage est supérieur à 0, par exemple 6 pour un carton de 6." in zero.content.decode()
    )
    assert _items(world) == before


def _queries(client, url) -> int:
    client.get(url)  # warm: the first page of a visit writes the organisation into the session
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_list_and_the_supplier_page_cost_the_same_queries_for_2_and_20(supply, world):
    supplier = SupplierFactory(organisation=world.org_a, delivery_days=[1])
    producer = ProducerFactory()
    ProducerLinkFactory(organisation=world.org_a, producer=producer)
    SupplierItemFactory.create_batch(2, supplier=supplier)
    SupplierFactory(organisation=world.org_a, is_active=False)
    urls = [_url("suppliers", world), _url("supplier", world, pk=supplier.pk)]
    few = [_queries(supply, url) for url in urls]

    SupplierItemFactory.create_batch(18, supplier=supplier)
    for number in range(18):
        SupplierItemFactory(supplier__organisation=world.org_a, supplier__is_active=number % 2)

    assert [_queries(supply, url) for url in urls] == few


SUPPLY_PAGES = [
    ("suppliers", False),
    ("supplier_new", False),
    ("supplier", True),
    ("supplier_edit", True),
    ("supplier_item_edit", "item"),
    ("settings", False),
    ("coefficients", False),
    ("price_proposals", False),
]


@pytest.mark.parametrize("persona", ["member", "volunteer", "producer"])
def test_purchase_prices_and_margins_are_never_shown_to_a_member(client, world, persona):
    item = SupplierItemFactory(supplier__organisation=world.org_a)
    client.force_login(world.users[persona])

    for name, needs in SUPPLY_PAGES:
        kwargs = {}
        if needs is True:
            kwargs = {"pk": item.supplier_id}
        elif needs == "item":
            kwargs = {"pk": item.pk}
        assert client.get(_url(name, world, **kwargs)).status_code == 403, name
    posts = [
        _url("supplier_new", world),
        _url("supplier", world, pk=item.supplier_id),
        _url("supplier_item_edit", world, pk=item.pk),
        _url("supplier_item_delete", world, pk=item.pk),
        _url("price_proposals", world),
    ]
    for url in posts:
        assert client.post(url, {"name": "X", "purchase_price": "0"}).status_code == 403, url
    assert SupplierItem.objects.filter(pk=item.pk, purchase_price=D("1.2")).exists()
    assert Supplier.objects.count() == 1


def test_the_menu_has_suppliers_for_the_supply_team_of_a_coop_only(client, world):
    home = reverse("site:member_home", kwargs={"slug": world.org_a.slug})
    suppliers = _url("suppliers", world)
    client.force_login(world.users["supply"])
    assert suppliers not in client.get(home).content.decode()  # a collective: no shop

    world.org_a.kind = "cooperative"
    world.org_a.save(update_fields=["kind"])
    assert suppliers in client.get(home).content.decode()
    client.force_login(world.users["member"])
    assert suppliers not in client.get(home).content.decode()


def test_a_save_refused_by_the_database_meanwhile_is_a_message_not_an_error_page(
    supply, world, monkeypatch
):
    """Two phones passing the services' checks at once: the database's unique constraint
    refuses the second save (simulated here), the page says so."""
    from django.db import IntegrityError

    from cabas.supply import services

    def refused(**kwargs):
        raise IntegrityError("supplieritem_one_main")

    supplier = SupplierFactory(organisation=world.org_a)
    item = SupplierItemFactory(supplier=supplier, is_main=False)
    product = ShopProductFactory(organisation=world.org_a)
    monkeypatch.setattr(services, "supplier_item_save", refused)
    monkeypatch.setattr(services, "supplier_create", refused)
    monkeypatch.setattr(services, "supplier_update", refused)
    before = (_suppliers(world), _items(world))
    message = "Quelqu’un a enregistré la même chose au même moment"

    responses = [
        supply.post(_url("supplier_new", world), {"name": "Biocoop", "lead_time_days": "2"}),
        supply.post(
            _url("supplier_edit", world, pk=supplier.pk), {"name": "Y", "lead_time_days": "2"}
        ),
        supply.post(
            _url("supplier", world, pk=supplier.pk),
            {"product": product.pk, "purchase_price": "1", "package_size": "1"},
        ),
        supply.post(
            _url("supplier_item_edit", world, pk=item.pk),
            {"purchase_price": "1", "package_size": "1", "is_main": "on"},
        ),
    ]

    assert [r.status_code for r in responses] == [200, 200, 200, 200]
    assert all(message in r.content.decode() for r in responses)
    assert (_suppliers(world), _items(world)) == before
