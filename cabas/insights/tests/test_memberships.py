"""Membership fees and shares per month, against a hand computation and the register, with a
constant number of queries whatever the period."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from cabas.insights.memberships import memberships_activity
from cabas.insights.selectors import Filters
from cabas.money import selectors as money_selectors
from cabas.money import services as money_services
from cabas.money.models import MembershipPeriod
from cabas.orders.tests.factories import open_shop
from cabas.orgs.models import Membership

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
D = Decimal


def _paid(membership, on: date, paid_at: datetime | None):
    """A membership year opened on ``on`` and paid at ``paid_at`` (the services write the
    moment of the payment, now: set afterwards to the day of the story)."""
    period = money_services.membership_renew(membership=membership, by=None, on=on,
                                             method="cash" if paid_at else None)  # fmt: skip
    MembershipPeriod.objects.filter(pk=period.pk).update(paid_at=paid_at)
    return period


@pytest.fixture
def shop():
    """A cooperative: fee 12.00 (rolling years), share 20.00.
    - Fees: Anna paid 30 September (September), Brice on 1 November at 00:30 in Paris
      (31 October in UTC: November), Chloé not paid, Denis's year of a free fee (0.00).
    - Shares: Anna 5 on 10 September; Brice 3 on 5 November; Anna gives 2 to Chloé on
      20 November (no change of the total); Anna refunds 3 on 2 December."""
    shop = open_shop()
    org = shop.organisation
    money_services.money_settings_update(organisation=org, membership_fee=D("12"),
                                         renewal="rolling", share_price=D("20"))  # fmt: skip
    anna, brice, chloe, denis = (shop.member(email=f"{n}@example.org")
                                 for n in ("anna", "brice", "chloe", "denis"))  # fmt: skip
    member = {user: Membership.objects.get(user=user, organisation=org)
              for user in (anna, brice, chloe, denis)}  # fmt: skip
    _paid(member[anna], date(2026, 9, 30), datetime(2026, 9, 30, 18, 0, tzinfo=PARIS))
    _paid(member[brice], date(2026, 10, 31), datetime(2026, 11, 1, 0, 30, tzinfo=PARIS))
    _paid(member[chloe], date(2026, 11, 2), None)
    free = _paid(member[denis], date(2026, 11, 3), datetime(2026, 11, 3, 9, 0, tzinfo=PARIS))
    MembershipPeriod.objects.filter(pk=free.pk).update(fee=D("0"))
    money_services.shares_subscribe(organisation=org, user=anna, quantity=5, by=None,
                                    on=date(2026, 9, 10))  # fmt: skip
    money_services.payment_record(organisation=org, user=anna, amount=D("100"),
                                  method="cheque", by=None)  # fmt: skip
    money_services.shares_subscribe(organisation=org, user=brice, quantity=3, by=None,
                                    on=date(2026, 11, 5))  # fmt: skip
    money_services.shares_transfer(organisation=org, giver=anna, receiver=chloe, quantity=2,
                                   by=None, on=date(2026, 11, 20))  # fmt: skip
    money_services.shares_refund(organisation=org, user=anna, quantity=3, reason="Départ",
                                 by=None, on=date(2026, 12, 2))  # fmt: skip
    shop.members = (anna, brice, chloe, denis)
    return shop


def _rows(months):
    return [(m.month, m.fees, m.fees_amount, m.subscribed, m.subscribed_amount, m.refunded,
             m.refunded_amount, m.held) for m in months]  # fmt: skip


def test_fees_and_shares_per_month_by_hand(shop):
    months = memberships_activity(
        organisation=shop.organisation,
        filters=Filters(start=date(2026, 9, 15), end=date(2026, 12, 6)),
    )
    assert _rows(months) == [
        (date(2026, 9, 1), 1, D("12.00"), 5, D("100.00"), 0, D("0"), 5),
        (date(2026, 10, 1), 0, D("0"), 0, D("0"), 0, D("0"), 5),
        (date(2026, 11, 1), 1, D("12.00"), 3, D("60.00"), 0, D("0"), 8),
        (date(2026, 12, 1), 0, D("0"), 0, D("0"), 3, D("60.00"), 5),
    ]
    # The shares held at the end equal the register's.
    held = sum(money_selectors.shares_held(organisation=shop.organisation, user=user)
               for user in shop.members)  # fmt: skip
    assert months[-1].held == held == 5


def test_the_shares_held_before_the_period_are_carried(shop):
    (november,) = memberships_activity(
        organisation=shop.organisation,
        filters=Filters(start=date(2026, 11, 10), end=date(2026, 11, 20)),
    )
    assert _rows([november]) == [(date(2026, 11, 1), 1, D("12.00"), 3, D("60.00"), 0, D("0"), 8)]


def test_queries_do_not_grow_with_the_period(shop, django_assert_num_queries):
    for weeks in (1, 520):
        with django_assert_num_queries(3):
            memberships_activity(
                organisation=shop.organisation,
                filters=Filters(start=date(2026, 12, 6) - timedelta(weeks=weeks),
                                end=date(2026, 12, 6)),
            )  # fmt: skip


def test_the_dashboards_section_and_its_files(client, shop):
    coordinator = shop.members[0]
    shop.organisation.memberships.filter(user=coordinator).update(is_coordinator=True)
    client.force_login(coordinator)
    url = reverse("insights:dashboard", kwargs={"slug": shop.organisation.slug})
    period = {"start": "2026-09-01", "end": "2026-12-06"}
    page = client.get(url, period).content.decode()
    assert "Cotisations et parts sociales" in page
    assert '<script id="memberships-data" type="application/json">' in page
    csv = client.get(url, {**period, "report": "memberships", "format": "csv"})
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[1:] == [
        "2026-09-01;1;12,00;5;100,00;0;0,00;5",
        "2026-10-01;0;0,00;0;0,00;0;0,00;5",
        "2026-11-01;1;12,00;3;60,00;0;0,00;8",
        "2026-12-01;0;0,00;0;0,00;3;60,00;5",
    ]


def test_fees_paid_at_a_pickup_are_those_of_its_cash_report(shop):
    from cabas.money.reports import cash_report

    coordinator = shop.members[2]  # Chloé, whose fee is not paid yet
    period = MembershipPeriod.objects.get(membership__user=coordinator)
    money_services.membership_fee_pay(period=period, method="cash", by=None,
                                      pickup=shop.open_pickup)  # fmt: skip
    report = cash_report(pickup=shop.open_pickup)
    # Paid now (the tests' clock: 2 December 2026).
    (december,) = memberships_activity(
        organisation=shop.organisation,
        filters=Filters(start=date(2026, 12, 1), end=date(2026, 12, 31)),
    )
    assert (
        (december.fees, december.fees_amount)
        == (
            report.memberships_count,
            report.memberships_amount,
        )
        == (1, D("12.00"))
    )
