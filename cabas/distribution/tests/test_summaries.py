"""A sale's summaries at the cutoff: exact totals per producer, product, pickup and VAT rate;
the producers' and coordinators' e-mails, sent once; the pages, scoped to the producer; and a
number of queries that does not grow with the number of orders."""

import io
from datetime import datetime, timedelta
from decimal import Decimal
from smtplib import SMTPException
from unittest import mock

import pytest
from django.core.mail import EmailMessage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cabas.accounts.tests.factories import UserFactory
from cabas.catalog.tests.factories import ProducerFactory, ProducerLinkFactory, ProductFactory
from cabas.distribution import dispatch
from cabas.distribution.models import SummaryDispatch
from cabas.notifications import services as notification_services
from cabas.notifications.models import OutboxMessage
from cabas.orders import services as order_services
from cabas.orders import summaries
from cabas.orders.tests.factories import open_shop
from cabas.orgs.models import Membership, Organisation
from cabas.orgs.tests.factories import MembershipFactory, OrganisationFactory
from cabas.sales import services as sales_services
from cabas.sales.tasks import sale_after_cutoff

D = Decimal
NBSP = "\u00a0"


def _place(shop, user, pickup, slot, lines):
    return order_services.order_place(
        user=user,
        sale=shop.sale,
        pickup_id=pickup.pk,
        slot_id=slot.pk if slot else None,
        lines=[(shop.products[name].pk, D(quantity)) for name, quantity in lines],
        notify=False,
    )


def _shop_with_brewery(**kwargs):
    """open_shop() (Ferme du Cérou) plus a brewery selling beer at 20 % VAT."""
    shop = open_shop(**kwargs)
    brewery = ProducerFactory(name="Brasserie du Ségala", email="brasserie@example.org")
    ProducerLinkFactory(organisation=shop.organisation, producer=brewery)
    shop.products["beer"] = ProductFactory(
        organisation=shop.organisation,
        producer=brewery,
        name="Bière blonde",
        price=D("3.00"),
        vat_rate=D("20"),
    )
    sales_services.sale_items_sync(sale=shop.sale)
    farm = shop.products["bread"].producer
    farm.email = "cerou@example.org"
    farm.save(update_fields=["email"])
    shop.farm, shop.brewery = farm, brewery
    return shop


@pytest.fixture
def shop(db):
    """Three orders (and a cancelled one, which counts for nothing) and a coordinator."""
    shop = _shop_with_brewery()
    slotted, open_pickup = shop.pickup, shop.open_pickup
    alice = shop.member(first_name="Alice", last_name="Martin", email="alice@example.org")
    bruno = shop.member(first_name="Bruno", last_name="Durand", email="bruno@example.org")
    chloe = shop.member(first_name="Chloé", last_name="Petit", email="chloe@example.org")
    dan = shop.member(first_name="Dan", last_name="Roux", email="dan@example.org")
    # Alice: 8.40 + 6.50 + 5.00 (20 %) + 6.00 (beer, 20 %)
    shop.alice = _place(shop, alice, slotted, shop.slots[0],
                        [("bread", 2), ("cheese", 1), ("soap", 1), ("beer", 2)])  # fmt: skip
    # Bruno: 4.20 + 6.00 (1.5 kg) + 19.04 (chicken: 11.90 €/kg × 1.6 kg estimated)
    shop.bruno = _place(shop, bruno, open_pickup, None,
                        [("bread", 1), ("tomatoes", "1.5"), ("chicken", 1)])  # fmt: skip
    # Chloé: 13.00 + 15.00 (20 %) + 12.00 (beer, 20 %)
    shop.chloe = _place(shop, chloe, slotted, shop.slots[1],
                        [("cheese", 2), ("soap", 3), ("beer", 4)])  # fmt: skip
    cancelled = _place(shop, dan, open_pickup, None, [("bread", 3), ("beer", 5)])
    order_services.order_cancel(order=cancelled)
    shop.coordinator = UserFactory(email="coordination@example.org")
    MembershipFactory(organisation=shop.organisation, user=shop.coordinator, is_coordinator=True)
    return shop


def _close(shop, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sales_services.sale_close_now(sale=shop.sale)
    shop.sale.refresh_from_db()


# --- The figures ------------------------------------------------------------------------------


def test_totals_per_producer_product_and_vat_rate(shop):
    brewery, farm = summaries.producer_totals(sale=shop.sale)

    assert (brewery.producer_name, farm.producer_name) == ("Brasserie du Ségala", "Ferme du Cérou")
    assert (brewery.producer_email, farm.producer_email) == (
        "brasserie@example.org",
        "cerou@example.org",
    )
    assert [
        (p.product_name, p.quantity, p.amount_incl_vat, p.amount_excl_vat, p.vat_rate, p.lines)
        for p in farm.products
    ] == [
        ("Pain de campagne", D("3.000"), D("12.60"), D("11.94"), D("5.50"), 2),
        ("Poulet", D("1.000"), D("19.04"), D("18.05"), D("5.50"), 1),
        ("Savon", D("4.000"), D("20.00"), D("16.67"), D("20.00"), 2),
        ("Tomates", D("1.500"), D("6.00"), D("5.69"), D("5.50"), 1),
        ("Tomme", D("3.000"), D("19.50"), D("18.48"), D("5.50"), 2),
    ]
    assert [(t.vat_rate, t.amount_incl_vat, t.amount_excl_vat, t.vat) for t in farm.vat_totals] == [
        (D("5.50"), D("57.14"), D("54.16"), D("2.98")),
        (D("20.00"), D("20.00"), D("16.67"), D("3.33")),
    ]
    assert (farm.amount_incl_vat, farm.amount_excl_vat) == (D("77.14"), D("70.83"))
    # The cancelled order's 5 beers are not counted.
    assert [(p.product_name, p.quantity, p.amount_incl_vat) for p in brewery.products] == [
        ("Bière blonde", D("6.000"), D("18.00"))
    ]
    assert [(t.vat_rate, t.amount_excl_vat) for t in brewery.vat_totals] == [
        (D("20.00"), D("15.00"))
    ]
    whole_sale = summaries.sale_vat_totals([farm, brewery])
    assert [(t.vat_rate, t.amount_incl_vat, t.amount_excl_vat) for t in whole_sale] == [
        (D("5.50"), D("57.14"), D("54.16")),
        (D("20.00"), D("38.00"), D("31.67")),
    ]


def test_the_vat_totals_alone_are_those_of_the_full_totals_in_two_queries(
    shop, django_assert_num_queries
):
    with django_assert_num_queries(2):
        brewery, farm = summaries.producer_vat_totals(sale=shop.sale)

    full = summaries.producer_totals(sale=shop.sale)
    assert [(p.producer_id, p.producer_name, p.producer_email, p.vat_totals) for p in full] == [
        (p.producer_id, p.producer_name, p.producer_email, p.vat_totals) for p in (brewery, farm)
    ]
    assert (farm.products, farm.amount_incl_vat, farm.amount_excl_vat) == (
        [],
        D("77.14"),
        D("70.83"),
    )


def test_excl_vat_is_computed_on_each_rate_total_not_line_by_line(db):
    """Three breads at 1.00 € (5.5 %): each line is 0.95 € excl. VAT (0.9479), three lines
    would make 2.85 €; the rate's total 3.00 € is 2.84 € excl. VAT (2.8436)."""
    shop = open_shop()
    bread = shop.products["bread"]
    bread.price = D("1.00")
    bread.save(update_fields=["price"])
    for n in range(3):
        _place(shop, shop.member(email=f"m{n}@example.org"), shop.open_pickup, None,
               [("bread", 1)])  # fmt: skip

    (farm,) = summaries.producer_totals(sale=shop.sale)

    assert [(t.amount_incl_vat, t.amount_excl_vat) for t in farm.vat_totals] == [
        (D("3.00"), D("2.84"))
    ]


def test_what_to_bring_to_each_pickup(shop):
    brewery, farm = summaries.producer_pickup_totals(sale=shop.sale)

    slotted, open_pickup = farm.pickups
    assert (slotted.pickup_id, slotted.orders) == (shop.pickup.pk, 2)
    assert [(p.product_name, p.quantity) for p in slotted.products] == [
        ("Pain de campagne", D("2.000")),
        ("Savon", D("4.000")),
        ("Tomme", D("3.000")),
    ]
    assert (open_pickup.pickup_id, open_pickup.orders) == (shop.open_pickup.pk, 1)
    assert [
        (p.product_name, p.quantity_text.replace(NBSP, " "), p.unit_text.replace(NBSP, " "))
        for p in open_pickup.products
    ] == [
        ("Pain de campagne", "1 pièce", "pièce"),
        ("Poulet", "1 × ~1,6 kg", "pièce ~1,6 kg"),
        ("Tomates", "1,5 kg", "kg"),
    ]
    # The brewery brings beer to the first pickup only.
    assert [(p.pickup_id, p.orders) for p in brewery.pickups] == [(shop.pickup.pk, 2)]
    assert [(p.product_name, p.quantity) for p in brewery.pickups[0].products] == [
        ("Bière blonde", D("6.000"))
    ]


def test_each_customer_lines_and_one_producer_only(shop):
    orders = summaries.customer_lines(sale=shop.sale)
    assert [(o.number, o.customer_name, o.amount_incl_vat) for o in orders] == [
        (shop.alice.number, "Alice Martin", D("25.90")),
        (shop.chloe.number, "Chloé Petit", D("40.00")),
        (shop.bruno.number, "Bruno Durand", D("29.24")),
    ]
    assert orders[0].slot_starts_at == shop.slots[0].starts_at
    assert orders[2].slot_starts_at is None
    assert (orders[0].pickup_starts_at, orders[2].pickup_starts_at) == (
        shop.pickup.starts_at,
        shop.open_pickup.starts_at,
    )
    # An order's lines by producer name (the brewery, created last, first), then product.
    assert [(line.producer_name, line.product_name) for line in orders[0].lines] == [
        ("Brasserie du Ségala", "Bière blonde"),
        ("Ferme du Cérou", "Pain de campagne"),
        ("Ferme du Cérou", "Savon"),
        ("Ferme du Cérou", "Tomme"),
    ]

    brewery_orders = summaries.customer_lines(sale=shop.sale, producer=shop.brewery)
    assert [
        (o.customer_name, [(line.product_name, line.quantity) for line in o.lines])
        for o in brewery_orders
    ] == [
        ("Alice Martin", [("Bière blonde", D("2.000"))]),
        ("Chloé Petit", [("Bière blonde", D("4.000"))]),
    ]


def test_a_producer_summary_is_its_own_only(shop):
    (brewery,) = summaries.producer_totals(sale=shop.sale, producer=shop.brewery)
    assert brewery.producer_id == shop.brewery.pk
    (pickups,) = summaries.producer_pickup_totals(sale=shop.sale, producer=shop.brewery)
    assert pickups.producer_id == shop.brewery.pk


def test_a_producer_summary_counts_its_lines_of_that_sale_only(shop):
    # Given the brewery's beer ordered in another sale of the organisation too
    other = open_shop(organisation=shop.organisation)
    sales_services.sale_items_sync(sale=other.sale)
    other.products["beer"] = shop.products["beer"]
    _place(other, other.member(), other.pickup, other.slots[0], [("beer", 7)])

    # Then each sale's summary of the brewery has its own beers
    for sale, beers, customers in ((shop.sale, "6.000", 2), (other.sale, "7.000", 1)):
        (totals,) = summaries.producer_totals(sale=sale, producer=shop.brewery)
        assert [(p.product_name, p.quantity) for p in totals.products] == [
            ("Bière blonde", D(beers))
        ]
        (pickups,) = summaries.producer_pickup_totals(sale=sale, producer=shop.brewery)
        assert sum(pickup.orders for pickup in pickups.pickups) == customers
        orders = summaries.customer_lines(sale=sale, producer=shop.brewery)
        assert len(orders) == customers
        assert sum(line.quantity for order in orders for line in order.lines) == D(beers)


# --- The e-mails ------------------------------------------------------------------------------


def test_closing_the_sale_emails_each_producer_and_the_coordinators_once(
    shop, mailoutbox, django_capture_on_commit_callbacks
):
    _close(shop, django_capture_on_commit_callbacks)

    assert shop.sale.after_cutoff_at is not None
    by_recipient = {message.to[0]: message for message in mailoutbox}
    assert sorted(by_recipient) == [
        "brasserie@example.org",
        "cerou@example.org",
        "coordination@example.org",
    ]
    farm_mail = by_recipient["cerou@example.org"]
    assert farm_mail.subject.endswith(" — Vente du vendredi")
    assert "Tomme" in farm_mail.body and "57,14" in farm_mail.body
    assert "Bière" not in farm_mail.body
    names = [name for name, _content, _type in farm_mail.attachments]
    assert names == [
        "vente-du-vendredi-ferme-du-cerou.csv",
        "vente-du-vendredi-ferme-du-cerou.xlsx",
    ]
    # Django keeps a text attachment as text (the BOM included) and encodes it in UTF-8.
    csv_text = farm_mail.attachments[0][1].removeprefix("\ufeff")
    csv_rows = csv_text.strip().split("\r\n")
    assert len(csv_rows) == 1 + 8  # header + the farm's 8 lines of the 3 active orders
    assert "Alice Martin" in csv_text and "Dan" not in csv_text and "Bière" not in csv_text
    assert any(row.endswith(";Tomates;kg;1,5;;5,5;6,00;") for row in csv_rows)
    sheet = load_workbook(io.BytesIO(farm_mail.attachments[1][1]), read_only=True).active
    assert sheet.title == "Commandes Ferme du Cérou"  # was openpyxl's "Sheet"
    xlsx_rows = list(sheet.iter_rows(values_only=True))
    assert len(xlsx_rows) == 9
    assert xlsx_rows[0][:2] == ("Point de retrait", "Date du retrait")
    assert all(isinstance(row[1], datetime) for row in xlsx_rows[1:])  # date cells
    assert sum(row[11] for row in xlsx_rows[1:]) == pytest.approx(77.14)

    brewery_mail = by_recipient["brasserie@example.org"]
    assert "Tomme" not in brewery_mail.body and "Bière blonde" in brewery_mail.body
    coordinator_mail = by_recipient["coordination@example.org"]
    assert (
        "Ferme du Cérou" in coordinator_mail.body and "Brasserie du Ségala" in coordinator_mail.body
    )
    assert "31,67" in coordinator_mail.body  # the sale's 20 % total excl. VAT
    assert len(coordinator_mail.attachments) == 2
    workbook = load_workbook(io.BytesIO(coordinator_mail.attachments[1][1]), read_only=True)
    assert workbook.active.title == "Totaux par producteur"

    assert SummaryDispatch.objects.filter(sale=shop.sale).count() == 3


def test_running_the_dispatch_again_sends_nothing(
    shop, mailoutbox, django_capture_on_commit_callbacks
):
    _close(shop, django_capture_on_commit_callbacks)
    assert len(mailoutbox) == 3

    assert dispatch.sale_summaries_send(sale_id=shop.sale.pk) == 0
    assert sale_after_cutoff.call(sale_id=shop.sale.pk) is False

    assert len(mailoutbox) == 3
    assert SummaryDispatch.objects.filter(sale=shop.sale).count() == 3


def test_a_failed_sending_is_sent_by_the_next_run(
    shop, mailoutbox, django_capture_on_commit_callbacks
):
    shop.sale.status = "closed"
    shop.sale.save(update_fields=["status"])
    with mock.patch.object(EmailMessage, "send", side_effect=SMTPException("down")):
        assert dispatch.sale_summaries_send(sale_id=shop.sale.pk) == 0
    # Recorded, not sent: each outbox row waits for its next attempt, with the error.
    assert SummaryDispatch.objects.count() == 3
    summaries = OutboxMessage.objects.filter(key__startswith=f"sale-summary:{shop.sale.pk}:")
    assert (
        list(summaries.values_list("state", "attempts", "last_error"))
        == [("pending", 1, "SMTPException: down")] * 3
    )
    assert mailoutbox == []

    assert dispatch.sale_summaries_send(sale_id=shop.sale.pk) == 3
    assert len(mailoutbox) == 3
    assert set(summaries.values_list("state", "attempts")) == {("sent", 2)}
    assert dispatch.sale_summaries_send(sale_id=shop.sale.pk) == 0


def _record_and_die(shop):
    """The after-cutoff task recorded the summaries, then its worker was killed."""
    producers = summaries.producer_totals(sale=shop.sale)
    recipients = {p.producer_id: [p.producer_email] for p in producers}
    dispatch._record_all(shop.sale, producers, recipients, dispatch._coordinator_emails(shop.sale))
    return OutboxMessage.objects.filter(key__startswith=f"sale-summary:{shop.sale.pk}:")


def test_summaries_recorded_before_a_crash_are_sent_by_the_task_run_again(shop, mailoutbox):
    shop.sale.status = "closed"
    shop.sale.save(update_fields=["status"])
    rows = _record_and_die(shop)
    assert list(rows.values_list("state", flat=True)) == ["pending"] * 3
    assert mailoutbox == []

    assert dispatch.sale_summaries_send(sale_id=shop.sale.pk) == 3  # the task, taken again

    assert sorted(m.to[0] for m in mailoutbox) == [
        "brasserie@example.org",
        "cerou@example.org",
        "coordination@example.org",
    ]
    assert list(rows.values_list("state", "attempts")) == [("sent", 1)] * 3
    assert SummaryDispatch.objects.filter(sale=shop.sale).count() == 3


def test_summaries_recorded_before_a_crash_are_sent_by_the_sweep(shop, mailoutbox, settings):
    shop.sale.status = "closed"
    shop.sale.save(update_fields=["status"])
    rows = _record_and_die(shop)
    now = timezone.now()

    assert notification_services.outbox_sweep(now=now) == 0  # a lease for the task first
    later = now + timedelta(seconds=settings.TASKS_LEASE_SECONDS + 1)
    # The three summaries, and Dan's cancellation (its task never ran in this test).
    assert notification_services.outbox_sweep(now=later) == 4

    assert sorted(m.to[0] for m in mailoutbox) == [
        "brasserie@example.org",
        "cerou@example.org",
        "coordination@example.org",
        "dan@example.org",
    ]
    assert list(rows.values_list("state", flat=True)) == ["sent"] * 3
    assert dispatch.sale_summaries_send(sale_id=shop.sale.pk) == 0
    assert len(mailoutbox) == 4


def test_no_email_for_an_open_sale_nor_for_a_producer_without_address(shop, mailoutbox):
    # The summaries are written in the organisation's language.
    Organisation.objects.filter(pk=shop.organisation.pk).update(language="en")
    assert dispatch.sale_summaries_send(sale_id=shop.sale.pk) == 0  # still open

    shop.brewery.email = ""
    shop.brewery.save(update_fields=["email"])
    shop.sale.status = "closed"
    shop.sale.save(update_fields=["status"])
    assert dispatch.sale_summaries_send(sale_id=shop.sale.pk) == 2
    assert sorted(m.to[0] for m in mailoutbox) == ["cerou@example.org", "coordination@example.org"]
    coordinator_mail = next(m for m in mailoutbox if m.to == ["coordination@example.org"])
    assert (
        "These producers have no e-mail address and were not sent their summary: "
        "Brasserie du Ségala"
    ) in coordinator_mail.body


# --- The pages --------------------------------------------------------------------------------


def _brewer(shop):
    user = UserFactory(email="brasseur@example.org")
    MembershipFactory(
        organisation=shop.organisation, user=user, is_producer=True, producer=shop.brewery
    )
    return user


def test_a_producer_sees_only_its_own_summary(shop, client):
    client.force_login(_brewer(shop))
    kwargs = {"slug": shop.organisation.slug, "sale_id": shop.sale.pk}

    page = client.get(reverse("distribution:sale_summary", kwargs=kwargs))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Bière blonde" in html and "Alice Martin" in html
    assert "Tomme" not in html and "Ferme du Cérou" not in html and "Bruno" not in html

    export = client.get(
        reverse("distribution:sale_summary_export", kwargs={**kwargs, "file_format": "csv"})
    )
    text = export.content.decode("utf-8-sig")
    assert export["Content-Disposition"] == (
        'attachment; filename="vente-du-vendredi-brasserie-du-segala.csv"'
    )
    assert text.count("\r\n") == 3 and "Tomme" not in text


def test_a_coordinator_sees_every_producer(shop, client):
    client.force_login(shop.coordinator)
    page = client.get(
        reverse(
            "distribution:sale_summary",
            kwargs={"slug": shop.organisation.slug, "sale_id": shop.sale.pk},
        )
    )
    html = page.content.decode()
    assert "Bière blonde" in html and "Tomme" in html and "Bruno Durand" in html


def test_another_organisations_sale_is_not_found(shop, client):
    other = OrganisationFactory()
    coordinator = UserFactory()
    MembershipFactory(organisation=other, user=coordinator, is_coordinator=True)
    client.force_login(coordinator)
    page = client.get(
        reverse("distribution:sale_summary", kwargs={"slug": other.slug, "sale_id": shop.sale.pk})
    )
    assert page.status_code == 404


def test_an_unknown_export_format_is_not_found(shop, client):
    client.force_login(shop.coordinator)
    kwargs = {"slug": shop.organisation.slug, "sale_id": shop.sale.pk, "file_format": "pdf"}
    assert client.get(reverse("distribution:sale_summary_export", kwargs=kwargs)).status_code == 404


# --- A constant number of queries --------------------------------------------------------------


def _sale_with_orders(count: int):
    shop = _shop_with_brewery(slot_capacity=count, slots=1, cheese_stock=D(count))
    for n in range(count):
        pickup, slot = (shop.pickup, shop.slots[0]) if n % 2 else (shop.open_pickup, None)
        _place(shop, shop.member(email=f"member{count}-{n}@example.org"), pickup, slot,
               [("bread", 1 + n % 3), ("cheese", 1), ("tomatoes", "0.5"), ("beer", 2)])  # fmt: skip
    coordinator = UserFactory()
    MembershipFactory(organisation=shop.organisation, user=coordinator, is_coordinator=True)
    return shop, coordinator


def _queries(call) -> int:
    with CaptureQueriesContext(connection) as queries:
        call()
    return len(queries)


def _measure(shop, coordinator, client) -> dict[str, int]:
    sale = shop.sale
    client.force_login(coordinator)
    kwargs = {"slug": shop.organisation.slug, "sale_id": sale.pk}
    csv_kwargs = {**kwargs, "file_format": "csv"}
    return {
        "producer_totals": _queries(lambda: summaries.producer_totals(sale=sale)),
        "producer_pickup_totals": _queries(lambda: summaries.producer_pickup_totals(sale=sale)),
        "customer_lines": _queries(lambda: summaries.customer_lines(sale=sale)),
        "page": _queries(lambda: client.get(reverse("distribution:sale_summary", kwargs=kwargs))),
        "export": _queries(
            lambda: client.get(reverse("distribution:sale_summary_export", kwargs=csv_kwargs))
        ),
    }


@pytest.mark.django_db
def test_the_summaries_take_as_many_queries_for_3_or_40_orders(client):
    small = _measure(*_sale_with_orders(3), client)
    large = _measure(*_sale_with_orders(40), client)

    assert small == large
    # The sums, then the few producers (and pickups); the orders apart from their lines.
    assert (small["producer_totals"], small["producer_pickup_totals"]) == (2, 4)
    assert small["customer_lines"] == 4


@pytest.mark.django_db
def test_the_dispatch_takes_as_many_queries_for_3_or_40_orders(mailoutbox):
    counts = []
    for count in (3, 40):
        shop, _coordinator = _sale_with_orders(count)
        shop.sale.status = "closed"
        shop.sale.save(update_fields=["status"])
        counts.append(
            _queries(lambda shop=shop: dispatch.sale_summaries_send(sale_id=shop.sale.pk))
        )
    assert counts[0] == counts[1]
    assert len(mailoutbox) == 6


def test_the_coordinators_are_the_active_ones(shop, mailoutbox):
    left = UserFactory(email="ancien@example.org")
    MembershipFactory(
        organisation=shop.organisation,
        user=left,
        is_coordinator=True,
        status=Membership.Status.LEFT,
    )
    shop.sale.status = "closed"
    shop.sale.save(update_fields=["status"])
    dispatch.sale_summaries_send(sale_id=shop.sale.pk)
    assert "ancien@example.org" not in [m.to[0] for m in mailoutbox]


# --- Who gets a producer's summary --------------------------------------------------------------


def _producer_member(shop, email, producer, **kwargs):
    user = UserFactory(email=email)
    MembershipFactory(
        organisation=shop.organisation, user=user, is_producer=True, producer=producer, **kwargs
    )
    return user


def test_a_producer_summary_goes_to_its_contact_and_the_people_who_log_in_as_it(
    shop, mailoutbox, django_capture_on_commit_callbacks
):
    # The brewer logs in with the contact address spelt otherwise: one e-mail, not two.
    _producer_member(shop, "Brasserie@Example.org", shop.brewery)
    _producer_member(shop, "brasseuse@example.org", shop.brewery)
    _producer_member(shop, "ancien-brasseur@example.org", shop.brewery, status="left")
    _producer_member(shop, "fermier@example.org", shop.farm)

    _close(shop, django_capture_on_commit_callbacks)

    by_recipient = {message.to[0]: message for message in mailoutbox}
    assert sorted(by_recipient) == [
        "brasserie@example.org",
        "brasseuse@example.org",
        "cerou@example.org",
        "coordination@example.org",
        "fermier@example.org",
    ]
    brewer_mail = by_recipient["brasseuse@example.org"]
    assert brewer_mail.body == by_recipient["brasserie@example.org"].body
    assert "Bière blonde" in brewer_mail.body and "Tomme" not in brewer_mail.body
    assert [name for name, _content, _type in brewer_mail.attachments] == [
        "vente-du-vendredi-brasserie-du-segala.csv",
        "vente-du-vendredi-brasserie-du-segala.xlsx",
    ]
    assert "Tomme" in by_recipient["fermier@example.org"].body
    # One outbox row per recipient and summary.
    keys = OutboxMessage.objects.filter(key__startswith=f"sale-summary:{shop.sale.pk}:producer:")
    assert sorted(keys.values_list("key", flat=True)) == sorted(
        [
            f"sale-summary:{shop.sale.pk}:producer:{shop.brewery.pk}:brasserie@example.org",
            f"sale-summary:{shop.sale.pk}:producer:{shop.brewery.pk}:brasseuse@example.org",
            f"sale-summary:{shop.sale.pk}:producer:{shop.farm.pk}:cerou@example.org",
            f"sale-summary:{shop.sale.pk}:producer:{shop.farm.pk}:fermier@example.org",
        ]
    )

    # Run again (a retried task, a second worker): nothing is sent twice.
    assert dispatch.sale_summaries_send(sale_id=shop.sale.pk) == 0
    assert len(mailoutbox) == 5
    assert SummaryDispatch.objects.filter(sale=shop.sale).count() == 5


def test_a_producer_without_contact_address_gets_its_summary_through_its_members(shop, mailoutbox):
    shop.brewery.email = ""
    shop.brewery.save(update_fields=["email"])
    _producer_member(shop, "brasseuse@example.org", shop.brewery)
    shop.sale.status = "closed"
    shop.sale.save(update_fields=["status"])

    assert dispatch.sale_summaries_send(sale_id=shop.sale.pk) == 3

    assert sorted(m.to[0] for m in mailoutbox) == [
        "brasseuse@example.org",
        "cerou@example.org",
        "coordination@example.org",
    ]
    coordinator_mail = next(m for m in mailoutbox if m.to == ["coordination@example.org"])
    assert "no e-mail address" not in coordinator_mail.body


def test_the_summary_page_says_where_the_email_goes_then_went(
    shop, client, mailoutbox, django_capture_on_commit_callbacks
):
    _producer_member(shop, "Brasserie@Example.org", shop.brewery)
    brewer = _producer_member(shop, "brasseuse@example.org", shop.brewery)
    client.force_login(brewer)
    url = reverse(
        "distribution:sale_summary",
        kwargs={"slug": shop.organisation.slug, "sale_id": shop.sale.pk},
    )

    html = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert (
        "Après la clôture, ce récapitulatif est envoyé par e-mail à : "
        "brasserie@example.org, brasseuse@example.org"
    ) in html

    _close(shop, django_capture_on_commit_callbacks)
    html = client.get(url).content.decode()
    assert "Récapitulatif envoyé par e-mail le " in html
    assert " à : brasserie@example.org, brasseuse@example.org</p>" in html
    assert "cerou@example.org" not in html

    client.force_login(shop.coordinator)
    html = client.get(url).content.decode()
    assert html.count("Récapitulatif envoyé par e-mail le ") == 2
    assert " à : cerou@example.org</p>" in html
