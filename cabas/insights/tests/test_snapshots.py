"""The dashboards' snapshot (``insights/snapshots.py``): a visit reads the kept figures in a
few queries, whatever the organisation's size; they expire after ``MAX_AGE`` (the injected
clock), change with a new closed sale's rollup, are computed again on « Recalculer
maintenant » (coordinators, or the producer for their own page; CSRF-checked), and are never
shared between organisations, producers or filters."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from cabas.catalog.tests.factories import ProducerFactory, ProducerLinkFactory, ProductFactory
from cabas.insights import rollup, snapshots, tasks
from cabas.insights.selectors import Filters
from cabas.orders import services as order_services
from cabas.orders.tests.factories import open_shop
from cabas.orgs.models import Membership
from cabas.sales import services as sales_services
from cabas.sales.models import Sale

pytestmark = pytest.mark.django_db
WEEK = {"start": "2026-11-30", "end": "2026-12-06"}
# A visit that reads a snapshot: the session and the person, the organisation and the
# membership, the data version, the cache's entry; on the coordinators' page, the filters'
# pickup points and producers.
HIT_QUERIES = 7
PRODUCER_HIT_QUERIES = 5


def _order(shop, email, lines):
    return order_services.order_place(
        user=shop.member(email=email), sale=shop.sale, pickup_id=shop.open_pickup.pk,
        slot_id=None, lines=[(shop.products[name].pk, Decimal(qty)) for name, qty in lines],
    )  # fmt: skip


def _login(client, person, shop):
    """Logged in, the organisation already the session's (its first page writes it)."""
    client.force_login(person)
    session = client.session
    session["current_organisation"] = shop.organisation.slug
    session.save()


def _coordinator(client, shop, email="coord@example.org"):
    person = shop.member(email=email)
    Membership.objects.filter(user=person, organisation=shop.organisation).update(
        is_coordinator=True
    )
    _login(client, person, shop)
    return reverse("insights:dashboard", kwargs={"slug": shop.organisation.slug})


def _producer(client, shop, producer, email):
    person = shop.member(email=email)
    Membership.objects.filter(user=person, organisation=shop.organisation).update(
        is_producer=True, producer=producer
    )
    _login(client, person, shop)
    return reverse("insights:producer_dashboard", kwargs={"slug": shop.organisation.slug})


def _orders(response) -> int:
    return response.context["activity"].orders


@pytest.fixture
def shop():
    shop = open_shop()
    _order(shop, "client-0@example.org", [("bread", 2)])
    return shop


def test_a_hit_reads_the_snapshot_in_a_few_queries_whatever_the_size(
    client, shop, django_assert_num_queries
):
    url = _coordinator(client, shop)
    client.get(url, WEEK)  # computed and kept
    with django_assert_num_queries(HIT_QUERIES):
        assert client.get(url, WEEK).status_code == 200
    for n in range(3):
        other = open_shop(organisation=shop.organisation)
        _order(other, f"autre-{n}@example.org", [("bread", 1)])
    with django_assert_num_queries(HIT_QUERIES):  # the snapshot still: as few
        response = client.get(url, WEEK)
    assert _orders(response) == 1  # the kept figures, until they expire or are recomputed


def test_the_snapshot_expires_after_its_bound(client, shop, clock):
    url = _coordinator(client, shop)
    assert _orders(client.get(url, WEEK)) == 1
    _order(shop, "client-1@example.org", [("bread", 1)])
    clock.shift(snapshots.MAX_AGE - timedelta(seconds=1))
    assert _orders(client.get(url, WEEK)) == 1  # at most MAX_AGE old: still read
    clock.shift(timedelta(seconds=2))
    assert _orders(client.get(url, WEEK)) == 2  # older: computed again


def test_the_bound_is_checked_against_the_injected_now(shop):
    filters = Filters(start=shop.sale.closes_at.date() - timedelta(days=7),
                      end=shop.sale.closes_at.date() + timedelta(days=7))  # fmt: skip
    kept = snapshots.coordinators_snapshot(
        organisation=shop.organisation, filters=filters, today=filters.end
    )
    later = kept.computed_at + snapshots.MAX_AGE
    again = snapshots.coordinators_snapshot(
        organisation=shop.organisation, filters=filters, today=filters.end, now=later
    )
    assert again.computed_at == kept.computed_at
    expired = snapshots.coordinators_snapshot(
        organisation=shop.organisation, filters=filters, today=filters.end,
        now=later + timedelta(seconds=1),
    )  # fmt: skip
    assert expired.computed_at == later + timedelta(seconds=1)


def test_a_new_closed_sale_rolled_up_changes_the_figures_at_once(client, shop):
    url = _coordinator(client, shop)
    assert _orders(client.get(url, WEEK)) == 1
    other = open_shop(organisation=shop.organisation)
    _order(other, "client-2@example.org", [("bread", 1)])
    Sale.objects.filter(pk=other.sale.pk).update(status=Sale.Status.CLOSED)
    assert _orders(client.get(url, WEEK)) == 1  # read live: the snapshot's bound applies
    assert tasks.sale_rollup_refresh.call(sale_id=other.sale.pk)  # the worker, at the close
    assert _orders(client.get(url, WEEK)) == 2  # a new data version: computed again


def test_recompute_now_reflects_a_new_closed_sale(client, shop):
    url = _coordinator(client, shop)
    assert _orders(client.get(url, WEEK)) == 1
    other = open_shop(organisation=shop.organisation)
    _order(other, "client-2@example.org", [("bread", 1)])
    Sale.objects.filter(pk=other.sale.pk).update(status=Sale.Status.CLOSED)
    response = client.post(f"{url}?start={WEEK['start']}&end={WEEK['end']}")
    assert response.status_code == 302
    assert response.url == f"{url}?start={WEEK['start']}&end={WEEK['end']}"
    assert _orders(client.get(url, WEEK)) == 2


def test_recompute_is_csrf_checked_and_for_the_page_s_people_only(shop):
    client = Client(enforce_csrf_checks=True)
    url = _coordinator(client, shop)
    assert client.post(url).status_code == 403  # no CSRF token
    page = client.get(url, WEEK)
    token = page.context["csrf_token"]
    assert client.post(url, {"csrfmiddlewaretoken": str(token)}).status_code == 302
    assert client.post(f"{url}?start=nope", {"csrfmiddlewaretoken": str(token)}).status_code == 400
    member = Client()
    member.force_login(shop.member(email="membre@example.org"))
    assert member.post(url).status_code == 403


def test_the_page_says_in_french_when_its_figures_were_computed(client, shop):
    url = _coordinator(client, shop)
    page = client.get(url, WEEK).content.decode()
    # DEFAULT_NOW: Wednesday 2 December 2026, 10:00 in Paris (the organisation's zone).
    assert "Chiffres calculés à 10:00." in page
    assert "Recalculer maintenant" in page
    assert "sont comptées dans 20 minutes au plus" in page
    producer_page = client.get(
        _producer(Client(), shop, shop.products["bread"].producer, "f@example.org"), WEEK
    )
    assert producer_page.status_code == 200


def test_organisations_producers_and_filters_never_share_an_entry(client, shop):
    beekeeper = ProducerFactory(name="Rucher des Causses")
    ProducerLinkFactory(organisation=shop.organisation, producer=beekeeper)
    ProductFactory(organisation=shop.organisation, producer=beekeeper, name="Miel de lavande",
                   price=Decimal("9.00"))  # fmt: skip
    sales_services.sale_items_sync(sale=shop.sale)
    shop.products["honey"] = beekeeper.products.get()
    _order(shop, "client-1@example.org", [("honey", 1)])
    farm = shop.products["bread"].producer
    # Two producers of one organisation: each sees theirs, in either order.
    farmer, bees = Client(), Client()
    url = _producer(farmer, shop, farm, "fermier@example.org")
    _producer(bees, shop, beekeeper, "apiculteur@example.org")
    first = farmer.get(url, WEEK).content.decode()
    second = bees.get(url, WEEK).content.decode()
    assert "Pain de campagne" in first and "Miel de lavande" not in first
    assert "Miel de lavande" in second and "Pain de campagne" not in second
    assert "Pain de campagne" not in bees.get(url, WEEK).content.decode()  # both kept
    # The coordinators' page filtered on the farm is not the farm's own page.
    coordinator = _coordinator(client, shop)
    filtered = client.get(coordinator, {**WEEK, "producer": farm.pk}).context
    everyone = client.get(coordinator, WEEK).context
    assert (filtered["activity"].orders, everyone["activity"].orders) == (1, 2)
    point = client.get(coordinator, {**WEEK, "point": shop.pickup.pickup_point_id}).context
    assert point["activity"].orders == 0
    # Another organisation with the same filters: its own figures.
    elsewhere = open_shop()
    other_client = Client()
    other_url = _coordinator(other_client, elsewhere, email="coord-2@example.org")
    assert other_client.get(other_url, WEEK).context["activity"].orders == 0
    assert client.get(coordinator, WEEK).context["activity"].orders == 2


def test_every_part_of_the_key_keeps_entries_apart(shop):
    filters = Filters(start=shop.sale.closes_at.date(), end=shop.sale.closes_at.date())
    other = open_shop().organisation
    base = ("coordinators", shop.organisation, filters, filters.end, "v1", None)
    variants = [
        ("producer", *base[1:]),
        ("coordinators", other, *base[2:]),
        (*base[:2], Filters(filters.start, filters.end, pickup_point_id=1), *base[3:]),
        (*base[:2], Filters(filters.start, filters.end, producer_id=1), *base[3:]),
        (*base[:2], Filters(filters.start - timedelta(days=1), filters.end), *base[3:]),
        (*base[:3], filters.end + timedelta(days=1), *base[4:]),
        (*base[:4], "v2", None),
        (*base[:5], 7),
    ]
    keys = {snapshots._key(*base)} | {snapshots._key(*variant) for variant in variants}
    assert len(keys) == 1 + len(variants)
    from django.utils import translation

    with translation.override("en"):
        assert snapshots._key(*base) not in keys


def test_the_sweep_keeps_the_default_views_ready(shop, django_assert_num_queries):
    farm = shop.products["bread"].producer
    coordinator, farmer = Client(), Client()
    url = _coordinator(coordinator, shop)
    producer_url = _producer(farmer, shop, farm, "fermier@example.org")
    coordinator.get(url, WEEK), farmer.get(producer_url, WEEK)  # their sessions' first pages
    tasks.rollups_sweep.call()
    with django_assert_num_queries(HIT_QUERIES):
        assert coordinator.get(url).status_code == 200
    with django_assert_num_queries(PRODUCER_HIT_QUERIES):
        assert farmer.get(producer_url).status_code == 200


def test_the_refresh_writes_one_snapshot_per_page(shop):
    farm = shop.products["bread"].producer
    _producer(Client(), shop, farm, "fermier@example.org")
    assert snapshots.organisation_dashboards_refresh(organisation=shop.organisation) == 2
    rollup.rollups_due()  # nothing else is needed for the default views


def test_the_kept_tables_link_with_the_filters_never_a_visitor_s_address(
    client, shop, django_assert_num_queries
):
    url = _coordinator(client, shop)
    first = client.get(url, {**WEEK, "utm": "<b>x</b>"}).content.decode()
    assert "<b>x</b>" not in first  # escaped where the address is written (the button's form)
    assert "?start=2026-11-30&amp;end=2026-12-06&amp;report=weekly&amp;format=csv" in first
    other = Client()
    _coordinator(other, shop, email="coord-2@example.org")
    second = other.get(url, WEEK).content.decode()  # the same entry
    assert "utm" not in second
    with django_assert_num_queries(HIT_QUERIES - 2):  # the file reads the same snapshot
        csv = client.get(url, {**WEEK, "report": "weekly", "format": "csv"})
    assert csv.status_code == 200


def test_an_entry_that_no_longer_reads_is_computed_again(client, shop, monkeypatch):
    from django.core.cache import cache

    url = _coordinator(client, shop)
    client.get(url, WEEK)

    def unreadable(*args, **kwargs):
        raise AttributeError("Can't get attribute 'Share' on <module>")  # a renamed class

    monkeypatch.setattr(cache, "get", unreadable)
    response = client.get(url, WEEK)
    assert response.status_code == 200 and _orders(response) == 1


def test_one_organisation_s_error_does_not_stop_the_sweep(shop, monkeypatch):
    other = open_shop()
    real = snapshots.organisation_dashboards_refresh

    def failing(*, organisation, now=None):
        if organisation == shop.organisation:
            raise RuntimeError("boom")
        return real(organisation=organisation, now=now)

    monkeypatch.setattr(snapshots, "organisation_dashboards_refresh", failing)
    assert other.organisation.is_active
    assert snapshots.dashboards_refresh() >= 1


def test_a_producer_recomputes_their_own_page_only(shop):
    farm = shop.products["bread"].producer
    farmer = Client()
    url = _producer(farmer, shop, farm, "fermier@example.org")
    assert farmer.get(url, WEEK).context["activity"].orders == 1
    _order(shop, "client-1@example.org", [("bread", 1)])
    response = farmer.post(f"{url}?start={WEEK['start']}&end={WEEK['end']}")
    assert response.status_code == 302
    assert farmer.get(url, WEEK).context["activity"].orders == 2
    member = Client()
    member.force_login(shop.member(email="membre@example.org"))
    assert member.post(url).status_code == 403
