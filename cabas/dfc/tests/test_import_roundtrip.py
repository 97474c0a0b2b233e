"""The round trip: organisation A's published catalog (``export.catalog_graph``) imported
into organisation B gives the same products; read again, it updates by the SuppliedProduct's
``@id`` and, unchanged, writes nothing."""

import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cabas.catalog.models import Product
from cabas.catalog.tests.factories import ProducerFactory, ProducerLinkFactory, ProductFactory
from cabas.dfc.export import catalog_graph
from cabas.dfc.selectors import published_producers
from cabas.dfc.versions import V1_16

from .importing import import_catalog

pytestmark = pytest.mark.django_db

ENTERPRISE = "https://cabas.example/api/dfc/enterprises/collectif-a"
COMPARED = (
    "name", "description", "category", "unit_kind", "unit_label", "content_quantity",
    "content_unit", "content_count", "price", "vat_rate", "stock_mode",
    "default_quantity_per_sale", "reference",
)  # fmt: skip


# long: one product per unit kind, each on its own lines
def _catalog_of_a(world) -> dict:
    world.org_a.public_prices = True
    world.org_a.save()
    make = lambda **fields: ProductFactory(  # noqa: E731
        organisation=world.org_a, producer=world.producer, **fields
    )
    make(
        reference="CAR",
        name="Carottes",
        description="Botte de 1 kg environ",
        category="vegetables",
        unit_label="botte",
        price=Decimal("2.50"),
        stock_mode="per_sale",
        default_quantity_per_sale=Decimal(40),
    )
    make(
        reference="TOM",
        name="Tomates",
        category="fruit",
        unit_kind="weight",
        unit_label="kg",
        price=Decimal("4.20"),
    )
    make(
        reference="LAIT",
        name="Lait cru",
        category="dairy",
        unit_kind="volume",
        unit_label="L",
        price=Decimal("1.30"),
    )
    make(
        reference="YAO",
        name="Yaourt",
        category="dairy",
        content_quantity=Decimal(500),
        content_unit="g",
        price=Decimal("3.00"),
    )
    make(
        reference="OEUF", name="Œufs", category="eggs", unit_label="douzaine", price=Decimal("4.80")
    )
    make(
        reference="SAV",
        name="Savon",
        category="hygiene-soap",
        vat_rate=Decimal("20.00"),
        price=Decimal("5.00"),
    )
    make(
        reference="MIEL",
        name="Miel",
        category="grocery",
        content_quantity=Decimal(250),
        content_unit="g",
        price=Decimal("6.50"),
        stock_mode="per_sale",
        default_quantity_per_sale=Decimal(0),
    )
    make(
        reference="PAIN",
        name="Pain",
        category="bakery-bread",
        content_quantity=Decimal("0.8"),
        content_unit="kg",
        price=Decimal("4.40"),
    )
    make(
        reference="BIERE",
        name="Bière",
        category="drinks-beer",
        content_count=6,
        content_quantity=Decimal(33),
        content_unit="cl",
        price=Decimal("13.80"),
        vat_rate=Decimal("20.00"),
    )
    make(
        reference="POULET",
        name="Poulet",
        category="meat-poultry",
        variable_weight=True,
        price_per_kg=Decimal("11.90"),
        estimated_weight_kg=Decimal("1.8"),
        price=Decimal("21.42"),
    )
    make(reference="CONF", name="Confiture", category="grocery", unit_label="bocal",
         price=Decimal("4.00"), stock_mode="shop", stock_quantity=Decimal(7))  # fmt: skip
    return _export_of_a(world)


def _export_of_a(world) -> dict:
    """What A publishes now (its catalog as ``/api/dfc/enterprises/<slug>`` answers it), as
    JSON sent over the wire."""
    producers = published_producers(organisation=world.org_a, day=timezone.localdate())
    assert (
        sum(len(producer.public_products) for producer in producers)
        == Product.objects.filter(organisation=world.org_a).count()
    )
    graph = catalog_graph(
        organisation=world.org_a,
        producers=producers,
        enterprise_url=ENTERPRISE,
        version=V1_16,
        with_offers=True,
    )
    return json.loads(json.dumps(graph))  # as sent: JSON only


@pytest.fixture
def farm_b(world):
    producer = ProducerFactory(name="Ferme du Ségala, chez B")
    ProducerLinkFactory(organisation=world.org_b, producer=producer)
    return producer


def _values(product):
    return tuple(getattr(product, name) for name in COMPARED)


def test_a_catalog_exported_by_a_and_imported_into_b_gives_the_same_products(world, farm_b):
    document = _catalog_of_a(world)

    done = import_catalog(
        world, document, organisation=world.org_b, producer=farm_b, user="outsider"
    )

    assert done.status == "done", done.errors
    assert done.to_create == 11
    originals = {p.reference: p for p in Product.objects.filter(organisation=world.org_a)}
    copies = {p.reference: p for p in Product.objects.filter(organisation=world.org_b)}
    assert set(copies) == set(originals)
    exact = ["CAR", "TOM", "LAIT", "YAO", "OEUF", "SAV", "MIEL", "PAIN"]
    for reference in exact:
        assert _values(copies[reference]) == _values(originals[reference]), reference
        assert copies[reference].producer == farm_b
        assert copies[reference].external_id == (
            f"{ENTERPRISE}/supplied_products/{originals[reference].pk}"
        )
    # What DFC cannot say, documented in cabas/dfc/mapping_back.py: a pack comes back as its
    # whole content, a variable-weight piece as a piece of its estimated weight, a bocal as a
    # piece, shop stock as a quantity per sale — the same prices and VAT.
    beer, chicken, jam = copies["BIERE"], copies["POULET"], copies["CONF"]
    assert (beer.content_count, beer.content_quantity, beer.content_unit, beer.price) == (
        1,
        Decimal(198),
        "cl",
        Decimal("13.80"),
    )
    assert (chicken.variable_weight, chicken.content_quantity, chicken.content_unit) == (
        False,
        Decimal("1.8"),
        "kg",
    )
    assert (chicken.price, chicken.vat_rate) == (Decimal("21.42"), Decimal("5.50"))
    assert (jam.unit_label, jam.stock_mode, jam.default_quantity_per_sale) == (
        "bocal",
        "per_sale",
        Decimal(7),
    )


def test_read_again_unchanged_it_writes_nothing(world, farm_b):
    document = _catalog_of_a(world)
    import_catalog(world, document, organisation=world.org_b, producer=farm_b, user="outsider")
    before = {p.pk: (p.updated_at, _values(p)) for p in Product.objects.filter(
        organisation=world.org_b)}  # fmt: skip

    with CaptureQueriesContext(connection) as queries:
        again = import_catalog(
            world, document, organisation=world.org_b, producer=farm_b, user="outsider"
        )

    assert again.status == "done", again.errors
    assert (again.to_create, again.to_update, again.unchanged) == (0, 0, 11)
    writes = [q["sql"] for q in queries if '"catalog_product"' in q["sql"]
              and q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]  # fmt: skip
    assert writes == []
    after = {p.pk: (p.updated_at, _values(p)) for p in Product.objects.filter(
        organisation=world.org_b)}  # fmt: skip
    assert after == before


def test_read_again_changed_it_updates_the_same_products_by_their_id(world, farm_b):
    import_catalog(world, _catalog_of_a(world), organisation=world.org_b, producer=farm_b,
                   user="outsider")  # fmt: skip
    copy = Product.objects.get(organisation=world.org_b, reference="CAR")
    Product.objects.filter(organisation=world.org_a, reference="CAR").update(
        price=Decimal("2.80"), reference="CAR-2", name="Carottes nouvelles"
    )
    document = _export_of_a(world)

    again = import_catalog(
        world, document, organisation=world.org_b, producer=farm_b, user="outsider"
    )

    assert again.status == "done", again.errors
    assert (again.to_create, again.to_update, again.unchanged) == (0, 1, 10)
    copy.refresh_from_db()
    assert (copy.reference, copy.name, copy.price) == ("CAR-2", "Carottes nouvelles",
                                                       Decimal("2.80"))  # fmt: skip
    assert Product.objects.filter(organisation=world.org_b).count() == 11


def test_a_product_kept_locally_with_the_same_reference_is_linked_not_doubled(world, farm_b):
    local = ProductFactory(organisation=world.org_b, producer=farm_b, reference="CAR",
                           name="Carottes (saisie à la main)")  # fmt: skip

    done = import_catalog(world, _catalog_of_a(world), organisation=world.org_b,
                          producer=farm_b, user="outsider")  # fmt: skip

    assert done.status == "done", done.errors
    local.refresh_from_db()
    assert (local.name, local.external_id.startswith(ENTERPRISE)) == ("Carottes", True)
    assert Product.objects.filter(organisation=world.org_b).count() == 11


def test_an_item_without_sku_never_takes_the_product_of_another_catalog(world):
    def catalog(base):
        return {
            "@context": "https://w3id.org/dfc/ontology/context/context_1.16.0.json",
            "@graph": [
                {"@id": f"{base}/ci/1", "@type": "dfc-b:CatalogItem",
                 "dfc-b:references": f"{base}/sp/1", "dfc-b:offeredThrough": f"{base}/o/1"},
                {"@id": f"{base}/sp/1", "@type": "dfc-b:SuppliedProduct", "dfc-b:name": "Miel"},
                {"@id": f"{base}/o/1", "@type": "dfc-b:Offer", "dfc-b:hasPrice": {
                    "dfc-b:value": 6, "dfc-b:VATrate": 5.5, "dfc-b:hasUnit": "dfc-m:Euro"}},
            ],
        }  # fmt: skip

    import_catalog(world, catalog("https://one.example"))
    done = import_catalog(world, catalog("https://two.example"))

    assert (done.status, done.to_create) == ("done", 1), done.errors
    assert sorted(Product.objects.values_list("external_id", flat=True)) == [
        "https://one.example/sp/1", "https://two.example/sp/1"
    ]  # fmt: skip
