"""What a member owes on distribution day, before their pickup is closed: the account page,
the receipt and the check-in say the same amount (one rule, ``selectors.balance_expression``),
and closing the pickup changes nothing of it."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from reportlab.platypus import Paragraph

from cabas.distribution import services as distribution
from cabas.money import errors, reports, selectors, services
from cabas.money.models import AccountEntry
from cabas.money.receipt_pdf import receipt_story
from cabas.orders import services as order_services
from cabas.orders.tests.factories import open_shop
from cabas.orgs.models import Membership
from cabas.sales import services as sales_services
from cabas.sales.models import Pickup

pytestmark = pytest.mark.django_db
D = Decimal
TO_PAY = "À payer : <strong>3,60\u00a0€</strong>."


def weighed_order(place, shop, member):
    """Placed, sale closed, the chicken weighed: 8.40 + 1.735 × 11.90 = 29.05."""
    order = place(shop, member, [("bread", 2), ("chicken", 1)])
    sales_services.sale_close_now(sale=shop.sale)
    order_services.order_line_weigh(line=order.lines.get(product_name="Poulet"),
                                    weighed_kg=D("1.735"), by=member)  # fmt: skip
    order.refresh_from_db()
    assert order.total == D("29.05")
    return order


def pay(shop, member, order, amount):
    return services.payment_record(organisation=shop.organisation, user=member, amount=D(amount),
                                   method="cash", by=member, order=order,
                                   pickup=shop.open_pickup)  # fmt: skip


def receipt_account_line(order) -> str:
    """The PDF receipt's last sentence: the member's account today."""
    receipt = reports.order_receipt(order=reports.order_for_receipt(
        organisation=order.organisation, code=order.code))  # fmt: skip
    with translation.override("fr"):
        story = receipt_story(receipt, issued_on=timezone.localdate())
    return [item.text for item in story if isinstance(item, Paragraph)][-1]


def account_page(client, shop, member) -> str:
    client.force_login(member)
    return client.get(reverse("money:my_account", args=[shop.organisation.slug])).content.decode()


def test_a_part_payment_at_check_in_leaves_the_rest_to_pay_before_and_after_closing(
    client, shop, place
):
    member = shop.member()
    order = weighed_order(place, shop, member)
    assert selectors.balance(organisation=shop.organisation, user=member) == D("-29.05")

    pay(shop, member, order, "25.45")  # at check-in, in cash: 3.60 short

    assert selectors.order_due(order=order).due == D("3.60")
    assert selectors.balance(organisation=shop.organisation, user=member) == D("-3.60")
    page = account_page(client, shop, member)
    assert TO_PAY in page and "Avoir" not in page
    assert f"n° {order.number}" in page and "25,45\u00a0€" in page  # the open order, its payment
    assert receipt_account_line(order) == "Votre compte aujourd’hui : 3,60\u00a0€ à payer."

    order_services.order_set_status(order=order, status="collected", by=member)
    distribution.pickup_close(pickup=shop.open_pickup, by=member)

    # The debit entry replaces the open order: the same figure, never counted twice.
    assert AccountEntry.objects.filter(order=order, kind="order").get().amount == D("-29.05")
    assert selectors.balance(organisation=shop.organisation, user=member) == D("-3.60")
    assert list(selectors.undebited_orders(organisation=shop.organisation, user=member)) == []
    assert selectors.order_due(order=order).due == D("3.60")
    page = account_page(client, shop, member)
    assert TO_PAY in page and "Avoir" not in page
    assert receipt_account_line(order) == "Votre compte aujourd’hui : 3,60\u00a0€ à payer."


def test_an_overpayment_shows_as_credit(client, shop, place):
    member = shop.member()
    order = weighed_order(place, shop, member)

    pay(shop, member, order, "30")

    assert selectors.balance(organisation=shop.organisation, user=member) == D("0.95")
    assert selectors.order_due(order=order).due == D("0")
    assert "Avoir : <strong>0,95\u00a0€</strong>" in account_page(client, shop, member)
    assert "un avoir de 0,95\u00a0€" in receipt_account_line(order)


def test_a_cancelled_order_is_not_owed_and_its_payment_stays_credit(shop, place):
    member = shop.member()
    order = place(shop, member, [("bread", 2)])  # 8.40
    pay(shop, member, order, "8.40")
    order_services.order_cancel(order=order)

    assert selectors.balance(organisation=shop.organisation, user=member) == D("8.40")
    assert list(selectors.undebited_orders(organisation=shop.organisation, user=member)) == []


def test_only_the_orders_of_open_pickups_are_looked_in(shop, place):
    """A closed pickup has debited every order (closing refuses otherwise): rows imported
    closed without entries (history, the bench) are not read as owed."""
    member = shop.member()
    order = place(shop, member, [("bread", 2)])  # 8.40
    assert selectors.balance(organisation=shop.organisation, user=member) == D("-8.40")

    type(order.pickup).objects.filter(pk=order.pickup_id).update(closed_at=timezone.now())

    assert selectors.balance(organisation=shop.organisation, user=member) == D("0")
    assert list(selectors.undebited_orders(organisation=shop.organisation, user=member)) == []


def test_credit_pays_the_order_and_no_refund_spends_money_due_on_an_open_order(shop, place):
    member = shop.member()
    services.payment_record(organisation=shop.organisation, user=member, amount=D("10"),
                            method="transfer", by=member)  # fmt: skip
    order = weighed_order(place, shop, member)

    due = selectors.order_due(order=order)
    assert (due.credit, due.due) == (D("10.00"), D("19.05"))
    with pytest.raises(errors.RefundAboveCredit):
        services.refund_record(organisation=shop.organisation, user=member, amount=D("5"),
                               reason="erreur", by=member)  # fmt: skip


def test_the_coordinators_lists_count_open_orders_in_a_constant_number_of_queries(
    client, shop, place
):
    coordinator = shop.member()
    Membership.objects.filter(user=coordinator).update(is_coordinator=True)
    client.force_login(coordinator)
    pages = [
        reverse("money:balances", args=[shop.organisation.slug]),
        reverse("money:member_list", args=[shop.organisation.slug]),
    ]

    def queries(members: int) -> list[int]:
        for _ in range(members):
            member = shop.member()
            pay(shop, member, place(shop, member, [("bread", 2)]), "4.80")
        counts = []
        for url in pages:
            with CaptureQueriesContext(connection) as context:
                assert client.get(url).status_code == 200
            counts.append(len(context))
        return counts

    queries(0)  # the first visit reads what is then cached (the session, the organisation)
    first = queries(1)
    assert queries(5) == first
    rows = {m.user_id: m.balance for m in reports.member_balances(organisation=shop.organisation)}
    assert sorted(set(rows.values())) == [D("-3.60"), D("0.00")]


def test_what_is_owed_reads_only_the_open_pickups_of_its_organisation(shop, place):
    member = shop.member()
    place(shop, member, [("bread", 2)])  # 8.40
    other = open_shop()  # another organisation, its pickups open, an order of its own
    place(other, other.member(), [("bread", 1)])

    with CaptureQueriesContext(connection) as context:
        assert selectors.balance(organisation=shop.organisation, user=member) == D("-8.40")
        assert len(selectors.undebited_orders(organisation=shop.organisation, user=member)) == 1

    assert len(context) == 2  # one each, however many organisations have a pickup open
    for query in context.captured_queries:
        # The subquery of the sales with a pickup open: filtered by the organisation too.
        (pickups_read,) = re.findall(r'FROM "sales_pickup" \w+ WHERE \(([^()]*)\)', query["sql"])
        assert '"organisation_id" = ' in pickups_read and '"closed_at" IS NULL' in pickups_read
        if connection.vendor == "postgresql":
            # Read once, its sales an index condition on the member's orders (core.expressions).
            assert '"sale_id" = ANY(ARRAY(SELECT' in query["sql"]


def test_an_order_is_owed_before_its_pickup_closes_or_by_its_entry_after_never_both(shop, place):
    """``selectors._undebited`` and ``services.order_dues_record`` are two sides of one
    fact: the open pickup's order is counted by the first, the closed one's by the second."""
    ann, bob, volunteer = shop.member(), shop.member(), shop.member()
    at_open = place(shop, ann, [("bread", 2)])  # 8.40, its pickup stays open
    at_closed = order_services.order_place(
        user=bob,
        sale=shop.sale,
        pickup_id=shop.pickup.pk,
        slot_id=shop.slots[0].pk,
        lines=[(shop.products["bread"].pk, D(1))],
        notify=False,
    )  # fmt: skip  4.20, at the sale's other pickup, closed now
    sales_services.sale_close_now(sale=shop.sale)
    order_services.order_set_status(order=at_closed, status="collected", by=volunteer)
    distribution.pickup_close(pickup=shop.pickup, by=volunteer)

    for order in (at_open, at_closed):
        undebited = selectors.undebited_orders(organisation=shop.organisation, user=order.user)
        counted = (order in undebited, AccountEntry.objects.filter(order=order).exists())
        assert counted == ((True, False) if order == at_open else (False, True))
    assert selectors.balance(organisation=shop.organisation, user=ann) == D("-8.40")
    assert selectors.balance(organisation=shop.organisation, user=bob) == D("-4.20")


def next_weeks_order(shop, place, member):
    """The member's order of the organisation's next sale, its pickup a week after the
    shop's: 3 breads, 12.60."""
    next_week = open_shop(organisation=shop.organisation)
    Pickup.objects.filter(pk=next_week.open_pickup.pk).update(
        starts_at=shop.open_pickup.starts_at + timedelta(days=7),
        ends_at=shop.open_pickup.ends_at + timedelta(days=7),
    )
    return place(next_week, member, [("bread", 3)])


def test_credit_goes_to_the_earliest_pickup_first(client, shop, place, django_assert_num_queries):
    member = shop.member()
    services.payment_record(organisation=shop.organisation, user=member, amount=D("20"),
                            method="transfer", by=member)  # fmt: skip
    later = next_weeks_order(shop, place, member)  # placed first, picked up next week: 12.60
    today = place(shop, member, [("bread", 2)])  # 8.40

    # Today's order takes the credit, all of it there: nothing to pay at check-in.
    with django_assert_num_queries(1):
        due = selectors.order_due(order=today)
    assert due == selectors.OrderDue(total=D("8.40"), paid=D("0"), credit=D("20.00"), due=D("0"))
    # Next week's takes what is left of it, 11.60: 1.00 to pay, the account's figure.
    assert due.credit_used == D("8.40")
    due = selectors.order_due(order=later)
    assert (due.credit, due.due, due.credit_used) == (D("11.60"), D("1.00"), D("11.60"))
    assert selectors.balance(organisation=shop.organisation, user=member) == D("-1.00")
    assert "À payer : <strong>1,00\u00a0€</strong>." in account_page(client, shop, member)
    unpaid = {row.order_id: row for row in reports.cash_report(pickup=today.pickup).unpaid}
    assert (unpaid[today.pk].credit_used, unpaid[today.pk].still_owed) == (D("8.40"), D("0"))
    unpaid = {row.order_id: row for row in reports.cash_report(pickup=later.pickup).unpaid}
    assert (unpaid[later.pk].credit_used, unpaid[later.pk].still_owed) == (D("11.60"), D("1.00"))

    client.force_login(shop.member())
    Membership.objects.filter(organisation=shop.organisation).update(is_volunteer=True)
    url = reverse("distribution:checkin_order", args=[shop.organisation.slug, today.code])
    page = client.get(url, headers={"accept-language": "fr"}).content.decode()
    # The sum adds up: the part of the credit this order takes, not all of it.
    assert "8,40\u00a0€ − avoir 8,40\u00a0€ = <strong>à payer 0,00\u00a0€" in page
    assert "\u22120,00" not in page and "-0.00" not in page


def test_credit_that_meets_the_order_exactly_leaves_zero_never_minus_zero(client, shop, place):
    member = shop.member()
    for amount in ("0.10", "0.20", "8.10"):  # 8.40 in cents a float would not add exactly
        services.payment_record(organisation=shop.organisation, user=member, amount=D(amount),
                                method="cash", by=member)  # fmt: skip
    today = place(shop, member, [("bread", 2)])  # 8.40
    next_weeks_order(shop, place, member)

    due = selectors.order_due(order=today)
    assert (due.credit, due.due) == (D("8.40"), D("0"))
    assert not due.due.is_signed() and not due.credit.is_signed()
    client.force_login(shop.member())
    Membership.objects.filter(organisation=shop.organisation).update(is_volunteer=True)
    url = reverse("distribution:checkin_order", args=[shop.organisation.slug, today.code])
    page = client.get(url, headers={"accept-language": "fr"}).content.decode()
    assert "à payer 0,00\u00a0€" in page and "\u22120,00" not in page and "-0.00" not in page
