"""Odd input is a clear 4xx that changes nothing, never a 500: NUL characters anywhere
(BadInputMiddleware), query parameters read with cabas.core.params, ids in paths."""

import json

import pytest
from django.http import Http404
from django.test import RequestFactory
from django.urls import reverse

from cabas.api.models import ApiToken
from cabas.core.params import DATE_MAX, parse_date, posted_object, whole_number
from cabas.orders.models import Order
from cabas.orders.tests.factories import members_order_kwargs, open_shop

NUL_MESSAGE = "caractère qui ne peut pas être enregistré"


@pytest.mark.django_db
def test_a_posted_id_is_a_row_or_not_found_never_an_error():
    from cabas.sales.models import Sale

    shop = open_shop()
    posted = RequestFactory().post("/", {"sale": str(shop.sale.pk)})
    assert posted_object(posted, Sale, "sale", organisation=shop.organisation) == shop.sale
    for forged in ("abc", "", "1.5", "-1", "٣", "9" * 40, str(shop.sale.pk + 1000)):
        with pytest.raises(Http404):
            posted_object(RequestFactory().post("/", {"sale": forged}), Sale, "sale")
    with pytest.raises(Http404):  # another organisation's filter
        posted_object(posted, Sale, "sale", organisation=open_shop().organisation)


def test_whole_numbers_are_ascii_digits_within_a_database_integer():
    assert whole_number("42") == 42
    assert whole_number(" 7 ") == 7
    for text in ("", "²", "٣", "-1", "1.5", "1e3", "9" * 19, str(2**63)):
        assert whole_number(text) is None
    assert whole_number(str(2**63 - 1)) == 2**63 - 1


@pytest.mark.parametrize("text", ["9999-12-31", "0001-01-01", "2025-02-30", "20250101", "x"])
def test_dates_out_of_bounds_or_malformed_are_refused(text):
    with pytest.raises(Exception, match="AAAA-MM-JJ|YYYY-MM-DD") as caught:
        parse_date(text)
    assert caught.type.__name__ == "BadQueryParameter"
    assert parse_date("2999-12-31") == DATE_MAX


def test_a_nul_in_a_query_string_is_a_bad_request(world, client):
    client.force_login(world.users["coordinator"])
    pickup_id = open_shop(organisation=world.org_a).pickup.pk
    url = reverse("distribution:checkin_pickup", kwargs={"slug": "collectif-a",
                                                         "pickup_id": pickup_id})  # fmt: skip

    response = client.get(url + "?q=%00")

    assert response.status_code == 400
    assert NUL_MESSAGE in response.content.decode()
    assert client.get(url + "?q=%C2%B2").status_code == 200  # not a number: a name search


def test_a_nul_in_a_path_is_a_bad_request(world, client):
    response = client.get("/invitations/%00/")

    assert response.status_code == 400
    assert NUL_MESSAGE in response.content.decode()


def test_a_nul_in_a_form_changes_nothing(world, client):
    client.force_login(world.users["member"])
    before = list(ApiToken.objects.values_list("pk", flat=True))

    response = client.post(reverse("api_tokens"), {"name": "Phone\x00"})

    assert response.status_code == 400
    assert list(ApiToken.objects.values_list("pk", flat=True)) == before


@pytest.mark.parametrize("to", ["9999-12-31", "0001-01-01", "2025-13-01", "%C2%B2"])
@pytest.mark.parametrize("name", ["money:period_receipt", "money:period_receipt_pdf"])
def test_a_receipt_period_out_of_bounds_is_a_bad_request(world, client, name, to):
    client.force_login(world.users["member"])

    response = client.get(reverse(name, kwargs={"slug": "collectif-a"}) + f"?to={to}")

    assert response.status_code == 400
    assert "AAAA-MM-JJ entre 1900 et 2999" in response.content.decode()


def test_a_huge_id_in_a_path_is_not_found(world, client):
    client.force_login(world.users["coordinator"])
    kwargs = {"slug": "collectif-a", "pickup_id": 10**20}
    url = reverse("distribution:checkin_pickup", kwargs={**kwargs, "pickup_id": 1})

    assert client.get(url.replace("/1/", f"/{10**20}/")).status_code == 404
    assert client.get(url.replace("/1/", f"/{10**17}/")).status_code == 404


# --- The API -----------------------------------------------------------------------------


def _post(client, path, body, token=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.post(
        f"/api/v1{path}", json.dumps(body), content_type="application/json", headers=headers
    )


def _assert_nul_refused(response):
    assert response.status_code == 422, response.content
    assert response.json()["error"]["code"] == "validation_error"
    assert "NUL" in response.json()["error"]["message"]


@pytest.mark.parametrize(
    "body",
    [
        {"email": "member-a@example.org\x00", "password": "x"},
        {"email": "member-a@example.org", "password": "x\x00"},
        {"email": "member-a@example.org", "password": "x", "name": "Phone\x00"},
        {"email": "member-a@example.org", "password": "x", "name": "\ud800"},
    ],
)
def test_the_api_refuses_nul_characters_and_lone_surrogates(world, client, body):
    _assert_nul_refused(_post(client, "/auth/token", body))
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        # Nested past Python's recursion limit, with an escape that makes the check parse it.
        "[" * 100_000 + '"\\u0000"',
        '{"a":' * 100_000 + '"\\ud800"',
        # Parsed, but too deep for the check to walk.
        "[" * 990 + '"\\u0000"' + "]" * 990,
    ],
)
def test_the_api_refuses_a_body_nested_too_deep_as_json_never_an_error(world, client, body):
    response = client.post("/api/v1/auth/token", body, content_type="application/json")

    assert response.status_code == 422, response.content
    assert response.json()["error"]["code"] == "validation_error"
    assert not ApiToken.objects.exists()


def test_an_order_note_with_a_nul_changes_nothing(world, client):
    from cabas.api.services import token_create

    kwargs = members_order_kwargs(world)
    token = token_create(user=world.users["member"]).secret
    order = Order.objects.get(code=kwargs["code"])
    body = {"sale_id": order.sale_id, "pickup_id": order.pickup_id, "slot_id": order.slot_id,
            "lines": [{"product_id": order.lines.first().product_id, "quantity": 1}],
            "note": "Sonner\x00"}  # fmt: skip

    _assert_nul_refused(_post(client, "/orgs/collectif-a/orders", body, token))
    response = client.put(
        f"/api/v1/orgs/collectif-a/orders/{order.code}",
        json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    _assert_nul_refused(response)
    assert Order.objects.get(pk=order.pk).note == order.note


def test_an_unknown_api_address_answers_json_404_even_for_a_post_without_csrf(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["member"])  # a session cookie, no CSRF token

    for method in ("get", "post", "put", "delete"):
        response = getattr(client, method)("/api/v1/nothing/here")
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("key", ["k\x00", "a key with spaces", "clé"])
def test_an_idempotency_key_outside_visible_ascii_is_refused(world, client, key):
    from cabas.api.services import token_create

    kwargs = members_order_kwargs(world)
    order = Order.objects.get(code=kwargs["code"])
    Order.objects.filter(pk=order.pk).update(status="cancelled")
    token = token_create(user=world.users["member"]).secret
    body = {"sale_id": order.sale_id, "pickup_id": order.pickup_id, "slot_id": order.slot_id,
            "lines": [{"product_id": order.lines.first().product_id, "quantity": 1}]}  # fmt: skip

    response = client.post(
        "/api/v1/orgs/collectif-a/orders",
        json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}", "Idempotency-Key": key},
    )

    assert response.status_code == 422, response.content
    assert response.json()["error"]["code"] == "validation_error"
    assert Order.objects.filter(user=world.users["member"]).count() == 1


def test_an_api_body_over_the_upload_limit_is_a_json_413_that_creates_nothing(
    world, client, settings
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    body = {"email": "member-a@example.org", "password": "x", "name": "a" * 20_000}

    response = _post(client, "/auth/token", body)

    assert response.status_code == 413, response.content
    assert response.json()["error"]["code"] == "request_too_large"
    assert response.json()["error"]["message"] == "La demande est trop volumineuse."
    assert not ApiToken.objects.exists()


def test_a_form_with_too_many_fields_is_a_page_saying_so(world, client, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    client.force_login(world.users["member"])
    fields = {f"field{number}": "x" for number in range(20)}

    response = client.post(reverse("api_tokens"), {"name": "Phone", **fields})

    assert response.status_code == 413
    assert "La demande est trop volumineuse." in response.content.decode()
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize("method", ["patch", "put", "delete"])
def test_a_method_the_api_does_not_route_is_a_json_405(world, client, method):
    response = getattr(client, method)("/api/v1/auth/token", "{}", content_type="application/json")

    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"
