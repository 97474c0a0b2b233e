"""The dashboard's "Drive" section: opening days, slots, stock-outs, stock value and days of
cover against a hand computation on two drive days, its queries whatever the period, and who
sees it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from cabas.accounts.tests.factories import UserFactory
from cabas.catalog.models import StockMovement
from cabas.catalog.tests.factories import ProducerFactory, ProducerLinkFactory, ProductFactory
from cabas.insights import drive
from cabas.insights.selectors import Filters
from cabas.orders import services as order_services
from cabas.orgs.context import organisation_context
from cabas.orgs.models import Membership, Organisation
from cabas.orgs.tests.factories import MembershipFactory, OrganisationFactory
from cabas.sales import services as sales_services
from cabas.sales.models import Sale, SlotMode
from cabas.sales.tests.factories import PickupPointFactory
from cabas.supply import reports
from cabas.supply.tests.factories import SupplierItemFactory
from cabas.supply.tests.ledger import move

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
Reason = StockMovement.Reason
PERIOD = Filters(start=date(2026, 11, 2), end=date(2026, 11, 15))  # two whole weeks
TODAY = date(2026, 11, 15)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=PARIS)


@dataclass
class Coop:
    organisation: Organisation
    point: object
    products: dict
    sales: list = field(default_factory=list)
    slots: list = field(default_factory=list)  # per sale: [17:00, 17:30]

    def member(self, email: str):
        user = UserFactory(email=email)
        MembershipFactory(
            organisation=self.organisation, user=user, status=Membership.Status.ACTIVE
        )
        return user


def _drive_day(coop: Coop, day: int) -> Sale:
    """The drive sale of Thursday ``day`` November: orders from Tuesday 8:00 to Thursday
    12:00 (the cutoff), two slots of 30 minutes for 2 orders each, 17:00 and 17:30."""
    sale = sales_services.sale_create(
        organisation=coop.organisation, title=f"Drive {day}", kind=Sale.Kind.DRIVE,
        opens_at=at(day - 2, 8), closes_at=at(day, 12),
    )  # fmt: skip
    Sale.objects.filter(pk=sale.pk).update(occurrence_date=date(2026, 11, day))
    pickup = sales_services.pickup_create(
        sale=sale, pickup_point=coop.point, starts_at=at(day, 17), ends_at=at(day, 18),
        slot_mode=SlotMode.SLOTS, slot_minutes=30, slot_capacity=2,
    )  # fmt: skip
    sales_services.sale_open_now(sale=sale, now=at(day - 2, 8))
    sale.refresh_from_db()
    coop.sales.append(sale)
    coop.slots.append(list(pickup.slots.order_by("starts_at")))
    return sale


def _order(coop: Coop, sale_index: int, slot_index: int, when: datetime, lines, email: str):
    """An order placed at ``when`` (its stock movements dated then)."""
    sale, slot = coop.sales[sale_index], coop.slots[sale_index][slot_index]
    order = order_services.order_place(
        user=coop.member(email), sale=sale, pickup_id=slot.pickup_id, slot_id=slot.pk,
        lines=[(coop.products[name].pk, Decimal(qty)) for name, qty in lines],
        now=when, notify=False,
    )  # fmt: skip
    StockMovement.objects.filter(order_id=order.pk).update(created_at=when)
    return order


@pytest.fixture
def coop():
    """A cooperative grocery's drive on Thursdays 5 and 12 November 2026 (Paris).

    Shop stock: soap (5.00 incl. 20 % VAT, bought 2.00), flour (3.00 incl. 5.5 % VAT, no
    supplier: valued at 3.00 / 1.055), oil (bought 4.50); bread is not kept in stock.
    """
    organisation = OrganisationFactory(kind=Organisation.Kind.COOPERATIVE)
    farm = ProducerFactory(name="Épicerie")
    ProducerLinkFactory(organisation=organisation, producer=farm)
    common = {"organisation": organisation, "producer": farm}
    shop = {"stock_mode": "shop", "stock_quantity": Decimal("0")}
    products = {
        "bread": ProductFactory(**common, name="Pain", price=Decimal("4.20")),
        "soap": ProductFactory(**common, **shop, name="Savon", price=Decimal("5.00"),
                               vat_rate=Decimal("20"), category="hygiene-soap"),
        "flour": ProductFactory(**common, **shop, name="Farine", price=Decimal("3.00"),
                                category="grocery-flour"),
        "oil": ProductFactory(**common, **shop, name="Huile", price=Decimal("6.00"),
                              category="grocery-flour"),
    }  # fmt: skip
    SupplierItemFactory(
        supplier__organisation=organisation, product=products["soap"], is_main=True,
        purchase_price=Decimal("2.00"),
    )  # fmt: skip
    SupplierItemFactory(
        supplier__organisation=organisation, product=products["oil"], is_main=True,
        purchase_price=Decimal("4.50"),
    )  # fmt: skip
    coop = Coop(organisation, PickupPointFactory(organisation=organisation), products)
    soap, flour, oil = products["soap"], products["flour"], products["oil"]
    move(oil, 2, Reason.RECEPTION, datetime(2026, 10, 20, 8, tzinfo=PARIS))  # before the period
    move(soap, 3, Reason.RECEPTION, at(2, 8))
    move(flour, 4, Reason.RECEPTION, at(2, 8))
    move(oil, -1, Reason.LOSS, at(4, 9))  # a loss, never a sale nor a stock-out
    _drive_day(coop, 5)
    # A: 2 soaps and a bread (14.20); B: the last soap (5.00), sold out 18 h before the cutoff.
    _order(coop, 0, 0, at(4, 10), [("soap", 2), ("bread", 1)], "a@example.org")
    _order(coop, 0, 1, at(4, 18), [("soap", 1)], "b@example.org")
    # C: 2 flours, cancelled an hour later (not an order, the stock comes back).
    cancelled = _order(coop, 0, 1, at(5, 9), [("flour", 2)], "c@example.org")
    order_services.order_cancel(order=cancelled, now=at(5, 10))
    StockMovement.objects.filter(order_id=cancelled.pk, reason=Reason.ORDER_CANCELLED).update(
        created_at=at(5, 10)
    )
    move(soap, 2, Reason.RECEPTION, at(9, 8))
    _drive_day(coop, 12)
    # D: the 2 soaps (10.00), sold out 24 h before; E: the 4 flours (12.00), 22 h before.
    _order(coop, 1, 1, at(11, 12), [("soap", 2)], "d@example.org")
    _order(coop, 1, 1, at(11, 14), [("flour", 4)], "e@example.org")
    move(soap, 5, Reason.RECEPTION, at(13, 8))
    return coop


def test_opening_days_by_hand(coop):
    days = drive.opening_days(organisation=coop.organisation, filters=PERIOD)
    assert [(d.day, d.orders, d.amount_incl_vat, d.booked, d.capacity, d.occupancy)
            for d in days] == [
        (date(2026, 11, 5), 2, Decimal("19.20"), 2, 4, 50),
        (date(2026, 11, 12), 2, Decimal("22.00"), 2, 4, 50),
    ]  # fmt: skip
    # The second week only, then a week without an opening day.
    (second,) = drive.opening_days(
        organisation=coop.organisation, filters=Filters(date(2026, 11, 9), date(2026, 11, 15))
    )
    assert second.day == date(2026, 11, 12)
    assert (
        drive.opening_days(
            organisation=coop.organisation, filters=Filters(date(2026, 11, 16), date(2026, 11, 22))
        )
        == []
    )


def test_slots_by_local_start_time_by_hand(coop):
    slots = drive.slot_times(organisation=coop.organisation, filters=PERIOD)
    # 17:00: A on the 5th (1 of 4 places); 17:30: B on the 5th, D and E on the 12th (C cancelled).
    assert [(s.time, s.slots, s.capacity, s.booked, s.occupancy) for s in slots] == [
        ("17:00", 2, 4, 1, 25),
        ("17:30", 2, 4, 3, 75),
    ]


def test_stock_outs_by_hand(coop):
    outs = drive.stock_outs(organisation=coop.organisation, filters=PERIOD)
    # Week of 2 Nov: the soap; week of 9 Nov: the soap and the flour. The oil's loss is not one.
    assert [(w.monday, w.stock_outs, w.products) for w in outs.weeks] == [
        (date(2026, 11, 2), 1, 1),
        (date(2026, 11, 9), 2, 2),
    ]
    assert outs.total == 3
    assert [(p.name, p.times, p.offered, p.rate, p.hours_before_cutoff)
            for p in outs.products] == [
        ("Savon", 2, 2, 100, Decimal("21.0")),  # (18 + 24) / 2
        ("Farine", 1, 2, 50, Decimal("22.0")),
    ]  # fmt: skip


def test_an_order_after_the_cutoff_is_no_stock_out(coop):
    # The flour's emptying movement dated after its sale's cutoff (a late correction).
    StockMovement.objects.filter(
        product=coop.products["flour"], reason=Reason.ORDER_PLACED, quantity_after=0
    ).update(created_at=at(12, 12, 1))
    outs = drive.stock_outs(organisation=coop.organisation, filters=PERIOD)
    assert [(p.name, p.times) for p in outs.products] == [("Savon", 2)]


def test_stock_value_each_sunday_is_supplys_rule(coop):
    weeks = drive.stock_value_weeks(organisation=coop.organisation, filters=PERIOD)
    # Sunday 8: flour 4 × 3.00 / 1.055 = 11.37, oil 1 × 4.50, no soap: 15.87.
    # Sunday 15: soap 5 × 2.00 = 10.00, oil 4.50, no flour: 14.50.
    assert [(w.monday, w.sunday, w.value) for w in weeks] == [
        (date(2026, 11, 2), date(2026, 11, 8), Decimal("15.87")),
        (date(2026, 11, 9), date(2026, 11, 15), Decimal("14.50")),
    ]
    with organisation_context(coop.organisation):
        for week in weeks:
            lines = reports.stock_value_at(organisation=coop.organisation, day=week.sunday)
            assert sum(line.value for line in lines) == week.value


def test_days_of_cover_per_category_by_hand(coop):
    with organisation_context(coop.organisation):
        rows = drive.cover_by_category(organisation=coop.organisation, today=TODAY)
    # 28 days of sales (19 Oct – 15 Nov). Flour: 4 sold (2 − 2 + 4), none left: 0 days, under
    # the 14-day target; oil never sold: no cover. Soap: 5 sold, 5/28 = 0.179 a day, 5 left:
    # 27.9 days.
    assert [(r.label, r.products, r.out_of_stock, r.under_target, r.median_days,
             r.shortest_days, r.value) for r in rows] == [
        ("Farines, céréales et légumineuses", 2, 1, 1, Decimal("0"), Decimal("0"),
         Decimal("4.50")),
        ("Savons et soins", 1, 0, 0, Decimal("27.9"), Decimal("27.9"),
         Decimal("10.00")),
    ]  # fmt: skip


def test_an_inactive_products_stock_is_valued_but_not_counted(coop):
    oil = coop.products["oil"]
    oil.is_active = False
    oil.save(update_fields=["is_active"])
    with organisation_context(coop.organisation):
        (flour, _soap) = drive.cover_by_category(organisation=coop.organisation, today=TODAY)
    assert (flour.products, flour.median_days, flour.value) == (1, Decimal("0"), Decimal("4.50"))


def test_queries_do_not_grow_with_the_period(coop, django_assert_num_queries):
    for weeks in (2, 520):
        filters = Filters(start=PERIOD.end - timedelta(weeks=weeks) + timedelta(days=1),
                          end=PERIOD.end)  # fmt: skip
        with organisation_context(coop.organisation), django_assert_num_queries(14):
            figures = drive.drive_figures(
                organisation=coop.organisation, filters=filters, today=TODAY
            )
        assert figures.orders == 4 and figures.stock_outs.total == 3
        assert len(figures.stock_value) == weeks


def _coordinator(client, organisation):
    user = UserFactory()
    MembershipFactory(
        organisation=organisation, user=user, status=Membership.Status.ACTIVE,
        is_coordinator=True,
    )  # fmt: skip
    client.force_login(user)
    return reverse("insights:dashboard", kwargs={"slug": organisation.slug})


def test_the_section_its_tables_and_files(client, coop):
    url = _coordinator(client, coop.organisation)
    period = {"start": "2026-11-02", "end": "2026-11-15"}
    page = client.get(url, period).content.decode()
    assert 'id="drive"' in page
    assert "Commandes par jour d’ouverture" in page
    assert "Ruptures de stock" in page
    assert '<script id="drive-days-data" type="application/json">' in page
    assert "19,20" in page and "Savon" in page
    files = {
        "drive_days": "2026-11-05;2;19,20;2;4;50",
        "drive_slots": "17:30;2;4;3;75",
        "stock_outs": "Savon;2;2;100;21\r\nFarine;1;2;50;22",
        "stock_outs_weeks": "2026-11-09;2;2",
        "stock_value": "2026-11-02;15,87",
    }
    for report, line in files.items():
        response = client.get(url, {**period, "report": report, "format": "csv"})
        assert response.status_code == 200
        assert line in response.content.decode("utf-8-sig"), report
    xlsx = client.get(url, {**period, "report": "cover", "format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_no_section_for_a_collective_without_stock(client):
    collective = OrganisationFactory()
    ProductFactory(organisation=collective, name="Pain")  # not kept in a shop stock
    url = _coordinator(client, collective)
    assert not drive.has_drive(collective)
    page = client.get(url).content.decode()
    assert 'id="drive"' not in page and "drive-days-data" not in page
    assert client.get(url, {"report": "stock_outs", "format": "csv"}).status_code == 404


def test_members_do_not_see_the_figures(client, coop):
    url = reverse("insights:dashboard", kwargs={"slug": coop.organisation.slug})
    client.force_login(coop.member("membre@example.org"))
    assert client.get(url).status_code == 403
    assert client.get(url, {"report": "stock_outs", "format": "csv"}).status_code == 403
    client.force_login(UserFactory())  # not a member
    assert client.get(url).status_code == 404


def test_the_page_queries_do_not_grow_with_the_period(client, coop):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = _coordinator(client, coop.organisation)
    counts = []
    for start in ("2026-11-02", "2016-11-21"):  # two weeks, ten years
        client.get(
            url, {"start": start, "end": "2026-11-15"}
        )  # warm: the first page of a visit writes the organisation into the session
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, {"start": start, "end": "2026-11-15"}).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
