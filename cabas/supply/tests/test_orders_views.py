"""The ordering pages: suggestions turned into a draft, a draft edited, sent and cancelled
from its page; every bad input a clear message with nothing changed (never a 500); the list
in a constant number of queries."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cabas.notifications.models import OutboxMessage
from cabas.supply import services
from cabas.supply.models import PurchaseOrder
from cabas.supply.tests.factories import ShopProductFactory, SupplierFactory, SupplierItemFactory

D = Decimal


@pytest.fixture
def shop(world, client):
    """Organisation A's wholesaler selling flour by 6 and oil by 1; the supply member logged in."""
    supplier = SupplierFactory(
        organisation=world.org_a, name="Grossiste", order_email="bc@g.example.org"
    )
    flour = SupplierItemFactory(
        supplier=supplier,
        package_size=D("6"),
        product=ShopProductFactory(
            organisation=world.org_a,
            producer=world.producer,
            name="Farine",
            stock_quantity=D("1"),
            stock_minimum=D("4"),
        ),
    ).product
    oil = SupplierItemFactory(
        supplier=supplier,
        product=ShopProductFactory(
            organisation=world.org_a, producer=world.producer, name="Huile", vat_rate=D("20.00")
        ),
    ).product
    client.force_login(world.users["supply"])
    return {"supplier": supplier, "flour": flour, "oil": oil, "slug": world.org_a.slug}


def _url(shop, name, **kwargs):
    return reverse(f"supply:{name}", kwargs={"slug": shop["slug"], **kwargs})


def _french(client):
    client.cookies["django_language"] = "fr"


def test_suggestions_page_turns_the_quantities_into_a_draft(client, shop):
    url = _url(shop, "suggestions") + f"?supplier={shop['supplier'].pk}"
    page = client.get(url)
    assert page.status_code == 200
    # Flour below its minimum of 4 (stock 1): 3 → by 6 → 6 suggested; oil: nothing to order.
    assert page.context["form"][f"quantity-{shop['flour'].pk}"].value() == D("6.000")

    response = client.post(
        url, {f"quantity-{shop['flour'].pk}": "12", f"quantity-{shop['oil'].pk}": "1,5"}
    )
    # 1,5 L of oil is not a multiple of 1: refused, nothing created.
    assert response.status_code == 400
    assert "multiple" in response.content.decode() or "multiple" in str(
        response.context["form"].errors
    )
    assert not PurchaseOrder.objects.exists()

    response = client.post(
        url, {f"quantity-{shop['flour'].pk}": "12", f"quantity-{shop['oil'].pk}": "2"}
    )
    order = PurchaseOrder.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _url(shop, "purchase_order", pk=order.pk)
    assert sorted(order.lines.values_list("product_name", "quantity")) == [
        ("Farine", D("12")),
        ("Huile", D("2")),
    ]


@pytest.mark.parametrize(
    "query",
    [
        "?supplier=abc",
        "?supplier=999999",
        "?days=0",
        "?days=x",
        "?target=400",
        "?supplier=1&days=-2",
    ],
)
def test_suggestions_bad_query_is_a_400_with_a_message(client, shop, query):
    _french(client)
    response = client.get(_url(shop, "suggestions") + query)
    assert response.status_code == 400


@pytest.mark.parametrize("value", ["-6", "abc", "7", "1e400", "12345678901"])
def test_suggestions_bad_quantity_shows_a_french_error(client, shop, value):
    _french(client)
    url = _url(shop, "suggestions") + f"?supplier={shop['supplier'].pk}"
    response = client.post(url, {f"quantity-{shop['flour'].pk}": value})
    assert response.status_code == 400
    errors = " ".join(str(e) for e in response.context["form"].errors.values())
    assert any(word in errors for word in ("négative", "nombre", "multiple", "grande")), errors
    assert not PurchaseOrder.objects.exists()


def _draft(shop):
    return services.purchase_order_create(
        supplier=shop["supplier"], quantities={shop["flour"].pk: D("6")}
    )


def test_suggestions_point_to_the_draft_already_prepared_for_the_supplier(client, shop):
    _french(client)
    url = _url(shop, "suggestions") + f"?supplier={shop['supplier'].pk}"
    assert "déjà en préparation" not in client.get(url).content.decode()
    order = _draft(shop)

    page = client.get(url).content.decode()

    assert "déjà en préparation" in page
    assert _url(shop, "purchase_order", pk=order.pk) in page


def test_a_draft_is_edited_from_its_page(client, shop):
    order = _draft(shop)
    url = _url(shop, "purchase_order", pk=order.pk)
    assert client.get(url).status_code == 200
    assert (
        client.post(url, {"action": "add", "product": shop["oil"].pk, "quantity": "3"}).status_code
        == 302
    )
    assert (
        client.post(
            url,
            {
                "action": "lines",
                f"quantity-{shop['flour'].pk}": "18",
                f"quantity-{shop['oil'].pk}": "3",
            },
        ).status_code
        == 302
    )
    assert (
        client.post(
            url, {"action": "details", "expected_on": "2026-12-02", "note": "Quai B"}
        ).status_code
        == 302
    )
    line = order.lines.get(product=shop["oil"])
    assert client.post(url, {"action": "remove", "line": line.pk}).status_code == 302
    order.refresh_from_db()
    assert (str(order.expected_on), order.note) == ("2026-12-02", "Quai B")
    assert list(order.lines.values_list("product_name", "quantity")) == [("Farine", D("18"))]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"action": "add", "product": "abc", "quantity": "1"}, "Choisissez un des produits"),
        ({"action": "add", "product": "999999", "quantity": "1"}, "Choisissez un des produits"),
        ({"action": "add", "product": "", "quantity": "1"}, "obligatoire"),
        ({"action": "add", "quantity": "-1"}, "ne peut pas être négative"),
        ({"action": "add", "product": "OIL", "quantity": "1,2345"}, "au plus trois décimales"),
        ({"action": "lines", "quantity-FLOUR": "5"}, "commandez-en un multiple (par exemple 6)"),
        ({"action": "lines", "quantity-FLOUR": "virgule"}, "Saisissez un nombre"),
        # An emptied field removes nothing by mistake (0 removes the line).
        ({"action": "lines", "quantity-FLOUR": ""}, "Saisissez une quantité (0 retire la ligne)."),
        ({"action": "details", "expected_on": "31/02/2026"}, "Saisissez une date"),
        ({"action": "details", "note": "x" * 2001}, "2000 caractères"),
        ({"action": "send", "file_format": "docx"}, "Choisissez PDF ou Excel (XLSX)."),
        ({"action": "explode"}, "Cette action n’existe pas"),
    ],
)
def test_bad_input_on_the_order_page_changes_nothing(client, shop, data, message):
    _french(client)
    order = _draft(shop)
    ids = {"FLOUR": str(shop["flour"].pk), "OIL": str(shop["oil"].pk)}
    data = {
        key.replace("FLOUR", ids["FLOUR"]): ids.get(value, value)
        if isinstance(value, str)
        else value
        for key, value in data.items()
    }
    before = list(order.lines.values_list("product_id", "quantity"))
    response = client.post(_url(shop, "purchase_order", pk=order.pk), data)
    assert response.status_code == 400
    assert message in response.content.decode().replace("&#x27;", "’").replace("'", "’")
    order.refresh_from_db()
    assert (order.status, order.expected_on, order.note) == ("draft", None, "")
    assert list(order.lines.values_list("product_id", "quantity")) == before


@pytest.mark.parametrize("persona", ["member", "volunteer", "producer", "outsider"])
def test_only_the_supply_team_and_coordinators_write(client, shop, world, persona):
    order = _draft(shop)
    client.force_login(world.users[persona])
    posts = [
        (
            _url(shop, "suggestions") + f"?supplier={shop['supplier'].pk}",
            {f"quantity-{shop['flour'].pk}": "6"},
        ),
        (_url(shop, "purchase_orders"), {"supplier": shop["supplier"].pk}),
        (_url(shop, "purchase_order", pk=order.pk), {"action": "send", "file_format": "pdf"}),
        (_url(shop, "purchase_order", pk=order.pk), {"action": "cancel"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == (404 if persona == "outsider" else 403)
    order.refresh_from_db()
    assert order.status == "draft" and PurchaseOrder.objects.count() == 1
    assert not OutboxMessage.objects.exists()


def test_the_coordinator_sends_too(client, shop, world):
    order = _draft(shop)
    client.force_login(world.users["coordinator"])
    url = _url(shop, "purchase_order", pk=order.pk)
    assert client.post(url, {"action": "send", "file_format": "xlsx"}).status_code == 302
    order.refresh_from_db()
    assert (order.status, order.file_format) == ("sent", "xlsx")


def test_send_from_the_page_twice_records_one_email(client, shop):
    order = _draft(shop)
    url = _url(shop, "purchase_order", pk=order.pk)
    assert client.post(url, {"action": "send", "file_format": "pdf"}).status_code == 302
    _french(client)
    second = client.post(url, {"action": "send", "file_format": "pdf"}, follow=True)
    assert second.status_code == 200
    assert "a été envoyé" in second.content.decode()
    assert OutboxMessage.objects.filter(key=f"purchase-order:{order.pk}:sent").count() == 1
    order.refresh_from_db()
    assert order.status == "sent" and order.sent_to == "bc@g.example.org"
    # Its page now shows the document; a change is refused with the reason.
    assert client.get(url).status_code == 200
    refused = client.post(url, {"action": "remove", "line": order.lines.get().pk}, follow=True)
    assert "a été envoyé" in refused.content.decode() and order.lines.count() == 1


def test_cancel_and_mark_as_sent(client, shop):
    order = _draft(shop)
    url = _url(shop, "purchase_order", pk=order.pk)
    assert client.post(url, {"action": "mark_sent", "file_format": "xlsx"}).status_code == 302
    order.refresh_from_db()
    assert (order.status, order.sent_to) == ("sent", "")
    assert not OutboxMessage.objects.exists()
    assert client.post(url, {"action": "cancel"}).status_code == 302
    order.refresh_from_db()
    assert order.status == "cancelled"
    again = client.post(url, {"action": "cancel"}, follow=True)
    assert again.status_code == 200 and order.status == "cancelled"


def test_print_page_and_files(client, shop):
    order = _draft(shop)
    assert b"BC-0001" in client.get(_url(shop, "purchase_order_print", pk=order.pk)).content
    pdf = client.get(_url(shop, "purchase_order_file", pk=order.pk, file_format="pdf"))
    assert pdf.content.startswith(b"%PDF")
    assert pdf["Content-Disposition"] == ('attachment; filename="commande-fournisseur-BC-0001.pdf"')
    xlsx = client.get(_url(shop, "purchase_order_file", pk=order.pk, file_format="xlsx"))
    assert xlsx.content.startswith(b"PK")
    assert (
        client.get(_url(shop, "purchase_order_file", pk=order.pk, file_format="docx")).status_code
        == 404
    )


def test_new_empty_order_and_bad_supplier(client, shop, world):
    url = _url(shop, "purchase_orders")
    other = SupplierFactory(organisation=world.org_b)
    _french(client)
    for value in ("", "abc", str(other.pk)):
        response = client.post(url, {"supplier": value})
        assert response.status_code == 400
        assert not PurchaseOrder.objects.exists()
    response = client.post(url, {"supplier": shop["supplier"].pk})
    order = PurchaseOrder.objects.get()
    assert response["Location"] == _url(shop, "purchase_order", pk=order.pk)
    assert client.get(url + "?status=nope").status_code == 400
    assert client.get(url + "?status=draft").status_code == 200


def test_an_order_of_another_organisation_is_not_found(client, shop, world):
    order = services.purchase_order_create(supplier=SupplierFactory(organisation=world.org_b))
    assert client.get(_url(shop, "purchase_order", pk=order.pk)).status_code == 404


def test_list_page_query_count_does_not_grow_with_the_orders(client, shop):
    def count(orders):
        for _ in range(orders):
            services.purchase_order_create(
                supplier=shop["supplier"],
                quantities={shop["flour"].pk: D("6"), shop["oil"].pk: D("1")},
            )
        client.get(
            _url(shop, "purchase_orders")
        )  # warm: the first page of a visit writes the organisation into the session
        with CaptureQueriesContext(connection) as captured:
            assert client.get(_url(shop, "purchase_orders")).status_code == 200
        return len(captured)

    assert count(2) == count(6)


def test_suggestions_page_query_count_does_not_grow_with_the_products(client, shop, world):
    url = _url(shop, "suggestions") + f"?supplier={shop['supplier'].pk}"

    def count(products):
        for _ in range(products):
            SupplierItemFactory(
                supplier=shop["supplier"],
                product=ShopProductFactory(organisation=world.org_a, producer=world.producer),
            )
        client.get(url)  # warm: the first page of a visit writes the organisation into the session
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    assert count(2) == count(6)


def test_order_page_query_count_does_not_grow_with_the_lines(client, shop, world):
    def count(lines):
        order = services.purchase_order_create(supplier=shop["supplier"])
        for _ in range(lines):
            item = SupplierItemFactory(
                supplier=shop["supplier"],
                product=ShopProductFactory(organisation=world.org_a, producer=world.producer),
            )
            services.purchase_order_line_set(
                purchase_order=order, product=item.product, quantity=D("2")
            )
        client.get(
            _url(shop, "purchase_order", pk=order.pk)
        )  # warm: the first page of a visit writes the organisation into the session
        with CaptureQueriesContext(connection) as captured:
            assert client.get(_url(shop, "purchase_order", pk=order.pk)).status_code == 200
        return len(captured)

    assert count(2) == count(6)


def test_sending_an_order_without_lines_says_why_once_and_sends_nothing(client, shop):
    """The send form's refusal is written above its fields once (its ``as_div`` writes it)."""
    order = _draft(shop)
    order.lines.all().delete()
    _french(client)

    response = client.post(
        _url(shop, "purchase_order", pk=order.pk), {"action": "send", "file_format": "pdf"}
    )

    assert response.status_code == 400
    assert response.content.decode().count("Cette commande fournisseur n’a aucune ligne.") == 1
    order.refresh_from_db()
    assert order.status == "draft" and not OutboxMessage.objects.exists()
