"""What placing an order through the API costs in statements: a constant number, plus one
conditional UPDATE per sale item it counts (the rows everyone shares, locked last; sent
together in one round trip on PostgreSQL), whatever the size of the sale. The reads before
the transaction are plain SQL (token, the sale with its organisation and settings,
membership, idempotency key, sale items, pickup and slot)."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cabas.api.tests.test_api import api_for, order_body, orders_url
from cabas.orders.models import Order
from cabas.orders.tests.factories import open_shop
from cabas.orgs.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

# Before the transaction: token, sale, membership, idempotency key, sale items, pickup + slot.
READS = 6
# In it: the sale's share lock, the order, its lines, its event, the pickup, the slot, the
# order number (PostgreSQL: one statement; SQLite: the counter's update and read, the order's
# number), the e-mail's outbox row. Not counted: the transaction's own statements (a savepoint
# in a test), the token's "last used" (once a minute) and the e-mail's task (after COMMIT).
WRITES = {"postgresql": 8, "sqlite": 10}
NOT_COUNTED = ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE SAVEPOINT", 'UPDATE "api_apitoken"')


def place(shop, member, client, products):
    api = api_for(client, member)
    body = order_body(shop, [(name, 1) for name in products])
    key = {"Idempotency-Key": uuid.uuid4().hex}
    with CaptureQueriesContext(connection) as queries:
        response = api.post(orders_url(shop), body, headers=key)
    assert response.status_code == 201, response.content
    return [query["sql"] for query in queries if not query["sql"].startswith(NOT_COUNTED)]


@pytest.mark.parametrize("products", [["bread"], ["bread", "cheese", "extra0", "extra7"]])
def test_a_placement_costs_a_constant_number_of_statements_plus_one_per_item(client, products):
    shop = open_shop(organisation=OrganisationFactory(members_only=True), extra_products=40)
    # The shop's first order creates the order counter (one statement more, on any database).
    place(shop, shop.member(), client, ["bread"])

    statements = place(shop, shop.member(), client, products)

    item_updates = [sql for sql in statements if "UPDATE" in sql and "quantity_ordered" in sql]
    # PostgreSQL: the items' conditional UPDATEs are sent together, one per item, in one
    # round trip; SQLite: one statement each.
    together = connection.vendor == "postgresql"
    assert len(item_updates) == (1 if together else len(products))
    assert sum(sql.count("quantity_ordered = quantity_ordered +") for sql in item_updates) == len(
        products
    )
    expected = READS + WRITES.get(connection.vendor, 0) + len(item_updates)
    assert len(statements) == expected, "\n".join(statements)
    assert Order.objects.filter(sale=shop.sale).count() == 2


def test_a_replayed_key_reads_the_first_order_and_writes_nothing(client):
    shop = open_shop(organisation=OrganisationFactory(members_only=True))
    member = shop.member()
    api = api_for(client, member)
    body = order_body(shop, [("bread", 1)])
    key = {"Idempotency-Key": "same-key"}
    first = api.post(orders_url(shop), body, headers=key)

    with CaptureQueriesContext(connection) as queries:
        again = api.post(orders_url(shop), body, headers=key)

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert not [q for q in queries if q["sql"].startswith(("INSERT", "UPDATE", "DELETE"))]
    assert Order.objects.count() == 1


def test_a_token_reads_its_person_whole_in_one_statement(client):
    from cabas.accounts.models import User
    from cabas.api.services import token_authenticate, token_create

    shop = open_shop()
    member = shop.member()
    secret = token_create(user=member, name="phone").secret
    token_authenticate(secret)  # the first use is written

    with CaptureQueriesContext(connection) as queries:
        user = token_authenticate(secret)
    assert len(queries) == 1
    expected = User.objects.get(pk=member.pk)
    for field in User._meta.concrete_fields:
        assert getattr(user, field.attname) == getattr(expected, field.attname), field.name
    assert user.is_authenticated and not user._state.adding
    assert token_authenticate(secret + "x") is None


def _statements(queries) -> list[str]:
    return [query["sql"] for query in queries if not query["sql"].startswith(NOT_COUNTED)]


def test_a_change_answers_with_the_order_it_wrote_without_reading_it_again(client):
    shop = open_shop(organisation=OrganisationFactory(members_only=True), extra_products=4)
    api = api_for(client, shop.member())
    placed = api.post(orders_url(shop), order_body(shop, [("bread", 1), ("cheese", 1)])).json()
    # One line kept with a new quantity, one given up, one new, and another slot.
    body = order_body(shop, [("bread", 3), ("extra1", 2)], slot=shop.slots[1])

    with CaptureQueriesContext(connection) as queries:
        changed = api.put(orders_url(shop, placed["id"]), body)
    statements = _statements(queries)  # before the next request empties the log

    assert changed.status_code == 200, changed.content
    assert changed.json() == api.get(orders_url(shop, placed["id"])).json()
    lines = {line["product_id"]: line["quantity"] for line in changed.json()["lines"]}
    assert lines == {shop.products["bread"].pk: "3", shop.products["extra1"].pk: "2"}
    assert changed.json()["slot"]["id"] == shop.slots[1].pk
    # The order is read by the view, then locked (with its person), and not again to answer.
    assert sum(sql.startswith('SELECT "orders_order"') for sql in statements) == 2, statements
    assert not [sql for sql in statements if sql.startswith('SELECT "accounts_user"')]


def test_a_cancellation_answers_with_the_cancelled_order_without_reading_it_again(client):
    shop = open_shop(organisation=OrganisationFactory(members_only=True))
    api = api_for(client, shop.member())
    placed = api.post(orders_url(shop), order_body(shop, [("bread", 2), ("cheese", 1)])).json()

    with CaptureQueriesContext(connection) as queries:
        cancelled = api.delete(orders_url(shop, placed["id"]))
    statements = _statements(queries)  # before the next request empties the log

    assert cancelled.status_code == 200, cancelled.content
    assert cancelled.json() == api.get(orders_url(shop, placed["id"])).json()
    assert cancelled.json()["status"] == "cancelled"
    assert cancelled.json()["lines"] == placed["lines"]
    assert cancelled.json()["pickup"] == placed["pickup"]
    assert sum(sql.startswith('SELECT "orders_order"') for sql in statements) == 2, statements
    assert not [sql for sql in statements if sql.startswith('SELECT "accounts_user"')]
