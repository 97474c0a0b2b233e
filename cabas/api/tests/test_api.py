"""The JSON API /api/v1/: tokens, the shop's reads, orders, every error code, query counts
and the OpenAPI document."""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cabas.accounts.tests.factories import PASSWORD, UserFactory
from cabas.api.models import ApiToken
from cabas.catalog.models import Product
from cabas.orders import services as order_services
from cabas.orders.models import Order
from cabas.orders.tests.factories import open_shop
from cabas.orgs.models import Organisation
from cabas.sales.models import Sale, SaleItem, Slot

pytestmark = pytest.mark.django_db
D = Decimal
API = "/api/v1"


class Api:
    """A test client speaking JSON with a bearer token."""

    def __init__(self, client, token: str | None = None):
        self.client = client
        self.token = token

    def _headers(self, headers):
        headers = dict(headers or {})
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        return headers

    def get(self, path, headers=None):
        return self.client.get(API + path, headers=self._headers(headers))

    def send(self, method, path, body=None, headers=None):
        data = body if isinstance(body, str) else json.dumps(body or {})
        return getattr(self.client, method)(
            API + path, data, content_type="application/json", headers=self._headers(headers)
        )

    def post(self, path, body=None, headers=None):
        return self.send("post", path, body, headers)

    def put(self, path, body=None, headers=None):
        return self.send("put", path, body, headers)

    def delete(self, path, headers=None):
        return self.client.delete(API + path, headers=self._headers(headers))


def obtain_token(client, user, password=PASSWORD) -> str:
    response = Api(client).post("/auth/token", {"email": user.email, "password": password})
    assert response.status_code == 200, response.content
    return response.json()["token"]


def api_for(client, user) -> Api:
    return Api(client, obtain_token(client, user))


def assert_error(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code, body
    assert body["error"]["message"]
    return body["error"]


@pytest.fixture
def shop():
    return open_shop()


@pytest.fixture
def member(shop):
    return shop.member()


@pytest.fixture
def api(client, member):
    return api_for(client, member)


def order_body(shop, lines, slot="first", pickup=None, **extra):
    pickup = pickup or shop.pickup
    slot_id = shop.slots[0].pk if slot == "first" else (slot.pk if slot else None)
    return {
        "sale_id": shop.sale.pk,
        "pickup_id": pickup.pk,
        "slot_id": slot_id,
        "lines": [
            {"product_id": shop.products[name].pk, "quantity": quantity} for name, quantity in lines
        ],
        **extra,
    }


def orders_url(shop, code=None):
    url = f"/orgs/{shop.organisation.slug}/orders"
    return f"{url}/{code}" if code else url


# --- Tokens -------------------------------------------------------------------------------------


def test_a_token_is_obtained_with_email_and_password_and_only_its_hash_is_kept(client, member):
    response = Api(client).post(
        "/auth/token", {"email": member.email, "password": PASSWORD, "name": "Phone"}
    )

    assert response.status_code == 200
    body = response.json()
    token = ApiToken.objects.get(pk=body["token_id"])
    assert token.user == member
    assert token.name == "Phone"
    assert token.key_hash == hashlib.sha256(body["token"].encode()).hexdigest()
    assert token.prefix == body["token"][:8]
    assert len(body["token"]) >= 40
    assert not ApiToken.objects.filter(key_hash=body["token"]).exists()


@pytest.mark.parametrize(
    "credentials",
    [
        {"email": "member", "password": "wrong password"},
        {"email": "nobody@example.org", "password": PASSWORD},
    ],
)
def test_a_bad_password_or_unknown_email_gets_401(client, member, credentials):
    if credentials["email"] == "member":
        credentials["email"] = member.email

    response = Api(client).post("/auth/token", credentials)

    assert_error(response, 401, "unauthorized")
    assert not ApiToken.objects.exists()


def test_an_unverified_email_gets_no_token(client):
    user = UserFactory(verified=False)

    assert_error(
        Api(client).post("/auth/token", {"email": user.email, "password": PASSWORD}),
        401,
        "unauthorized",
    )


@pytest.mark.parametrize("header", [None, "Bearer not-a-token", "Basic abc"])
def test_calls_without_a_valid_token_get_401(client, shop, header):
    headers = {"Authorization": header} if header else {}

    response = Api(client).get(f"/orgs/{shop.organisation.slug}/sales", headers=headers)

    assert_error(response, 401, "unauthorized")


def test_a_session_login_does_not_authenticate_the_api(client, shop, member):
    client.force_login(member)

    assert_error(Api(client).get(f"/orgs/{shop.organisation.slug}/sales"), 401, "unauthorized")


def test_a_revoked_token_gets_401(client, shop, member, api):
    url = f"/orgs/{shop.organisation.slug}/sales"
    assert api.get(url).status_code == 200
    token = ApiToken.objects.get(user=member)
    client.force_login(member)

    response = client.post(f"/accounts/tokens/{token.pk}/revoke/")

    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert_error(api.get(url), 401, "unauthorized")


def test_an_inactive_user_token_gets_401(client, shop, member, api):
    type(member).objects.filter(pk=member.pk).update(is_active=False)

    assert_error(api.get(f"/orgs/{shop.organisation.slug}/sales"), 401, "unauthorized")


def test_last_used_at_is_written_at_most_once_a_minute(client, shop, member, api):
    url = f"/orgs/{shop.organisation.slug}/sales"
    api.get(url)
    token = ApiToken.objects.get(user=member)
    assert token.last_used_at is not None
    recent = timezone.now() - timedelta(seconds=30)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=recent)

    api.get(url)

    token.refresh_from_db()
    assert token.last_used_at == recent
    old = timezone.now() - timedelta(minutes=2)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=old)
    api.get(url)
    token.refresh_from_db()
    assert token.last_used_at > old


# --- Profile page -----------------------------------------------------------------------------


def test_the_profile_page_creates_lists_and_revokes_tokens(client, member):
    client.force_login(member)

    response = client.post("/accounts/tokens/", {"name": "Script de compta"})

    assert response.status_code == 200
    token = ApiToken.objects.get(user=member)
    secret = response.context["new"].secret
    assert secret in response.content.decode()
    assert hashlib.sha256(secret.encode()).hexdigest() == token.key_hash
    # shown once: the list shows only the prefix
    page = client.get("/accounts/tokens/").content.decode()
    assert "Script de compta" in page
    assert token.prefix in page
    assert secret not in page
    # the token works with the API
    assert Api(client, secret).get("/orgs/nowhere/sales").status_code == 404


def test_a_token_of_someone_else_cannot_be_revoked(client, member):
    other = UserFactory()
    token = ApiToken.objects.create(user=other, key_hash="x" * 64, prefix="xxxxxxxx")
    client.force_login(member)

    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


# --- Shop ---------------------------------------------------------------------------------------


def test_open_sales_with_their_pickups(shop, api):
    response = api.get(f"/orgs/{shop.organisation.slug}/sales")

    assert response.status_code == 200
    [sale] = response.json()
    assert sale["id"] == shop.sale.pk
    assert sale["title"] == "Vente du vendredi"
    pickups = {p["id"]: p for p in sale["pickups"]}
    assert set(pickups) == {shop.pickup.pk, shop.open_pickup.pk}
    assert pickups[shop.pickup.pk]["has_slots"] is True
    assert pickups[shop.open_pickup.pk]["has_slots"] is False
    assert pickups[shop.pickup.pk]["name"] == shop.pickup.pickup_point.name
    assert {"address", "town", "starts_at", "ends_at"} <= set(pickups[shop.pickup.pk])


def test_the_catalog_of_a_sale(shop, api):
    SaleItem.objects.filter(sale=shop.sale, product=shop.products["soap"]).update(
        is_unavailable=True
    )

    response = api.get(f"/orgs/{shop.organisation.slug}/sales/{shop.sale.pk}/catalog")

    assert response.status_code == 200
    items = {item["name"]: item for item in response.json()}
    assert set(items) == {"Pain de campagne", "Tomme", "Tomates", "Poulet"}
    bread, cheese = items["Pain de campagne"], items["Tomme"]
    assert bread["product_id"] == shop.products["bread"].pk
    assert bread["price"] == "4.20"
    assert bread["quantity_remaining"] is None
    assert bread["sold_out"] is False
    assert bread["producer"] == "Ferme du Cérou"
    assert bread["category"] == "bakery-bread"
    assert cheese["quantity_remaining"] == "5"
    assert items["Tomates"]["unit_kind"] == "weight"
    assert items["Tomates"]["quantity_step"] == "0.5"
    assert items["Tomates"]["min_quantity"] == "0.5"
    chicken = items["Poulet"]
    assert (chicken["variable_weight"], chicken["price"], chicken["price_per_kg"]) == (
        True,
        "19.04",
        "11.90",
    )
    assert set(bread) == {
        "product_id", "name", "producer", "category", "unit_kind", "unit_label", "price",
        "price_per_kg", "variable_weight", "vat_rate", "quantity_remaining", "sold_out",
        "min_quantity", "quantity_step", "is_organic", "content_quantity", "content_unit",
        "content_count", "reference_price", "reference_unit",
    }  # fmt: skip


def test_a_sold_out_item_and_shop_stock(shop, api):
    order_services.order_place(
        user=shop.member(), sale=shop.sale, pickup_id=shop.open_pickup.pk, slot_id=None,
        lines=[(shop.products["cheese"].pk, D("5"))], notify=False,
    )  # fmt: skip

    items = {
        i["name"]: i
        for i in api.get(f"/orgs/{shop.organisation.slug}/sales/{shop.sale.pk}/catalog").json()
    }

    assert (items["Tomme"]["sold_out"], items["Tomme"]["quantity_remaining"]) == (True, "0")
    assert (items["Savon"]["sold_out"], items["Savon"]["quantity_remaining"]) == (False, "10")


def test_slots_with_places_left(shop, api):
    for _ in range(2):
        order_services.order_place(
            user=shop.member(), sale=shop.sale, pickup_id=shop.pickup.pk,
            slot_id=shop.slots[0].pk, lines=[(shop.products["bread"].pk, D(1))], notify=False,
        )  # fmt: skip
    Slot.objects.filter(pk=shop.slots[1].pk).update(is_open=False)

    response = api.get(f"/orgs/{shop.organisation.slug}/sales/{shop.sale.pk}/slots")

    assert response.status_code == 200
    pickups = {p["id"]: p for p in response.json()}
    slots = pickups[shop.pickup.pk]["slots"]
    assert [s["id"] for s in slots] == [s.pk for s in shop.slots]
    assert (slots[0]["places_left"], slots[0]["bookable"]) == (3, True)
    assert slots[1]["bookable"] is False
    assert pickups[shop.pickup.pk]["bookable"] is True
    unlimited = pickups[shop.open_pickup.pk]
    assert (unlimited["slots"], unlimited["places_left"], unlimited["bookable"]) == ([], None, True)


def test_the_catalog_and_slots_are_built_once_per_shop_cache_period(shop, api, client, settings):
    """With SHOP_CACHE_SECONDS on (as in production), a second read within the period is
    sent as built — fewer queries, the same body — while who may read is still checked."""
    from django.core.cache import caches

    cache = caches["shop"]

    settings.SHOP_CACHE_SECONDS = 60
    cache.clear()
    Organisation.objects.filter(pk=shop.organisation.pk).update(members_only=True)
    base = f"/orgs/{shop.organisation.slug}/sales/{shop.sale.pk}"
    for path in ("/catalog", "/slots"):
        with CaptureQueriesContext(connection) as first:
            built = api.get(base + path)
        with CaptureQueriesContext(connection) as second:
            sent = api.get(base + path)

        assert (built.status_code, sent.status_code) == (200, 200)
        assert sent.content == built.content
        assert len(second.captured_queries) < len(first.captured_queries)
    # The cached page never reaches a non-member, nor anyone once the sale is closed.
    assert_error(api_for(client, UserFactory()).get(base + "/catalog"), 403, "not_a_member")
    Sale.objects.filter(pk=shop.sale.pk).update(status=Sale.Status.CLOSED)
    assert_error(api.get(base + "/catalog"), 404, "not_found")
    cache.clear()


def test_an_unknown_or_closed_sale_is_not_found(shop, api):
    other = open_shop()
    slug = shop.organisation.slug
    for sale_id in (other.sale.pk, 999999):
        assert_error(api.get(f"/orgs/{slug}/sales/{sale_id}/catalog"), 404, "not_found")
    Sale.objects.filter(pk=shop.sale.pk).update(status=Sale.Status.CLOSED)
    assert_error(api.get(f"/orgs/{slug}/sales/{shop.sale.pk}/slots"), 404, "not_found")


def test_an_unknown_or_inactive_organisation_is_not_found(shop, api):
    assert_error(api.get("/orgs/nowhere/sales"), 404, "not_found")
    Organisation.objects.filter(pk=shop.organisation.pk).update(is_active=False)
    assert_error(api.get(f"/orgs/{shop.organisation.slug}/sales"), 404, "not_found")


def test_an_unknown_api_address_answers_json_404(api):
    assert_error(api.get("/nothing/here"), 404, "not_found")


def _queries(api, path) -> int:
    api.get(path)  # the token's last_used_at is written on first use
    with CaptureQueriesContext(connection) as queries:
        response = api.get(path)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("endpoint", ["catalog", "slots", "sales"])
def test_reads_cost_a_constant_number_of_queries(client, endpoint):
    small, large = open_shop(extra_products=10, slots=2), open_shop(extra_products=300, slots=30)
    counts = []
    for shop in (small, large):
        api = api_for(client, shop.member())
        path = f"/orgs/{shop.organisation.slug}/sales"
        if endpoint != "sales":
            path += f"/{shop.sale.pk}/{endpoint}"
        counts.append(_queries(api, path))
    assert counts[0] == counts[1]
    assert len(large.slots) == 30


# --- Orders -------------------------------------------------------------------------------------


def test_placing_an_order(shop, member, api):
    body = order_body(shop, [("bread", 2), ("tomatoes", "1,5"), ("chicken", 1)], note="Merci")

    response = api.post(orders_url(shop), body)

    assert response.status_code == 201, response.content
    data = response.json()
    order = Order.objects.get(user=member)
    assert data["id"] == str(order.code)
    assert data["number"] == 1
    assert data["status"] == "placed"
    assert data["note"] == "Merci"
    assert data["total"] == "33.44"  # 8.40 + 6.00 + 19.04
    assert data["pickup"]["id"] == shop.pickup.pk
    assert data["slot"]["id"] == shop.slots[0].pk
    lines = {line["name"]: line for line in data["lines"]}
    assert lines["Tomates"] == {
        "product_id": shop.products["tomatoes"].pk,
        "name": "Tomates",
        "quantity": "1.5",
        "unit_price": "4.00",
        "vat_rate": lines["Tomates"]["vat_rate"],
        "amount": "6.00",
    }
    assert lines["Poulet"]["unit_price"] == "19.04"


def test_a_price_sent_by_the_client_is_ignored(shop, member, api):
    body = order_body(shop, [("bread", 2)], total="0.01")
    body["lines"][0].update(price="0.01", unit_price="0.01", amount="0.01")

    response = api.post(orders_url(shop), body)

    assert response.status_code == 201
    assert response.json()["total"] == "8.40"
    assert response.json()["lines"][0]["unit_price"] == "4.20"
    assert Order.objects.get(user=member).total == D("8.40")


def test_a_replayed_idempotency_key_returns_the_same_order(shop, member, api):
    body = order_body(shop, [("bread", 1)])
    key = {"Idempotency-Key": str(uuid.uuid4())}

    first = api.post(orders_url(shop), body, headers=key)
    again = api.post(orders_url(shop), body, headers=key)

    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json()
    assert Order.objects.filter(user=member).count() == 1
    shop.slots[0].refresh_from_db()
    assert shop.slots[0].booked == 1
    # without the key, the second order is refused
    assert_error(api.post(orders_url(shop), body), 409, "already_ordered")


def test_an_idempotency_key_of_another_sale_is_refused(client, shop, member, api):
    key = {"Idempotency-Key": "same-key"}
    assert (
        api.post(orders_url(shop), order_body(shop, [("bread", 1)]), headers=key).status_code == 201
    )
    other = open_shop()

    response = api.post(orders_url(other), order_body(other, [("bread", 1)]), headers=key)

    assert_error(response, 422, "validation_error")
    assert Order.objects.filter(user=member).count() == 1


def test_own_orders_list_and_detail(shop, member, api):
    code = api.post(orders_url(shop), order_body(shop, [("bread", 1)])).json()["id"]

    listed = api.get(orders_url(shop))
    detail = api.get(orders_url(shop, code))

    assert listed.status_code == 200
    assert [o["id"] for o in listed.json()] == [code]
    assert detail.status_code == 200
    assert detail.json()["id"] == code


def test_changing_an_order(shop, member, api):
    code = api.post(orders_url(shop), order_body(shop, [("bread", 1), ("cheese", 2)])).json()["id"]
    body = order_body(shop, [("bread", 3)], slot=None, pickup=shop.open_pickup)
    del body["sale_id"]

    response = api.put(orders_url(shop, code), body)

    assert response.status_code == 200, response.content
    data = response.json()
    assert data["total"] == "12.60"
    assert [(line["name"], line["quantity"]) for line in data["lines"]] == [
        ("Pain de campagne", "3")
    ]
    assert (data["pickup"]["id"], data["slot"]) == (shop.open_pickup.pk, None)
    assert shop.item("cheese").quantity_ordered == 0
    shop.slots[0].refresh_from_db()
    assert shop.slots[0].booked == 0


def test_cancelling_an_order(shop, member, api):
    code = api.post(orders_url(shop), order_body(shop, [("cheese", 2)])).json()["id"]

    response = api.delete(orders_url(shop, code))

    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert response.json()["cancelled_at"]
    assert shop.item("cheese").quantity_ordered == 0
    assert Order.objects.get(code=code).status == Order.Status.CANCELLED


def test_another_persons_or_organisations_order_is_not_found(client, shop, member, api):
    other_shop = open_shop()
    others = api_for(client, other_shop.member())
    theirs = others.post(orders_url(other_shop), order_body(other_shop, [("bread", 1)])).json()
    neighbour = api_for(client, shop.member())
    mine = api.post(orders_url(shop), order_body(shop, [("bread", 1)])).json()

    # another organisation's order, through my organisation or theirs
    assert_error(api.get(orders_url(shop, theirs["id"])), 404, "not_found")
    assert_error(api.get(orders_url(other_shop, theirs["id"])), 404, "not_found")
    # another member's order in my organisation
    assert_error(neighbour.get(orders_url(shop, mine["id"])), 404, "not_found")
    assert_error(neighbour.delete(orders_url(shop, mine["id"])), 404, "not_found")
    body = order_body(shop, [("bread", 5)])
    del body["sale_id"]
    assert_error(neighbour.put(orders_url(shop, mine["id"]), body), 404, "not_found")
    assert neighbour.get(orders_url(shop)).json() == []
    assert Order.objects.get(code=mine["id"]).status == Order.Status.PLACED
    # an unknown code
    assert_error(api.get(orders_url(shop, uuid.uuid4())), 404, "not_found")


def test_a_sale_of_another_organisation_is_not_found(shop, api):
    other = open_shop()

    response = api.post(orders_url(shop), order_body(other, [("bread", 1)]))

    error = assert_error(response, 404, "not_found")
    assert "sale_id" in error["fields"]


# --- Errors -------------------------------------------------------------------------------------


def test_out_of_stock_names_the_product_and_what_is_left(shop, api):
    response = api.post(orders_url(shop), order_body(shop, [("cheese", 6)]))

    error = assert_error(response, 409, "out_of_stock")
    assert error["detail"] == {"product": "Tomme", "left": "5"}
    assert "Tomme" in error["fields"]["lines"]
    assert "5" in error["message"]
    assert not Order.objects.exists()


def test_a_full_slot(client):
    shop = open_shop(slot_capacity=1)
    first, second = api_for(client, shop.member()), api_for(client, shop.member())
    assert first.post(orders_url(shop), order_body(shop, [("bread", 1)])).status_code == 201

    error = assert_error(
        second.post(orders_url(shop), order_body(shop, [("bread", 1)])), 409, "slot_full"
    )

    assert "slot_id" in error["fields"]


def test_already_ordered(shop, api):
    assert api.post(orders_url(shop), order_body(shop, [("bread", 1)])).status_code == 201

    assert_error(
        api.post(orders_url(shop), order_body(shop, [("bread", 2)])), 409, "already_ordered"
    )


def test_below_minimum(shop, api):
    Sale.objects.filter(pk=shop.sale.pk).update(minimum_order_amount=D("20.00"))

    error = assert_error(api.post(orders_url(shop), order_body(shop, [("bread", 1)])), 422,
                         "below_minimum")  # fmt: skip

    assert error["detail"] == {"minimum": "20.00", "total": "4.20"}


def test_sale_closed(shop, api):
    Sale.objects.filter(pk=shop.sale.pk).update(closes_at=timezone.now() - timedelta(minutes=1))

    assert_error(api.post(orders_url(shop), order_body(shop, [("bread", 1)])), 409, "sale_closed")


def test_changing_or_cancelling_after_the_cutoff(shop, api):
    code = api.post(orders_url(shop), order_body(shop, [("bread", 1)])).json()["id"]
    Sale.objects.filter(pk=shop.sale.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    body = order_body(shop, [("bread", 2)])
    del body["sale_id"]

    assert_error(api.put(orders_url(shop, code), body), 409, "sale_closed")
    assert_error(api.delete(orders_url(shop, code)), 409, "sale_closed")


@pytest.mark.parametrize(
    ("lines", "field"),
    [
        ([("bread", "abc")], "lines.0.quantity"),
        ([("bread", None)], "lines.0.quantity"),
        ([("bread", "1e400")], "lines.0.quantity"),
        ([("bread", "NaN")], "lines.0.quantity"),
    ],
)
def test_a_badly_typed_body_is_a_validation_error(shop, api, lines, field):
    error = assert_error(api.post(orders_url(shop), order_body(shop, lines)), 422,
                         "validation_error")  # fmt: skip

    assert field in error["fields"]
    assert not Order.objects.exists()


def test_missing_fields_and_bad_json_are_validation_errors(shop, api):
    error = assert_error(api.post(orders_url(shop), {"lines": []}), 422, "validation_error")
    assert {"sale_id", "pickup_id"} <= set(error["fields"])

    assert_error(api.post(orders_url(shop), "{not json"), 422, "validation_error")
    assert_error(api.get(orders_url(shop, "not-a-uuid")), 422, "validation_error")


@pytest.mark.parametrize(
    ("lines", "slot", "field"),
    [
        ([("tomatoes", "0.3")], "first", "lines"),  # not a multiple of the step
        ([("bread", "1.5")], "first", "lines"),  # pieces are whole numbers
        ([], "first", "lines"),  # empty
        ([("bread", 1)], None, "slot_id"),  # the pickup has slots
    ],
)
def test_rules_of_the_services_are_validation_errors(shop, api, lines, slot, field):
    error = assert_error(api.post(orders_url(shop), order_body(shop, lines, slot=slot)), 422,
                         "validation_error")  # fmt: skip

    assert field in error["fields"]


def test_a_product_of_another_sale_is_a_validation_error(shop, api):
    body = order_body(shop, [("bread", 1)])
    body["lines"][0]["product_id"] = open_shop().products["bread"].pk

    assert_error(api.post(orders_url(shop), body), 422, "validation_error")


def test_members_only_organisations_refuse_non_members(client, shop, member, api):
    Organisation.objects.filter(pk=shop.organisation.pk).update(members_only=True)
    outsider = api_for(client, UserFactory())
    slug = shop.organisation.slug

    for response in (
        outsider.get(f"/orgs/{slug}/sales"),
        outsider.get(f"/orgs/{slug}/sales/{shop.sale.pk}/catalog"),
        outsider.get(f"/orgs/{slug}/sales/{shop.sale.pk}/slots"),
        outsider.post(orders_url(shop), order_body(shop, [("bread", 1)])),
    ):
        assert_error(response, 403, "not_a_member")
    assert not Order.objects.exists()
    # an active member may
    assert api.get(f"/orgs/{slug}/sales").status_code == 200
    assert api.post(orders_url(shop), order_body(shop, [("bread", 1)])).status_code == 201


def test_anyone_logged_in_orders_in_an_open_organisation(client, shop):
    visitor = api_for(client, UserFactory())

    assert visitor.post(orders_url(shop), order_body(shop, [("bread", 1)])).status_code == 201


def test_shop_stock_out_of_stock(shop, api):
    Product.objects.filter(pk=shop.products["soap"].pk).update(stock_quantity=D("2"))

    error = assert_error(api.post(orders_url(shop), order_body(shop, [("soap", 3)])), 409,
                         "out_of_stock")  # fmt: skip

    assert error["detail"] == {"product": "Savon", "left": "2"}


def test_out_of_stock_of_a_weight_product_tells_its_unit(shop, api):
    Product.objects.filter(pk=shop.products["soap"].pk).update(
        unit_kind="weight", stock_quantity=Decimal("9.5")
    )

    error = assert_error(api.post(orders_url(shop), order_body(shop, [("soap", 25)])), 409,
                         "out_of_stock")  # fmt: skip

    assert error["detail"] == {"product": "Savon", "left": "9.5"}
    assert error["message"] == "Il ne reste pas assez de « Savon » : il en reste 9,5\u00a0kg."


# --- OpenAPI ------------------------------------------------------------------------------------


def _refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def _resolve(document, ref):
    assert ref.startswith("#/"), ref
    node = document
    for part in ref[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def test_the_openapi_document_is_valid(client):
    response = client.get(f"{API}/openapi.json")

    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] and document["info"]["version"]
    assert set(document["paths"]) == {
        "/api/v1/auth/token",
        "/api/v1/orgs/{slug}/sales",
        "/api/v1/orgs/{slug}/sales/{sale_id}/catalog",
        "/api/v1/orgs/{slug}/sales/{sale_id}/slots",
        "/api/v1/orgs/{slug}/orders",
        "/api/v1/orgs/{slug}/orders/{code}",
    }
    assert set(document["paths"]["/api/v1/orgs/{slug}/orders/{code}"]) == {"get", "put", "delete"}
    refs = list(_refs(document))
    assert refs
    for ref in refs:
        _resolve(document, ref)  # every $ref resolves
    operation_ids = [
        op["operationId"] for item in document["paths"].values() for op in item.values()
    ]
    assert len(operation_ids) == len(set(operation_ids))
    for item in document["paths"].values():
        for operation in item.values():
            assert operation["responses"], operation
    # no price in the order's body; the bearer scheme is declared
    order_in = _resolve(document, "#/components/schemas/OrderIn")
    assert "price" not in json.dumps(order_in)
    assert document["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"
    from openapi_spec_validator import validate

    validate(document)  # the OpenAPI 3.1 specification's own schema


def test_the_docs_page_never_loads_assets_from_a_cdn(client, settings):
    response = client.get(f"{API}/docs")
    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower()
    assert "https://" not in page


def test_a_token_created_in_the_admin_shows_its_secret_once(client, member):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = client.post(
        "/admin/api/apitoken/add/", {"user": member.pk, "name": "Support"}, follow=True
    )

    token = ApiToken.objects.get(user=member)
    shown = [str(m) for m in response.context["messages"]]
    [message] = [text for text in shown if "affiché seulement maintenant" in text]
    secret = message.rsplit(" ", 1)[-1]
    assert token.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert token.prefix == secret[:8]


# --- Contract: statuses and bounds in the document ---------------------------------------------


def test_a_cancelled_order_is_not_editable_409(shop, api):
    code = api.post(orders_url(shop), order_body(shop, [("bread", 1)])).json()["id"]
    api.delete(orders_url(shop, code))
    body = order_body(shop, [("bread", 2)])
    del body["sale_id"]

    assert_error(api.put(orders_url(shop, code), body), 409, "order_not_editable")
    assert_error(api.delete(orders_url(shop, code)), 409, "order_not_editable")
    assert Order.objects.get(code=code).lines.get().quantity == 1


def test_every_refusal_of_the_orders_has_a_documented_status(client):
    from cabas.core.errors import HTTP_STATUS, DomainError
    from cabas.orders import errors

    codes = {
        value.code
        for value in vars(errors).values()
        if isinstance(value, type) and issubclass(value, DomainError) and value is not DomainError
    }
    assert codes - set(HTTP_STATUS) == set()
    document = client.get(f"{API}/openapi.json").json()
    for path, item in document["paths"].items():
        for operation in item.values():
            if path == "/api/v1/auth/token":
                continue
            assert {"401", "403", "404", "409", "422"} <= set(operation["responses"])
    assert "429" in document["paths"]["/api/v1/auth/token"]["post"]["responses"]


def test_the_document_gives_the_servers_bounds(client):
    schemas = client.get(f"{API}/openapi.json").json()["components"]["schemas"]

    assert schemas["OrderIn"]["properties"]["lines"]["minItems"] == 1
    assert schemas["OrderIn"]["properties"]["lines"]["maxItems"] == 500
    assert schemas["OrderIn"]["properties"]["sale_id"]["maximum"] == 2**63 - 1
    quantity = schemas["LineIn"]["properties"]["quantity"]["anyOf"]
    assert {"type": "number", "exclusiveMinimum": 0, "maximum": 9999999.999} in quantity
    assert {"type": "string", "pattern": r"^[0-9]{1,7}([.,][0-9]{1,3})?$"} in quantity


def test_a_quantity_above_the_lines_maximum_is_refused_by_the_shared_rule(shop, api):
    """The schema's bounds are the transport's; the line's maximum (``orders.rules``) is the
    same for the API as for the basket: 99,999 kg of tomatoes is refused, nothing written."""
    error = assert_error(api.post(orders_url(shop), order_body(shop, [("tomatoes", "99.999")])),
                         422, "validation_error")  # fmt: skip

    assert "50" in error["message"]
    assert not Order.objects.exists()


@pytest.mark.parametrize("quantity", ["12345678", "1.2345", 0, "0", -1, 1e9])
def test_a_quantity_out_of_the_documented_bounds_is_refused(shop, api, quantity):
    error = assert_error(api.post(orders_url(shop), order_body(shop, [("bread", quantity)])),
                         422, "validation_error")  # fmt: skip

    assert "lines.0.quantity" in error["fields"] or "lines" in error["fields"]
    assert not Order.objects.exists()
