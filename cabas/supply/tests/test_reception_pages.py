"""The reception pages: a delivery checked in through the pages (with and without htmx),
bad inputs answered in French with nothing changed, the differences' files and e-mail, and
the list's queries not growing with its rows."""

from decimal import Decimal

import pytest
from django.urls import reverse

from cabas.catalog.models import Product
from cabas.notifications.models import OutboxMessage
from cabas.supply.models import PurchaseOrder, Reception, ReceptionLine
from cabas.supply.tests.factories import PurchaseOrderFactory, PurchaseOrderLineFactory
from cabas.supply.tests.test_receptions import Delivery

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def delivery(world):
    return Delivery(world.org_a, world.producer)


@pytest.fixture
def supply_client(client, world):
    client.force_login(world.users["supply"])
    return client


def _url(world, name, **kwargs):
    return reverse(f"supply:{name}", kwargs={"slug": world.org_a.slug, **kwargs})


def _started(supply_client, world, delivery) -> Reception:
    response = supply_client.post(
        _url(world, "reception_start"), {"purchase_order": str(delivery.order.pk)}
    )
    reception = Reception.objects.get()
    assert response.status_code == 302
    assert response.url == _url(world, "reception", pk=reception.pk)
    return reception


def test_a_delivery_is_received_through_the_pages(supply_client, world, delivery):
    page = supply_client.get(_url(world, "receptions")).content.decode()
    assert "BC-0007" in page and "Réceptionner BC-0007" in page
    reception = _started(supply_client, world, delivery)
    page = supply_client.get(_url(world, "reception", pk=reception.pk)).content.decode()
    assert "Tout est conforme" in page and "0 / 2 comptés" in page

    supply_client.post(_url(world, "reception_all_as_ordered", pk=reception.pk))
    flour = reception.lines.get(product=delivery.flour)
    response = supply_client.post(
        _url(world, "reception_line", pk=reception.pk, line_pk=flour.pk),
        {"received_quantity": "10", "damaged_quantity": "1", "unit_price": "1,3", "note": ""},
    )
    assert response.status_code == 302
    supply_client.post(
        _url(world, "reception_line_add", pk=reception.pk),
        {"add-product": str(delivery.honey.pk), "add-received_quantity": "4",
         "add-unit_price": "4,50"},
    )  # fmt: skip
    confirm = supply_client.get(_url(world, "reception_validate", pk=reception.pk))
    assert "Confirmer et valider" in confirm.content.decode()
    response = supply_client.post(_url(world, "reception_validate", pk=reception.pk))

    assert response.url == _url(world, "reception_differences", pk=reception.pk)
    assert delivery.stocks() == {"Farine T65": D("13"), "Miel": D("4"), "Riz complet": D("5")}
    assert PurchaseOrder.objects.get(pk=delivery.order.pk).status == "partly_received"
    page = supply_client.get(response.url).content.decode()
    assert "Farine T65" in page and "hors commande" in page and "Riz complet" not in page
    csv = supply_client.get(
        _url(world, "reception_differences_file", pk=reception.pk, file_format="csv")
    )
    assert csv["Content-Type"].startswith("text/csv")
    assert csv["Content-Disposition"].startswith('attachment; filename="ecarts-de-reception-')
    assert "Miel (pas commandé)" in csv.content.decode("utf-8-sig")
    supply_client.post(_url(world, "reception_differences", pk=reception.pk))
    assert OutboxMessage.objects.filter(key=f"reception:{reception.pk}:differences").count() == 1
    page = supply_client.get(response.url).content.decode()
    assert "Envoyés au fournisseur le" in page


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ({"received_quantity": "abc"}, "Saisissez un nombre"),
        ({"received_quantity": "-1"}, "supérieure ou égale à 0"),
        ({"received_quantity": ""}, "Ce champ est obligatoire"),
        ({"received_quantity": "2", "damaged_quantity": "-1"}, "supérieure ou égale à 0"),
        ({"received_quantity": "2", "unit_price": "1,2,3"}, "Saisissez un nombre"),
        ({"received_quantity": "2,5"}, "nombre entier"),
    ],
)
def test_a_bad_count_is_answered_in_french_and_changes_nothing(
    supply_client, world, delivery, typed, message
):
    reception = _started(supply_client, world, delivery)
    # a piece product, so that a fraction is refused by the service
    Product.objects.filter(pk=delivery.rice.pk).update(unit_kind="piece")
    line = reception.lines.get(product=delivery.rice)
    url = _url(world, "reception_line", pk=reception.pk, line_pk=line.pk)
    data = {"damaged_quantity": "", "unit_price": "", "note": "", **typed}

    with_htmx = supply_client.post(url, data, headers={"HX-Request": "true"})
    without = supply_client.post(url, data, follow=True)

    assert with_htmx.status_code == 422
    assert message in with_htmx.content.decode()
    assert without.status_code == 200
    assert message in without.content.decode()
    line.refresh_from_db()
    assert (line.received_quantity, line.damaged_quantity, line.unit_price) == (
        None, D("0"), D("2"),
    )  # fmt: skip


def test_a_count_with_htmx_swaps_the_line(supply_client, world, delivery):
    reception = _started(supply_client, world, delivery)
    line = reception.lines.get(product=delivery.rice)

    response = supply_client.post(
        _url(world, "reception_line", pk=reception.pk, line_pk=line.pk),
        {"received_quantity": "4", "damaged_quantity": "0", "unit_price": "", "note": "carton"},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert page.startswith('<li class="card" id="line-')
    assert "Reçu : 4 (par" in page and "Enregistré." in page
    assert ReceptionLine.objects.get(pk=line.pk).received_quantity == D("4")


def test_validating_an_uncounted_reception_says_so(supply_client, world, delivery):
    reception = _started(supply_client, world, delivery)

    page = supply_client.get(_url(world, "reception_validate", pk=reception.pk)).content.decode()
    response = supply_client.post(_url(world, "reception_validate", pk=reception.pk), follow=True)

    assert "2 lignes ne sont pas encore comptées" in page
    assert "Confirmer et valider" not in page
    assert "Certaines lignes n’ont pas encore de quantité reçue." in response.content.decode()
    assert Reception.objects.get(pk=reception.pk).status == "draft"
    assert delivery.stocks()["Farine T65"] == D("3")


def test_a_product_added_twice_or_without_price_is_refused_on_the_form(
    supply_client, world, delivery
):
    reception = _started(supply_client, world, delivery)
    url = _url(world, "reception_line_add", pk=reception.pk)

    twice = supply_client.post(
        url, {"add-product": str(delivery.flour.pk), "add-received_quantity": "1"}
    )
    no_price = supply_client.post(
        url, {"add-product": str(delivery.honey.pk), "add-received_quantity": "1"}
    )
    bad = supply_client.post(url, {"add-product": "abc", "add-received_quantity": "x"})

    assert twice.status_code == no_price.status_code == bad.status_code == 422
    assert "Ce produit est déjà dans cette livraison" in twice.content.decode()
    assert "saisissez celui du bon de livraison" in no_price.content.decode()
    assert "Saisissez un nombre" in bad.content.decode()
    assert reception.lines.count() == 2


def test_a_delivery_without_an_order(supply_client, world, delivery):
    url = _url(world, "reception_start")
    assert "Fournisseur" in supply_client.get(url).content.decode()

    response = supply_client.post(url, {"supplier": str(delivery.supplier.pk)})

    reception = Reception.objects.get()
    assert (reception.purchase_order, reception.supplier) == (None, delivery.supplier)
    assert response.url == _url(world, "reception", pk=reception.pk)
    assert supply_client.post(url, {"supplier": "abc"}).status_code == 200
    assert supply_client.post(url, {"purchase_order": "abc"}).status_code == 404
    assert Reception.objects.count() == 1


def test_the_list_makes_the_same_queries_for_1_or_4_orders(
    supply_client, world, delivery, django_assert_num_queries
):
    url = _url(world, "receptions")
    supply_client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        supply_client.get(url)
    for _ in range(3):
        order = PurchaseOrderFactory(supplier=delivery.supplier, status="sent")
        PurchaseOrderLineFactory(purchase_order=order, product=delivery.flour)
        Reception.objects.create(
            organisation=world.org_a, supplier=delivery.supplier, purchase_order=order
        )

    with django_assert_num_queries(len(one.captured_queries)):
        response = supply_client.get(url)
    assert response.content.decode().count("Continuer le contrôle") == 3
