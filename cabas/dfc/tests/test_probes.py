"""Hostile and malformed requests to every DFC endpoint: odd methods, headers, bodies, ids,
numbers. Each gets a clear answer (never a 500), writes nothing, and escapes what it echoes."""

import json

import pytest
from django.test import Client

from cabas.dfc.tests.orders_kit import ENTERPRISE, HUB_ORDER, ORDERS, make_hub, snapshot

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_network")]

PATH = "/api/dfc/enterprises/cabas-albi"
LINE_1 = f"{HUB_ORDER}/OrderLines/1"


@pytest.fixture
def hub():
    return make_hub()


def _client():
    return Client(raise_request_exception=True)


def _json_error(response, *statuses):
    assert response.status_code in statuses, (response.status_code, response.content[:300])
    assert response.status_code < 500
    if response.status_code >= 400:
        assert response.json()["error"]["message"]


GET_PATHS = [
    PATH,
    f"{PATH}/catalog_items",
    f"{PATH}/sale_sessions",
    f"{PATH}/supplied_products/99999999999999999999",
    f"{PATH}/catalog_items/99999999999999999999",
    f"{PATH}/offers/-1",
    f"{PATH}/producers/99999999999999999999",
    f"{PATH}/producers/99999999999999999999/catalog_items",
    f"{PATH}/orders",
    f"{PATH}/orders/00000000-0000-0000-0000-000000000000",
    f"{PATH}/orders/not-a-uuid",
    "/api/dfc/enterprises/caf%C3%A9",
    "/api/dfc/enterprises/caf%C3%A9/orders",
    "/api/dfc/enterprises/%00",
    "/api/dfc/webid",
    "/api/dfc/%3Cscript%3E",
]

AUTHORIZATIONS = [
    "Bearer",
    "Bearer ",
    "Bearer  x",
    "Bearer " + "a" * 20000,
    "Bearer é€💥",
    "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.",
    "Bearer eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ.e30.c2ln",
    "Basic Zm9vOmJhcg==",
    "bearer x",
    "Bearer\tx",
    "Bearer x y",
]

ACCEPTS = [
    'application/ld+json; profile="javascript:alert(1)"',
    "application/ld+json;;;;q=abc",
    "text/html",
    "*/*; q=NaN",
    "application/ld+json; profile=" + "x" * 5000,
]


@pytest.mark.parametrize("path", GET_PATHS)
@pytest.mark.parametrize("authorization", [None, *AUTHORIZATIONS])
def test_odd_authorizations_never_fail(hub, path, authorization):
    headers = {"Authorization": authorization} if authorization is not None else {}
    response = _client().get(path, headers=headers)
    assert response.status_code < 500, response.content[:300]


@pytest.mark.parametrize("path", GET_PATHS)
@pytest.mark.parametrize("accept", ACCEPTS)
def test_odd_accept_headers_never_fail(hub, path, accept):
    response = _client().get(
        path, headers={"Accept": accept, "Authorization": f"Bearer {hub.secret}"}
    )
    assert response.status_code < 500, response.content[:300]


@pytest.mark.parametrize("path", GET_PATHS)
@pytest.mark.parametrize("method", ["put", "patch", "delete", "options", "head", "post"])
def test_wrong_methods_never_fail(hub, path, method):
    before = snapshot()
    headers = {"Authorization": f"Bearer {hub.secret}"}
    client = _client()
    if method == "head":
        response = client.head(path, headers=headers)
    else:
        response = getattr(client, method)(
            path, "{}", content_type="application/ld+json", headers=headers
        )
    assert response.status_code < 500, response.content[:300]
    assert snapshot() == before


BODIES = [
    b"\xff\xfe\x00bad",
    b"",
    b"[]",
    b'"text"',
    b"42",
    b"null",
    b"true",
    b"{",
    b"[" * 5000 + b"]" * 5000,
    b'{"a":' * 3000 + b"1" + b"}" * 3000,
    b'{"@graph": 5}',
    b'{"@graph": [1, "x", null, []]}',
    b'{"@graph": [{"@id": null, "@type": 5}]}',
    b'{"@graph": [{"@id": "javascript:alert(1)", "@type": "dfc-b:Order"}]}',
    b'{"@graph": [{"@id": "<script>alert(1)</script>", "@type": "dfc-b:Order"}]}',
    b'{"@context": {"@vocab": "http://evil/"}, "@graph": []}',
    b'{"@id": "x", "@type": ["dfc-b:Order", "dfc-b:Order"]}',
]


@pytest.mark.parametrize("body", BODIES)
@pytest.mark.parametrize("target", ["list", "detail"])
def test_malformed_bodies_are_refused(hub, body, target):
    before = snapshot()
    url = ORDERS if target == "list" else f"{PATH}/orders/00000000-0000-0000-0000-000000000000"
    method = "post" if target == "list" else "put"
    response = getattr(_client(), method)(
        url,
        body,
        content_type="application/ld+json",
        headers={"Authorization": f"Bearer {hub.secret}"},
    )
    _json_error(response, 400, 404, 405, 413, 415, 422)
    assert snapshot() == before
    assert b"<script>" not in response.content


NUMBERS = [
    "1e999",
    "NaN",
    "Infinity",
    "-Infinity",
    "-0",
    "1e-30",
    "-1",
    "0",
    "99999999999999999999999999",
    "0.0000000001",
    '"1e999"',
    '"NaN"',
    '"abc"',
    "null",
    "[]",
    "{}",
    "true",
    '"-0"',
    '" 2 "',
    '"٣"',
]


def _document(hub, **line):
    document = hub.vector("backorder_3_lines_pickup.json")
    for node in document["@graph"]:
        if node["@id"] == LINE_1:
            node.update(line)
    return document


@pytest.mark.parametrize("number", NUMBERS)
def test_odd_quantities_are_refused_or_exact(hub, number):
    before = snapshot()
    body = json.dumps(_document(hub)).replace('"dfc-b:quantity": 4', f'"dfc-b:quantity": {number}')
    response = _client().post(
        ORDERS,
        body,
        content_type="application/ld+json",
        headers={"Authorization": f"Bearer {hub.secret}"},
    )
    assert response.status_code < 500, response.content[:300]
    if response.status_code >= 400:
        assert snapshot() == before


@pytest.mark.parametrize("number", NUMBERS)
def test_odd_prices_never_fail(hub, number):
    document = _document(hub)
    offer = f"{ENTERPRISE}/offers/{hub.shop.products['bread'].pk}"
    body = json.dumps(document)
    body = body.replace(
        f'"@id": "{offer}", "@type": "dfc-b:Offer"',
        f'"@id": "{offer}", "@type": "dfc-b:Offer", "dfc-b:price": '
        f'{{"dfc-b:value": {number}, "dfc-b:hasUnit": "dfc-m:Euro"}}',
    )
    response = _client().post(
        ORDERS,
        body,
        content_type="application/ld+json",
        headers={"Authorization": f"Bearer {hub.secret}"},
    )
    assert response.status_code < 500, response.content[:300]


@pytest.mark.parametrize(
    "concerns",
    [
        "javascript:alert(1)",
        "<script>alert(1)</script>",
        f"{ENTERPRISE}/offers/99999999999999999999",
        f"{ENTERPRISE}/offers/abc",
        "https://other.example/api/dfc/enterprises/cabas-albi/offers/1",
        "/api/dfc/enterprises/other/offers/1",
        f"{ENTERPRISE}/offers/1%00",
        "",
        5,
        None,
        ["a", "b"],
        {"@id": 5},
    ],
)
def test_odd_references_are_refused(hub, concerns):
    before = snapshot()
    document = _document(hub, **{"dfc-b:concerns": concerns})
    response = _client().post(
        ORDERS,
        json.dumps(document),
        content_type="application/ld+json",
        headers={"Authorization": f"Bearer {hub.secret}"},
    )
    _json_error(response, 400, 404, 409, 422)
    assert snapshot() == before
    assert b"<script>" not in response.content


@pytest.mark.parametrize(
    "order_id", ["javascript:alert(1)", "<script>x</script>", "", 5, None, "x" * 5000, "ftp://x"]
)
def test_odd_order_ids_are_refused_or_escaped(hub, order_id):
    document = hub.vector("backorder_3_lines_pickup.json")
    body = json.dumps(document).replace(f'"{HUB_ORDER}"', json.dumps(order_id))
    response = _client().post(
        ORDERS,
        body,
        content_type="application/ld+json",
        headers={"Authorization": f"Bearer {hub.secret}"},
    )
    assert response.status_code < 500, response.content[:300]
    assert b"<script>" not in response.content
