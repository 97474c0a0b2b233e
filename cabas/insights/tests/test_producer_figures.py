"""A producer's figures per sale and per month, what was missing or weighed differently, best
and worst products: against a hand computation, the sale's summaries, a constant number of
queries, and nobody else's figures."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from cabas.catalog.tests.factories import ProducerFactory, ProducerLinkFactory, ProductFactory
from cabas.insights.producer import best_and_worst, producer_months, producer_sales
from cabas.insights.selectors import Filters, products_activity
from cabas.orders import services as order_services
from cabas.orders.summaries import producer_totals
from cabas.orders.tests.factories import open_shop
from cabas.orgs.models import Membership
from cabas.sales import services as sales_services
from cabas.sales.models import Sale, SlotMode
from cabas.sales.tests.factories import PickupPointFactory

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
D = Decimal


def _order(shop, user, lines, sale=None, pickup=None):
    return order_services.order_place(
        user=user, sale=sale or shop.sale, pickup_id=(pickup or shop.open_pickup).pk,
        slot_id=None, lines=[(shop.products[name].pk, D(qty)) for name, qty in lines],
    )  # fmt: skip


def _line(order, name):
    return order.lines.get(product_name=name)


@pytest.fixture
def shop():
    """The farm's sale (cutoff Thursday 3 December 2026) with a beekeeper beside it:
    - A: bread 2 (8.40) and chicken 2 (estimated 2 × 1.6 kg × 11.90 = 38.08), weighed 3.412 kg
      (3.412 × 11.90 = 40.6028 → 40.60);
    - B: bread 1 (4.20) and soap 1 (5.00, 20 %), the soap marked missing (0.00);
    - C: soap 2, cancelled;
    - D: the beekeeper's honey (9.00), not the farm's."""
    shop = open_shop()
    beekeeper = ProducerFactory(name="Rucher des Causses")
    ProducerLinkFactory(organisation=shop.organisation, producer=beekeeper)
    shop.products["honey"] = ProductFactory(
        organisation=shop.organisation, producer=beekeeper, name="Miel de lavande",
        price=D("9.00"),
    )  # fmt: skip
    sales_services.sale_items_sync(sale=shop.sale)
    buyers = [shop.member(email=f"client-{n}@example.org") for n in range(4)]
    a = _order(shop, buyers[0], [("bread", 2), ("chicken", 2)])
    order_services.order_line_weigh(line=_line(a, "Poulet"), weighed_kg=D("3.412"), by=None)
    b = _order(shop, buyers[1], [("bread", 1), ("soap", 1)])
    order_services.order_line_mark_missing(line=_line(b, "Savon"), by=None)
    order_services.order_cancel(order=_order(shop, buyers[2], [("soap", 2)]))
    _order(shop, buyers[3], [("honey", 1)])
    shop.farm = shop.products["bread"].producer
    shop.beekeeper = beekeeper
    shop.buyers = buyers
    return shop


WEEK = {"start": date(2026, 11, 30), "end": date(2026, 12, 6)}


def test_a_sale_by_hand_and_as_its_summary_says(shop):
    (sale,) = producer_sales(
        organisation=shop.organisation, filters=Filters(**WEEK, producer_id=shop.farm.pk)
    )
    assert (sale.sale_id, sale.title, sale.day) == (shop.sale.pk, "Vente du vendredi",
                                                    date(2026, 12, 3))  # fmt: skip
    assert sale.orders == 2
    # 8.40 + 40.60 + 4.20 at 5.5 %, 0.00 at 20 %: 53.20, and 53.20 / 1.055 = 50.43.
    assert (sale.amount_incl_vat, sale.amount_excl_vat) == (D("53.20"), D("50.43"))
    (summary,) = producer_totals(sale=shop.sale, producer=shop.farm)
    assert (summary.amount_incl_vat, summary.amount_excl_vat) == (
        sale.amount_incl_vat,
        sale.amount_excl_vat,
    )
    assert (sale.missing_lines, sale.missing_amount) == (1, D("5.00"))
    assert (sale.weighed_lines, sale.estimated_kg, sale.weighed_kg) == (1, D("3.2"), D("3.412"))
    assert (sale.estimated_amount, sale.weighed_amount) == (D("38.08"), D("40.60"))
    assert (sale.weighed_difference, sale.weight_difference) == (D("2.52"), D("0.212"))
    # The beekeeper: one order, nothing missing nor weighed.
    (honey,) = producer_sales(
        organisation=shop.organisation, filters=Filters(**WEEK, producer_id=shop.beekeeper.pk)
    )
    assert (honey.orders, honey.amount_incl_vat, honey.missing_lines, honey.weighed_lines) == (
        1, D("9.00"), 0, 0,
    )  # fmt: skip


def _second_sale(shop) -> Sale:
    """Another sale of the organisation, open now (cutoff tomorrow)."""
    now = timezone.now()
    sale = sales_services.sale_create(
        organisation=shop.organisation, title="Vente du mardi",
        opens_at=now - timedelta(hours=1), closes_at=now + timedelta(days=1),
    )  # fmt: skip
    sales_services.pickup_create(
        sale=sale, pickup_point=PickupPointFactory(organisation=shop.organisation),
        starts_at=now + timedelta(days=2), ends_at=now + timedelta(days=2, hours=2),
        slot_mode=SlotMode.UNLIMITED,
    )  # fmt: skip
    sales_services.sale_open_now(sale=sale)
    sales_services.sale_items_sync(sale=sale)
    return sale


def test_per_month_the_local_month_of_the_cutoff(shop):
    # The first sale moved to a cutoff of Sunday 1 November, 00:30 in Paris (still
    # 31 October in UTC): November's.
    cutoff = datetime(2026, 11, 1, 0, 30, tzinfo=PARIS)
    Sale.objects.filter(pk=shop.sale.pk).update(opens_at=cutoff - timedelta(days=2),
                                                closes_at=cutoff)  # fmt: skip
    second = _second_sale(shop)
    pickup = second.pickups.get()
    _order(shop, shop.buyers[0], [("bread", 3)], sale=second, pickup=pickup)  # 12.60
    filters = Filters(start=date(2026, 11, 1), end=date(2026, 12, 6), producer_id=shop.farm.pk)
    sales = producer_sales(organisation=shop.organisation, filters=filters)
    assert [(s.day, s.orders, s.amount_incl_vat) for s in sales] == [
        (date(2026, 11, 1), 2, D("53.20")),
        (date(2026, 12, 3), 1, D("12.60")),
    ]
    months = producer_months(sales, filters=filters)
    assert [(m.month, m.sales, m.orders, m.amount_incl_vat, m.amount_excl_vat,
             m.missing_lines, m.weighed_lines) for m in months] == [
        (date(2026, 11, 1), 1, 2, D("53.20"), D("50.43"), 1, 1),
        # 12.60 / 1.055 = 11.94
        (date(2026, 12, 1), 1, 1, D("12.60"), D("11.94"), 0, 0),
    ]  # fmt: skip
    # A period of one month in the middle of nothing: its month, empty.
    (empty,) = producer_months([], filters=Filters(start=date(2026, 7, 3), end=date(2026, 7, 9)))
    assert (empty.month, empty.orders, empty.amount_incl_vat) == (date(2026, 7, 1), 0, D("0"))


def test_queries_do_not_grow_with_the_period(shop, django_assert_num_queries):
    for weeks in (1, 520):
        filters = Filters(start=date(2026, 12, 6) - timedelta(weeks=weeks),
                          end=date(2026, 12, 6), producer_id=shop.farm.pk)  # fmt: skip
        # The split into live and rolled-up sales, the live sales' two, the rolled-up ones'.
        with django_assert_num_queries(4):
            sales = producer_sales(organisation=shop.organisation, filters=filters)
        with django_assert_num_queries(0):
            producer_months(sales, filters=filters)


def test_best_and_worst_never_the_same_product(shop):
    products = products_activity(
        organisation=shop.organisation, filters=Filters(**WEEK, producer_id=shop.farm.pk)
    )
    # Chicken 40.60, bread 12.60, soap 0.00 (missing).
    assert [p.name for p in products] == ["Poulet", "Pain de campagne", "Savon"]
    assert best_and_worst(products, 2) == (products[:2], [products[2]])
    assert best_and_worst(products, 1) == (products[:1], [products[2]])
    assert best_and_worst(products) == (products, [])


def _producer_person(shop, producer):
    person = shop.member(email=f"{producer.pk}@example.org")
    Membership.objects.filter(user=person).update(is_producer=True, producer=producer)
    return person


def test_the_page_and_its_files_show_the_producers_own_figures_only(client, shop):
    client.force_login(_producer_person(shop, shop.farm))
    url = reverse("insights:producer_dashboard", kwargs={"slug": shop.organisation.slug})
    # Asking for the beekeeper's figures in the URL changes nothing.
    period = {"start": "2026-11-30", "end": "2026-12-06", "producer": shop.beekeeper.pk}
    page = client.get(url, period).content.decode()
    assert '<script id="months-data" type="application/json">' in page
    assert "53,20" in page and "50,43" in page  # the sale, the month
    assert "Vente du vendredi" in page
    assert "3,412" in page and "2,52" in page  # weighed, the difference
    assert "Miel de lavande" not in page and "9,00" not in page
    assert "Proposés, jamais commandés" in page and "proposé dans 1 vente" in page
    assert "report=sales&amp;format=csv" in page and "producer=" not in page.split("<main")[-1]
    sales = client.get(url, {**period, "report": "sales", "format": "csv"})
    text = sales.content.decode("utf-8-sig")
    assert text.splitlines()[1] == (
        "2026-12-03;Vente du vendredi;2;53,20;50,43;1;5,00;1;3,2;3,412;38,08;40,60;2,52"
    )
    for report in ("months", "products", "points"):
        text = client.get(url, {**period, "report": report, "format": "csv"}).content.decode()
        assert "Miel" not in text and "9,00" not in text
    products = client.get(url, {**period, "report": "products", "format": "xlsx"})
    assert products["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client.get(url, {**period, "report": "nope", "format": "csv"}).status_code == 404
    # The beekeeper sees theirs, never the farm's.
    client.force_login(_producer_person(shop, shop.beekeeper))
    page = client.get(url, {**period, "producer": shop.farm.pk}).content.decode()
    assert "Miel de lavande" in page and "Pain de campagne" not in page and "53,20" not in page


def test_the_page_asks_as_many_queries_for_ten_years_as_for_a_week(client, shop):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(_producer_person(shop, shop.farm))
    url = reverse("insights:producer_dashboard", kwargs={"slug": shop.organisation.slug})
    counts = []
    for start in ("2026-11-30", "2016-12-07"):
        client.get(
            url, {"start": start, "end": "2026-12-06"}
        )  # warm: the first page of a visit writes the organisation into the session
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, {"start": start, "end": "2026-12-06"}).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_missing_value_is_the_amount_the_line_had(shop):
    from cabas.orders.models import OrderEvent

    (sale,) = producer_sales(
        organisation=shop.organisation, filters=Filters(**WEEK, producer_id=shop.farm.pk)
    )
    before = [
        D(event.detail["before"]["amount"])
        for event in OrderEvent.objects.filter(kind=OrderEvent.Kind.MISSING)
    ]
    assert sale.missing_amount == sum(before) == D("5.00")


def test_the_products_offered_that_nobody_ordered(shop):
    from cabas.insights.producer import unsold_products

    filters = Filters(**WEEK, producer_id=shop.farm.pk)
    sold = products_activity(organisation=shop.organisation, filters=filters)
    # The farm offered bread, cheese, tomatoes, chicken and soap; cheese and tomatoes sold
    # nothing (the soap, missing, was ordered).
    unsold = unsold_products(organisation=shop.organisation, filters=filters, sold=sold)
    assert [(u.name, u.sales) for u in unsold] == [("Tomates", 1), ("Tomme", 1)]
    shop.item("cheese").__class__.objects.filter(pk=shop.item("cheese").pk).update(
        is_unavailable=True
    )
    unsold = unsold_products(organisation=shop.organisation, filters=filters, sold=sold)
    assert [u.name for u in unsold] == ["Tomates"]
