"""What the DFC order endpoints refuse, each with its status, code, and the node and property
at fault; a refused document writes nothing, and the ordering rules (cutoff, stock, slot
capacity, membership, quantities, one order per sale) apply to orders from other platforms."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from cabas.dfc.tests.orders_kit import (
    ENTERPRISE,
    HUB_ORDER,
    ORDERS,
    SESSIONS,
    make_hub,
    order_url,
    snapshot,
)
from cabas.orders import services as order_services
from cabas.orders.models import Order
from cabas.sales.models import Sale

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_network")]

LINE_1 = f"{HUB_ORDER}/OrderLines/1"


@pytest.fixture
def hub():
    return make_hub()


def refused(response, status, code, node=None, prop=None):
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert error["code"] == code
    assert error["message"]
    if node is not None:
        assert error.get("node") == node
    if prop is not None:
        assert error.get("property") == prop
    return error


def _backorder(hub):
    return hub.vector("backorder_3_lines_pickup.json")


def _line(document, index=1):
    return next(n for n in document["@graph"] if n["@id"].endswith(f"/OrderLines/{index}"))


# --- Documents that are not what Cabas reads ---------------------------------------------


@pytest.mark.parametrize(
    ("body", "status", "code", "node", "prop"),
    [
        (b"{not json", 400, "malformed_json", None, None),
        (b"\xff\xfe", 400, "malformed_json", None, None),
        (b"[1, 2]", 400, "malformed_json", None, None),
        (b'"an order"', 400, "malformed_json", None, None),
        (b"[" * 100_000 + b"]" * 100_000, 400, "malformed_json", None, None),
        (b'{"@type": "dfc-b:Order"}', 422, "validation_error", "@context", "@context"),
        (
            b'{"@context": "https://example.org/evil-context.json", "@type": "dfc-b:Order"}',
            422,
            "unknown_context",
            "@context",
            "@context",
        ),
        (
            b'{"@context": "https://w3id.org/dfc/ontology/context/context_1.16.0.json",'
            b' "@type": "dfc-b:Offer"}',
            422,
            "validation_error",
            "@graph",
            "@type",
        ),
    ],
)
def test_a_document_cabas_cannot_read_is_refused(hub, body, status, code, node, prop):
    before = snapshot()

    response = hub.post(None, body=body)

    refused(response, status, code, node, prop)
    assert snapshot() == before


def test_a_document_too_large_is_refused_before_it_is_read(hub):
    body = json.dumps({"@context": "x", "padding": "a" * 300_000})

    response = hub.post(None, body=body)

    refused(response, 413, "too_large")
    assert Order.objects.count() == 0


def test_an_unknown_context_is_named_and_never_fetched(hub):
    document = _backorder(hub)
    document["@context"] = "https://dfc.example.org/context/context_9.9.9.json"

    error = refused(hub.post(document), 422, "unknown_context", "@context", "@context")

    assert "context_9.9.9.json" in error["message"]


# A change making the backorder malformed, the node and the property the refusal names.
MALFORMED = [
    (lambda d: d["@graph"][0].pop("dfc-b:hasPart"), HUB_ORDER, "dfc-b:hasPart"),
    (lambda d: _line(d).pop("dfc-b:concerns"), LINE_1, "dfc-b:concerns"),
    (lambda d: _line(d).pop("dfc-b:quantity"), LINE_1, "dfc-b:quantity"),
    (lambda d: _line(d).update({"dfc-b:quantity": "abc"}), LINE_1, "dfc-b:quantity"),
    (lambda d: _line(d).update({"dfc-b:quantity": True}), LINE_1, "dfc-b:quantity"),
    (lambda d: _line(d).update({"dfc-b:quantity": "1e400"}), LINE_1, "dfc-b:quantity"),
    (lambda d: _line(d).update({"dfc-b:quantity": 0}), LINE_1, "dfc-b:quantity"),
    (lambda d: _line(d).update({"dfc-b:quantity": "-2"}), LINE_1, "dfc-b:quantity"),
    (lambda d: _line(d).update({"dfc-b:quantity": 1.2345}), LINE_1, "dfc-b:quantity"),
    (lambda d: _line(d).update({"dfc-b:quantity": [1, 2]}), LINE_1, "dfc-b:quantity"),
    (lambda d: _line(d).update({"@type": "dfc-b:Offer"}), LINE_1, "@type"),
    (
        lambda d: d["@graph"].remove(_line(d)),  # listed in hasPart, not in the document
        HUB_ORDER,
        "dfc-b:hasPart",
    ),
    (
        lambda d: _line(d).update({"dfc-b:concerns": "https://elsewhere.example/offers/1"}),
        LINE_1,
        "dfc-b:concerns",
    ),
    (
        lambda d: _line(d).update(
            {"dfc-b:concerns": ENTERPRISE.replace("cabas-albi", "autre") + "/offers/1"}
        ),
        LINE_1,
        "dfc-b:concerns",
    ),
    (
        lambda d: d["@graph"][0].update({"dfc-b:hasOrderStatus": "dfc-v:Shipped"}),
        HUB_ORDER,
        "dfc-b:hasOrderStatus",
    ),
    (
        lambda d: d["@graph"][0].update({"dfc-b:hasOrderStatus": "dfc-v:Cancelled"}),
        HUB_ORDER,
        "dfc-b:hasOrderStatus",
    ),
    (
        lambda d: d["@graph"][0].update({"dfc-b:selects": f"{SESSIONS}#pickup-999999"}),
        HUB_ORDER,
        "dfc-b:selects",
    ),
    (
        lambda d: d["@graph"][0].update({"dfc-b:selects": f"{SESSIONS}#sale-1"}),
        HUB_ORDER,
        "dfc-b:selects",
    ),
    (
        lambda d: d["@graph"][0].update({"dfc-b:belongsTo": f"{SESSIONS}#sale-999999"}),
        HUB_ORDER,
        "dfc-b:belongsTo",
    ),
    (
        lambda d: d["@graph"].append({**d["@graph"][0], "@id": "https://hub.example/2"}),
        "@graph",
        "@type",
    ),
]


@pytest.mark.parametrize(("change", "node", "prop"), MALFORMED)
def test_a_malformed_order_is_refused_naming_the_node_and_property(hub, change, node, prop):
    document = _backorder(hub)
    change(document)
    before = snapshot()

    refused(hub.post(document), 422, "validation_error", node, prop)

    assert snapshot() == before


def test_a_product_not_offered_in_the_sale_is_refused_on_its_line(hub):
    outside = hub.shop.products["bread"].__class__.objects.create(
        organisation=hub.shop.organisation,
        producer=hub.shop.products["bread"].producer,
        name="Miel",
        price="7.00",
    )
    document = _backorder(hub)
    _line(document)["dfc-b:concerns"] = f"{ENTERPRISE}/offers/{outside.pk}"

    refused(hub.post(document), 422, "validation_error", LINE_1, "dfc-b:concerns")
    assert Order.objects.count() == 0


def test_nodes_of_two_sales_are_refused(hub):
    other = Sale.objects.create(
        organisation=hub.shop.organisation,
        title="Autre vente",
        opens_at=hub.shop.sale.opens_at,
        closes_at=hub.shop.sale.closes_at,
    )
    document = _backorder(hub)
    document["@graph"][0]["dfc-b:belongsTo"] = f"{SESSIONS}#sale-{other.pk}"

    refused(hub.post(document), 422, "validation_error", HUB_ORDER, "dfc-b:selects")
    assert Order.objects.count() == 0


# --- The ordering rules ----------------------------------------------------------------------


def test_after_the_cutoff_an_order_is_refused(hub):
    Sale.objects.filter(pk=hub.shop.sale.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    before = snapshot()

    refused(hub.post(_backorder(hub)), 409, "sale_closed", HUB_ORDER, "dfc-b:belongsTo")
    assert snapshot() == before


def test_after_the_cutoff_a_change_and_a_cancellation_are_refused(hub):
    hub.post(_backorder(hub))
    order = Order.objects.get()
    Sale.objects.filter(pk=hub.shop.sale.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    before = snapshot()

    update = hub.send("put", order_url(order), hub.vector("backorder_update.json"))
    cancel = hub.send("delete", order_url(order))

    refused(update, 409, "sale_closed")
    refused(cancel, 409, "sale_closed")
    assert snapshot() == before


def test_after_the_cutoff_the_same_order_sent_as_complete_is_answered_as_it_is(hub):
    """OFN sends its backorder again as dfc-v:Complete when its order cycle closes."""
    first = hub.post(_backorder(hub))
    order = Order.objects.get()
    Sale.objects.filter(pk=hub.shop.sale.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    document = _backorder(hub)
    document["@graph"][0]["dfc-b:hasOrderStatus"] = "dfc-v:Complete"
    before = snapshot()

    response = hub.send("put", order_url(order), document)

    assert response.status_code == 200
    assert response.json() == first.json()
    assert snapshot() == before


def test_more_than_the_stock_left_is_refused_on_its_line():
    hub = make_hub(cheese_stock=1)
    before = snapshot()

    refused(hub.post(_backorder(hub)), 409, "out_of_stock", f"{HUB_ORDER}/OrderLines/2",
            "dfc-b:quantity")  # fmt: skip
    assert snapshot() == before


def test_a_full_time_slot_is_refused():
    hub = make_hub(slot_capacity=1)
    order_services.order_place(
        user=hub.shop.member(), sale=hub.shop.sale, pickup_id=hub.shop.pickup.pk,
        slot_id=hub.shop.slots[0].pk, lines=[(hub.shop.products["bread"].pk, 1)],
    )  # fmt: skip
    document = _backorder(hub)
    document["@graph"][0]["dfc-b:selects"] = f"{SESSIONS}#slot-{hub.shop.slots[0].pk}"
    before = snapshot()

    refused(hub.post(document), 409, "slot_full", HUB_ORDER, "dfc-b:selects")
    assert snapshot() == before


def test_a_pickup_with_slots_needs_one_of_its_slots(hub):
    document = _backorder(hub)
    document["@graph"][0]["dfc-b:selects"] = f"{SESSIONS}#pickup-{hub.shop.pickup.pk}"

    refused(hub.post(document), 422, "validation_error", HUB_ORDER, "dfc-b:selects")
    assert Order.objects.count() == 0


def test_without_a_pickup_when_the_sale_has_several_it_is_refused(hub):
    document = _backorder(hub)
    del document["@graph"][0]["dfc-b:selects"]

    refused(hub.post(document), 422, "validation_error", HUB_ORDER, "dfc-b:selects")


def test_a_non_member_of_a_members_only_organisation_is_refused():
    hub = make_hub(member=False, members_only=True)
    before = snapshot()

    refused(hub.post(_backorder(hub)), 403, "not_a_member")
    assert snapshot() == before


def test_a_quantity_the_product_does_not_take_is_refused_on_its_line(hub):
    document = _backorder(hub)
    _line(document, 3)["dfc-b:quantity"] = 0.7  # tomatoes: by steps of 0.5

    refused(hub.post(document), 422, "validation_error", f"{HUB_ORDER}/OrderLines/3",
            "dfc-b:quantity")  # fmt: skip
    assert Order.objects.count() == 0


def test_a_second_order_in_the_same_sale_is_refused(hub):
    hub.post(_backorder(hub))
    document = _backorder(hub)
    document["@graph"][0]["@id"] = "https://hub.example.net/orders/another"
    before = snapshot()

    refused(hub.post(document), 409, "already_ordered")
    assert snapshot() == before


def test_an_order_id_sent_by_another_account_is_refused():
    hub = make_hub()
    hub.post(_backorder(hub))
    other = hub.shop.member()
    from cabas.dfc.services import dfc_token_create

    token = dfc_token_create(
        organisation=hub.shop.organisation, user=other, name="Autre", scopes=["orders:write"]
    )
    before = snapshot()

    response = hub.post(_backorder(hub), secret=token.secret)

    refused(response, 409, "order_conflict", HUB_ORDER, "@id")
    assert snapshot() == before


def test_an_update_naming_another_order_is_refused(hub):
    hub.post(_backorder(hub))
    order = Order.objects.get()
    document = hub.vector("backorder_update.json")
    document["@graph"][0]["@id"] = f"{ORDERS}/00000000-0000-0000-0000-000000000000"

    refused(hub.send("put", order_url(order), document), 422, "validation_error")


def test_an_update_with_another_senders_id_is_refused(hub):
    hub.post(_backorder(hub))
    order = Order.objects.get()
    document = hub.vector("backorder_update.json")
    document["@graph"][0]["@id"] = "https://hub.example.net/orders/some-other-order"
    before = snapshot()

    refused(hub.send("put", order_url(order), document), 422, "validation_error", None, "@id")
    assert snapshot() == before


def test_a_cancelled_order_sent_again_as_held_is_refused(hub):
    hub.post(_backorder(hub))
    order = Order.objects.get()
    hub.send("delete", order_url(order))
    before = snapshot()

    refused(hub.send("put", order_url(order), _backorder(hub)), 409, "order_not_editable")
    assert snapshot() == before
