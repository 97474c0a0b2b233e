"""Member accounts: dues, payments, credit, refunds, memberships and shares — exact numbers,
and bad input that changes nothing."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cabas.distribution import services as distribution
from cabas.money import errors, selectors, services
from cabas.money.models import AccountEntry, MembershipPeriod, MoneySettings, ShareMovement
from cabas.orders import errors as order_errors
from cabas.orders import services as order_services
from cabas.orders.tests.factories import open_shop
from cabas.orgs.models import Membership
from cabas.sales import services as sales_services

pytestmark = pytest.mark.django_db
D = Decimal


def close_pickup(shop, *orders):
    volunteer = shop.member()
    for order in orders:
        order_services.order_set_status(order=order, status="collected", by=volunteer)
    distribution.pickup_close(pickup=shop.open_pickup, by=volunteer)


def test_an_order_paid_at_the_pickup_balances_to_zero(shop, place):
    member = shop.member()
    order = place(shop, member, [("bread", 2), ("chicken", 1)])  # 8.40 + 19.04
    sales_services.sale_close_now(sale=shop.sale)
    order_services.order_line_weigh(line=order.lines.get(product_name="Poulet"),
                                    weighed_kg=D("1.735"), by=member)  # fmt: skip
    order.refresh_from_db()
    assert order.total == D("8.40") + D("20.65")  # 1.735 × 11.90 = 20.6465 → 20.65

    due = selectors.order_due(order=order)
    assert (due.total, due.credit, due.due) == (D("29.05"), D("0"), D("29.05"))
    services.payment_record(organisation=shop.organisation, user=member, amount=D("20"),
                            method="cash", by=member, order=order)  # fmt: skip
    services.payment_record(organisation=shop.organisation, user=member, amount=D("9.05"),
                            method="card", by=member, order=order)  # fmt: skip
    assert selectors.order_due(order=order).due == D("0")
    close_pickup(shop, order)

    assert selectors.balance(organisation=shop.organisation, user=member) == D("0.00")
    kinds = list(AccountEntry.objects.filter(user=member).values_list("kind", "amount"))
    assert sorted(kinds) == sorted([("payment", D("20.00")), ("payment", D("9.05")),
                                    ("order", D("-29.05"))])  # fmt: skip


def test_credit_carries_over_to_the_next_order(shop, place):
    member = shop.member()
    services.payment_record(organisation=shop.organisation, user=member, amount=D("50"),
                            method="transfer", reference="SEG-00012", by=member)  # fmt: skip
    order = place(shop, member, [("bread", 3)])  # 12.60

    due = selectors.order_due(order=order)
    assert (due.credit, due.due) == (D("50.00"), D("0"))
    sales_services.sale_close_now(sale=shop.sale)
    close_pickup(shop, order)
    assert selectors.balance(organisation=shop.organisation, user=member) == D("37.40")


def test_a_pickup_cannot_close_while_a_payment_method_is_unresolved(shop, place):
    member = shop.member()
    order = place(shop, member, [("bread", 1)])
    sales_services.sale_close_now(sale=shop.sale)
    entry = services.payment_record(organisation=shop.organisation, user=member,
                                    amount=D("4.20"), method="unresolved", by=member,
                                    order=order)  # fmt: skip
    order_services.order_set_status(order=order, status="collected", by=member)

    with pytest.raises(errors.UnresolvedPayments):
        distribution.pickup_close(pickup=shop.open_pickup, by=member)
    assert not AccountEntry.objects.filter(kind="order").exists()

    services.payment_resolve(entry=entry, method="cheque", by=member, reference="n° 1234567")
    distribution.pickup_close(pickup=shop.open_pickup, by=member)
    assert AccountEntry.objects.filter(kind="order", order=order).count() == 1


def test_closing_twice_never_makes_an_order_due_twice(shop, place):
    member = shop.member()
    order = place(shop, member, [("bread", 1)])
    sales_services.sale_close_now(sale=shop.sale)
    close_pickup(shop, order)
    services.order_dues_record(pickup=shop.open_pickup)
    assert AccountEntry.objects.filter(kind="order").count() == 1


@pytest.mark.parametrize(
    ("amount", "method", "error"),
    [
        (D("-5"), "cash", errors.AmountInvalid),
        (D("0"), "cash", errors.AmountInvalid),
        (D("5"), "bitcoin", errors.MethodInvalid),
    ],
)
def test_bad_payments_are_refused_and_record_nothing(shop, amount, method, error):
    with pytest.raises(error):
        services.payment_record(organisation=shop.organisation, user=shop.member(),
                                amount=amount, method=method, by=None)  # fmt: skip
    assert not AccountEntry.objects.exists()


def test_a_payment_on_another_organisations_member_is_refused(shop, place):
    other = open_shop()
    with pytest.raises(errors.NotAMemberHere):
        services.payment_record(organisation=shop.organisation, user=other.member(),
                                amount=D("5"), method="cash", by=None)  # fmt: skip
    foreign = place(other, other.member(), [("bread", 1)])
    with pytest.raises(errors.OrderOfAnotherMember):
        services.payment_record(organisation=shop.organisation, user=shop.member(),
                                amount=D("5"), method="cash", by=None, order=foreign)  # fmt: skip
    assert not AccountEntry.objects.exists()


def test_refunds_need_a_reason_and_stay_within_the_credit(shop):
    member = shop.member()
    services.payment_record(organisation=shop.organisation, user=member, amount=D("10"),
                            method="cash", by=None)  # fmt: skip
    with pytest.raises(errors.RefundNeedsReason):
        services.refund_record(organisation=shop.organisation, user=member, amount=D("5"),
                               reason=" ", by=None)  # fmt: skip
    with pytest.raises(errors.RefundAboveCredit) as refused:
        services.refund_record(organisation=shop.organisation, user=member, amount=D("10.01"),
                               reason="Départ", by=None)  # fmt: skip
    assert "10,00" in str(refused.value)
    services.refund_record(organisation=shop.organisation, user=member, amount=D("10"),
                           reason="Départ", by=None)  # fmt: skip
    assert selectors.balance(organisation=shop.organisation, user=member) == D("0.00")


def members_only_with_a_fee(shop) -> None:
    """Members-only, a fee of 12 renewed each 1 September."""
    services.money_settings_update(
        organisation=shop.organisation, membership_fee=D("12"), renewal="fixed_date",
        renewal_month=9, renewal_day=1,
    )  # fmt: skip
    shop.organisation.members_only = True
    shop.organisation.save()


def test_membership_years_on_a_fixed_date_and_members_only_ordering(shop, place):
    members_only_with_a_fee(shop)
    member = shop.member()
    membership = Membership.objects.get(user=member)

    with pytest.raises(order_errors.MembershipNotPaid) as refused:
        place(shop, member, [("bread", 1)])
    assert "renouvel" in str(refused.value)

    period = services.membership_renew(membership=membership, by=None, on=date(2026, 11, 23))
    assert (period.starts_on, period.ends_on) == (date(2026, 9, 1), date(2027, 9, 1))
    assert selectors.balance(organisation=shop.organisation, user=member) == D("-12.00")
    assert selectors.membership_status(membership=membership, on=date(2026, 11, 23)) == (
        "pending_payment"
    )
    services.membership_fee_pay(period=period, method="cash", by=None)
    assert selectors.balance(organisation=shop.organisation, user=member) == D("0.00")
    assert selectors.membership_status(membership=membership, on=date(2026, 11, 23)) == "active"
    assert selectors.membership_status(membership=membership, on=date(2027, 9, 1)) == "expired"


def test_rolling_membership_lasts_twelve_months(shop):
    services.money_settings_update(organisation=shop.organisation, membership_fee=D("5"),
                                   renewal="rolling")  # fmt: skip
    membership = Membership.objects.get(user=shop.member())
    period = services.membership_renew(membership=membership, by=None, on=date(2026, 2, 14),
                                       method="cash")  # fmt: skip
    assert (period.starts_on, period.ends_on, period.paid_at is not None) == (
        date(2026, 2, 14),
        date(2027, 2, 14),
        True,
    )


def test_shares_register_subscription_transfer_and_refund(shop):
    services.money_settings_update(organisation=shop.organisation, share_price=D("10"),
                                   shares_minimum=2)  # fmt: skip
    anna, brice = shop.member(), shop.member()
    with pytest.raises(errors.SharesBelowMinimum):
        services.shares_subscribe(organisation=shop.organisation, user=anna, quantity=1, by=None)
    services.shares_subscribe(organisation=shop.organisation, user=anna, quantity=5, by=None)
    assert selectors.balance(organisation=shop.organisation, user=anna) == D("-50.00")
    services.payment_record(organisation=shop.organisation, user=anna, amount=D("50"),
                            method="cheque", by=None)  # fmt: skip

    services.shares_transfer(organisation=shop.organisation, giver=anna, receiver=brice,
                             quantity=2, by=None)  # fmt: skip
    with pytest.raises(errors.SharesNotHeld):
        services.shares_transfer(organisation=shop.organisation, giver=brice, receiver=anna,
                                 quantity=3, by=None)  # fmt: skip
    services.shares_refund(organisation=shop.organisation, user=anna, quantity=3,
                           reason="Départ de Marseille", by=None)  # fmt: skip

    assert selectors.shares_held(organisation=shop.organisation, user=anna) == 0
    assert selectors.shares_held(organisation=shop.organisation, user=brice) == 2
    assert selectors.balance(organisation=shop.organisation, user=anna) == D("0.00")
    assert ShareMovement.objects.count() == 4


def test_the_member_sees_their_account_and_a_coordinator_records_a_payment(client, shop):
    member = shop.member()
    coordinator = shop.member()
    Membership.objects.filter(user=coordinator).update(is_coordinator=True)
    services.payment_record(organisation=shop.organisation, user=member, amount=D("15"),
                            method="cash", by=None)  # fmt: skip
    client.force_login(member)

    page = client.get(reverse("money:my_account", args=[shop.organisation.slug])).content.decode()
    assert "15,00\u00a0€" in page

    client.force_login(coordinator)
    url = reverse("money:member_account", args=[shop.organisation.slug, member.pk])
    client.post(url, {"action": "payment", "method": "transfer", "amount": "5",
                      "reference": "VIR 42"})  # fmt: skip
    client.post(url, {"action": "payment", "method": "cash", "amount": "-3"})
    assert selectors.balance(organisation=shop.organisation, user=member) == D("20.00")


def test_cash_taken_at_check_in_shows_the_change(client, shop, place):
    member = shop.member()
    order = place(shop, member, [("bread", 2)])  # 8.40
    sales_services.sale_close_now(sale=shop.sale)
    volunteer = shop.member()
    Membership.objects.filter(user=volunteer).update(is_volunteer=True)
    client.force_login(volunteer)

    response = client.post(
        reverse("money:order_payment", args=[shop.organisation.slug, order.code]),
        {"method": "cash", "amount": "8.40", "received": "10"},
        follow=True,
    )

    assert "Rendez 1,60\u00a0€." in response.content.decode()
    entry = AccountEntry.objects.get()
    assert (entry.amount, entry.method, entry.pickup_id) == (D("8.40"), "cash", order.pickup_id)
    assert "à payer 0,00\u00a0€" in response.content.decode()


def test_money_settings_page_refuses_bad_values(client, shop):
    coordinator = shop.member()
    Membership.objects.filter(user=coordinator).update(is_coordinator=True)
    client.force_login(coordinator)
    url = reverse("money:settings", args=[shop.organisation.slug])

    response = client.post(url, {"membership_fee": "-1", "renewal": "fixed_date",
                                 "renewal_month": "13", "renewal_day": "1",
                                 "shares_minimum": "0", "commission_percent": "8",
                                 "cash_float": "50"})  # fmt: skip

    assert response.status_code == 200
    assert not MoneySettings.objects.filter(organisation=shop.organisation).exists()


def test_membership_period_dates_are_checked(shop):
    membership = Membership.objects.get(user=shop.member())
    MoneySettings.objects.create(organisation=shop.organisation, membership_fee=D("10"))
    services.membership_renew(membership=membership, by=None, on=date(2026, 8, 31))
    period = MembershipPeriod.objects.get()
    assert (period.starts_on, period.ends_on) == (date(2025, 9, 1), date(2026, 9, 1))
    assert selectors.current_period(membership=membership, on=date(2026, 9, 1)) is None
    assert selectors.current_period(membership=membership, on=date(2026, 8, 31)) == period
    assert period.ends_on - period.starts_on == timedelta(days=365)


def test_the_share_register_lists_holders_and_movements(client, shop):
    services.money_settings_update(organisation=shop.organisation, share_price=D("10"))
    anna = shop.member(first_name="Anna", last_name="Martin")
    services.shares_subscribe(organisation=shop.organisation, user=anna, quantity=3, by=None)
    coordinator = shop.member()
    Membership.objects.filter(user=coordinator).update(is_coordinator=True)
    client.force_login(coordinator)

    page = client.get(reverse("money:share_register", args=[shop.organisation.slug]))

    text = page.content.decode()
    assert "Anna Martin" in text and "30,00\u00a0€" in text and "souscription" in text


def test_amounts_are_typed_with_a_comma_at_check_in(client, shop, place):
    member = shop.member()
    order = place(shop, member, [("bread", 2)])  # 8.40
    sales_services.sale_close_now(sale=shop.sale)
    volunteer = shop.member()
    Membership.objects.filter(user=volunteer).update(is_volunteer=True)
    client.force_login(volunteer)
    url = reverse("money:order_payment", args=[shop.organisation.slug, order.code])

    bad = client.post(url, {"method": "cash", "amount": "8,4,0"}, follow=True)
    response = client.post(url, {"method": "cash", "amount": "8,40", "received": "10,00"},
                           follow=True)  # fmt: skip

    assert "Saisissez un nombre, par exemple 2 ou 0,5." in bad.content.decode()
    assert "Rendez 1,60\u00a0€." in response.content.decode()
    assert AccountEntry.objects.get().amount == D("8.40")


def test_a_member_whose_fee_is_unpaid_reads_why_on_the_shop_basket_and_checkout(shop, client):
    """Members-only, a fee, this year's not paid: every ordering page says so (it was a 500)."""
    members_only_with_a_fee(shop)
    client.force_login(shop.member())
    slug, sale = shop.organisation.slug, shop.sale.pk
    pages = [
        client.get(reverse("orders:sale_shop", args=[slug, sale])),
        client.post(
            reverse("orders:basket_set", args=[slug, sale]),
            {"product": shop.products["bread"].pk, "quantity": "1"},
            headers={"HX-Request": "true"},
        ),
        client.get(reverse("orders:checkout", args=[slug, sale]), follow=True),
    ]

    for page in pages:
        assert page.status_code == 403
        assert "la cotisation de l’année n’est pas encore payée" in page.content.decode()


def test_the_account_lists_its_entries_newest_first_fifty_a_page(client, shop):
    """Years of entries: the last payment at the top, fifty a page, the same queries on
    every page; a page asked for out of range is the nearest one."""
    member = shop.member()
    for n in range(1, 56):
        services.payment_record(organisation=shop.organisation, user=member,
                                amount=D(n), method="cash", by=None)  # fmt: skip
    client.force_login(member)
    client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "fr"})
    url = reverse("money:my_account", args=[shop.organisation.slug])
    client.get(url)  # the session's first visit reads and writes more

    with CaptureQueriesContext(connection) as first_page:
        first = client.get(url).content.decode()
    with CaptureQueriesContext(connection) as second_page:
        second = client.get(url + "?page=2").content.decode()

    assert "Les plus récentes en premier." in first and "page 1 sur 2" in first
    assert first.index(">55,00\u00a0€<") < first.index(">54,00\u00a0€<")
    assert ">6,00\u00a0€<" in first and ">5,00\u00a0€<" not in first
    assert ">5,00\u00a0€<" in second and ">1,00\u00a0€<" in second
    assert ">55,00\u00a0€<" not in second
    assert len(first_page) == len(second_page)
    assert "page 2 sur 2" in client.get(url + "?page=999").content.decode()
