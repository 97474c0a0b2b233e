"""Who may read, place, change and cancel orders through the DFC API: a bearer token with
the orders scopes, acting as its account; a session cookie alone is nobody."""

import pytest
from django.test import Client
from django.urls import reverse

from cabas.dfc import vocabulary
from cabas.dfc.loader import expand
from cabas.dfc.models import Scope
from cabas.dfc.services import dfc_token_create
from cabas.dfc.tests.jsonld_walk import walk
from cabas.dfc.tests.orders_kit import ORDERS, SLUG, make_hub, nodes_of, order_url, snapshot
from cabas.orders import services as order_services
from cabas.orders.models import Order
from cabas.orgs.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def hub():
    return make_hub()


@pytest.fixture
def placed(hub):
    response = hub.post(hub.vector("backorder_3_lines_pickup.json"))
    assert response.status_code == 201
    return Order.objects.get()


def _members_order(hub):
    shop = hub.shop
    return order_services.order_place(
        user=shop.member(), sale=shop.sale, pickup_id=shop.open_pickup.pk, slot_id=None,
        lines=[(shop.products["bread"].pk, 1)],
    )  # fmt: skip


def _token(hub, user, scopes):
    return dfc_token_create(
        organisation=hub.shop.organisation, user=user, name="t", scopes=scopes
    ).secret


def test_without_a_token_every_order_endpoint_answers_401(hub, placed):
    client = Client(enforce_csrf_checks=True)
    for method, url in [
        ("get", ORDERS),
        ("post", ORDERS),
        ("put", ORDERS),
        ("get", order_url(placed)),
        ("put", order_url(placed)),
        ("delete", order_url(placed)),
    ]:
        data = {} if method == "get" else "{}"
        response = getattr(client, method)(url, data, content_type="application/ld+json")
        assert response.status_code == 401, (method, url)
        assert response.json()["error"]["code"] == "unauthorized"


def test_a_session_cookie_alone_does_not_authenticate(hub):
    client = Client(enforce_csrf_checks=True)
    client.force_login(hub.user)
    before = snapshot()

    response = client.post(
        ORDERS, hub.vector("backorder_3_lines_pickup.json"), content_type="application/ld+json"
    )

    assert response.status_code == 401
    assert snapshot() == before


def test_a_read_only_token_cannot_place_an_order(hub):
    secret = _token(hub, hub.user, [Scope.ORDERS_READ])

    response = hub.post(hub.vector("backorder_3_lines_pickup.json"), secret=secret)

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    assert Order.objects.count() == 0


def test_a_token_of_another_organisation_is_refused(hub):
    other = OrganisationFactory(slug="autre")
    MembershipFactory(organisation=other, user=hub.user)
    secret = dfc_token_create(
        organisation=other, user=hub.user, name="t", scopes=[Scope.ORDERS_WRITE]
    ).secret

    response = hub.post(hub.vector("backorder_3_lines_pickup.json"), secret=secret)

    assert response.status_code == 401
    assert Order.objects.count() == 0


def test_the_account_reads_its_order_and_nobody_elses(hub, placed):
    mine = hub.send("get", order_url(placed))
    theirs = hub.send("get", order_url(_members_order(hub)))

    assert mine.status_code == 200
    assert nodes_of(mine.json(), "Order")[0]["@id"] == f"{ORDERS}/{placed.code}"
    assert theirs.status_code == 404


def test_a_coordinators_token_reads_every_order_but_changes_only_its_own(hub, placed):
    coordinator = hub.shop.member()
    coordinator.memberships.update(is_coordinator=True)
    secret = _token(hub, coordinator, [Scope.ORDERS_READ, Scope.ORDERS_WRITE])

    read = hub.send("get", order_url(placed), secret=secret)
    cancel = hub.send("delete", order_url(placed), secret=secret)

    assert read.status_code == 200
    assert cancel.status_code == 403
    placed.refresh_from_db()
    assert placed.status == Order.Status.PLACED


def test_delete_cancels_the_order(hub, placed):
    response = hub.send("delete", order_url(placed))

    assert response.status_code == 200
    placed.refresh_from_db()
    assert placed.status == Order.Status.CANCELLED


def test_the_list_holds_the_accounts_orders_received_through_dfc(hub, placed):
    _members_order(hub)

    response = hub.send("get", ORDERS)

    assert response.status_code == 200
    assert [n["@id"] for n in nodes_of(response.json(), "Order")] == [f"{ORDERS}/{placed.code}"]


def test_the_lists_queries_do_not_grow_with_the_orders(django_assert_num_queries):
    hub = make_hub(cheese_stock=20)
    assert hub.post(hub.vector("backorder_3_lines_pickup.json")).status_code == 201
    with django_assert_num_queries(5) as few:  # organisation, token, roles, orders, lines
        hub.send("get", ORDERS)
    count = len(few.captured_queries)  # read now: each request empties Django's query log
    for _ in range(3):
        member = hub.shop.member()
        secret = _token(hub, member, [Scope.ORDERS_WRITE])
        document = {
            **hub.vector("backorder_3_lines_pickup.json"),
            "@graph": _renamed(hub, member.pk),
        }
        assert hub.post(document, secret=secret).status_code == 201
    hub.user.memberships.update(is_coordinator=True)

    with django_assert_num_queries(count):
        response = hub.send("get", ORDERS)

    assert len(nodes_of(response.json(), "Order")) == 4


def _renamed(hub, n):
    graph = hub.vector("backorder_3_lines_pickup.json")["@graph"]
    graph[0]["@id"] = f"https://hub.example.net/orders/{n}"
    return graph


def test_unknown_orders_organisations_and_methods(hub, placed):
    unknown = reverse(
        "dfc:order", kwargs={"slug": SLUG, "code": "00000000-0000-0000-0000-000000000000"}
    )
    nowhere = reverse("dfc:orders", kwargs={"slug": "nowhere"})

    assert hub.send("get", unknown).status_code == 404
    assert hub.send("get", nowhere).status_code == 404
    assert hub.send("patch", order_url(placed)).status_code == 405
    assert hub.send("delete", ORDERS).status_code == 405


def test_the_answer_expands_to_dfc_terms_only(hub, placed):
    hub.send("put", order_url(placed), hub.vector("backorder_update.json"))
    found = {"classes": set(), "predicates": set(), "concepts": set()}

    walk(expand(hub.send("get", ORDERS).json()), found)

    assert found["classes"] <= vocabulary.known_classes(), found["classes"]
    assert found["predicates"] <= vocabulary.known_predicates(), found["predicates"]
    assert found["concepts"] <= vocabulary.known_concepts(), found["concepts"]
    assert vocabulary.business("selects") in found["predicates"]
    assert {vocabulary.business(name) for name in ("Order", "OrderLine", "Offer", "Price")} <= (
        found["classes"]
    )


def test_an_id_another_account_got_first_at_the_same_moment_is_refused_and_rolled_back(
    hub, placed, monkeypatch
):
    """Two accounts sending the same @id at once: the check before placing saw none, the
    unique key of received orders refuses the second — a 409, and its order is not kept."""
    from cabas.dfc import orders

    other = hub.shop.member(email="autre@hub.example")
    secret = _token(hub, other, [Scope.ORDERS_WRITE])
    monkeypatch.setattr(orders, "_known", lambda organisation, client_id: None)
    before = snapshot()

    response = hub.post(hub.vector("backorder_3_lines_pickup.json"), secret=secret)

    assert response.status_code == 409
    assert response.json()["error"]["property"] == "@id"
    assert snapshot() == before
