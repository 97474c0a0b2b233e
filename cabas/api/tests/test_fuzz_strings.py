"""Every string the API reads, fuzzed with control characters, NUL and lone surrogates
(hypothesis): the answer is a documented status with the API's JSON error shape, never a
server error, and a refused request stores nothing. Schemathesis (test_schemathesis.py)
covers the whole document; this test makes sure the characters databases refuse are tried
in every string field on every run."""

import json
from decimal import Decimal
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cabas.accounts.tests.factories import PASSWORD
from cabas.api.models import ApiToken
from cabas.api.services import token_create
from cabas.orders.models import Order
from cabas.orders.services import order_place
from cabas.orders.tests.factories import open_shop

pytestmark = pytest.mark.django_db

CONTROL = st.characters(min_codepoint=0, max_codepoint=0x1F) | st.sampled_from(
    ["\x7f", "\x85", "\u2028", "\ufeff", "\ud800", "\udfff"]
)
ANY = st.characters()  # every code point, surrogates included
TEXT = st.one_of(
    st.text(st.one_of(CONTROL, ANY), max_size=20),
    st.tuples(st.text(ANY, max_size=5), st.text(ANY, max_size=5)).map("\x00".join),
)
DOCUMENTED = {200, 201, 401, 403, 404, 409, 422}
FUZZ = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _json(text: str) -> str:
    # ensure_ascii: lone surrogates travel as \\ud800 escapes, as any client would send them
    return json.dumps(text)


@pytest.fixture
def seeded(db):
    shop = open_shop()
    member = shop.member(email="camille@example.org")
    order = order_place(
        user=member, sale=shop.sale, pickup_id=shop.pickup.pk, slot_id=shop.slots[0].pk,
        lines=[(shop.products["bread"].pk, Decimal(1))], note="Sonner",
    )  # fmt: skip
    return shop, member, order, token_create(user=member).secret


def _send(client, method, path, body: str, token=None, headers=None):
    headers = dict(headers or {})
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return getattr(client, method)(
        "/api/v1" + path, body, content_type="application/json", headers=headers
    )


def _check(response, sent: str):
    assert response.status_code in DOCUMENTED, (response.status_code, response.content[:300])
    if response.status_code >= 400:
        assert set(response.json()) == {"error"}
        assert response.json()["error"]["code"]
    if "\x00" in sent:
        assert response.status_code == 422
        assert response.json()["error"]["code"] == "validation_error"


@FUZZ
@given(field=st.sampled_from(["email", "password", "name"]), value=TEXT)
def test_token_strings(client, seeded, field, value):
    body = {"email": "camille@example.org", "password": PASSWORD, "name": "Téléphone"}
    text = json.dumps(body).replace(json.dumps(body[field]), _json(value), 1)
    before = ApiToken.objects.count()

    response = _send(client, "post", "/auth/token", text)

    _check(response, value)
    if response.status_code != 200:
        assert ApiToken.objects.count() == before
    else:
        assert "\x00" not in ApiToken.objects.latest("pk").name


@FUZZ
@given(value=TEXT, header=TEXT)
def test_order_note_and_idempotency_key(client, seeded, value, header):
    shop, member, order, token = seeded
    body = {"pickup_id": shop.pickup.pk, "slot_id": shop.slots[0].pk,
            "lines": [{"product_id": shop.products["bread"].pk, "quantity": 2}]}  # fmt: skip
    text = json.dumps({**body, "note": "NOTE"}).replace('"NOTE"', _json(value))

    response = _send(client, "put", f"/orgs/{shop.organisation.slug}/orders/{order.code}", text,
                     token)  # fmt: skip

    _check(response, value)
    stored = Order.objects.get(pk=order.pk).note
    assert stored == (value if response.status_code == 200 else "Sonner") or (
        response.status_code == 200 and stored == value[:2000]
    )
    if response.status_code == 200:  # back to the seeded note for the next example
        Order.objects.filter(pk=order.pk).update(note="Sonner")
    # a new order with this key: refused or answered before any write (the member has one)
    key = header.encode("utf-8", "surrogatepass").decode("latin-1", "replace")
    response = _send(client, "post", f"/orgs/{shop.organisation.slug}/orders",
                     json.dumps({**body, "sale_id": shop.sale.pk}), token,
                     headers={"Idempotency-Key": key})  # fmt: skip
    assert response.status_code in DOCUMENTED
    assert Order.objects.filter(user=member).count() == 1


@FUZZ
@given(slug=TEXT)
def test_path_strings(client, seeded, slug):
    shop, member, order, token = seeded
    path = quote(slug.encode("utf-8", "surrogatepass"), safe="")
    for url in (f"/orgs/{path}/sales", f"/orgs/{path}/orders", f"/orgs/{path}/orders/{order.code}",
                f"/orgs/{shop.organisation.slug}/orders/{path}"):  # fmt: skip
        response = client.get("/api/v1" + url, headers={"Authorization": f"Bearer {token}"})
        assert response.status_code in DOCUMENTED, (url, response.status_code)
        if response.status_code >= 400:
            assert response["Content-Type"].startswith("application/json")
