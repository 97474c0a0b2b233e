"""A coop may ask that only members up to date with their shifts order (the drive): a member
suspended from the shifts is refused on the web and over the API, with the code
``shift_status_blocked`` and the way back ("Mes services", the shifts they can take); in
alert (a make-up to do) they still order."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cabas.api.tests.test_api import api_for, assert_error, order_body, orders_url
from cabas.orders import errors, services
from cabas.orders.models import Order
from cabas.orders.tests.factories import open_shop
from cabas.orgs.models import Membership
from cabas.orgs.tests.factories import OrganisationFactory
from cabas.work import services as work_services
from cabas.work.models import ShiftMember, WorkSettings
from cabas.work.tests.factories import ShiftPeriodFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    organisation = OrganisationFactory(kind="cooperative", members_only=True)
    WorkSettings.objects.create(organisation=organisation, shift_status_required=True)
    return open_shop(organisation=organisation)


def on_shifts(shop, user, counter: int):
    membership = Membership.objects.get(user=user, organisation=shop.organisation)
    work_services.shift_member_set(
        membership=membership, regime="flying", starts_on=date(2024, 1, 1)
    )
    if counter:
        work_services.counter_correct(membership=membership, delta=counter, note="test", by=None)
    return membership


def test_a_suspended_member_is_refused_at_checkout_and_sees_the_shifts_to_take(client, shop):
    member = shop.member()
    on_shifts(shop, member, -2)
    ShiftPeriodFactory(organisation=shop.organisation, task_type__name="Réception")
    services.basket_set_quantity(
        sale=shop.sale, product_id=shop.products["bread"].pk, quantity=Decimal(1), user=member
    )
    client.force_login(member)
    checkout = reverse("orders:checkout", args=[shop.organisation.slug, shop.sale.pk])

    for response in (client.get(checkout), client.post(checkout, {"place": "x"})):
        assert response.status_code == 403
        body = response.content.decode()
        assert "Réception" in body
        assert reverse("work:my_shifts", args=[shop.organisation.slug]) in body
    assert not Order.objects.exists()
    # the shop itself says so first
    response = client.get(reverse("orders:shop", args=[shop.organisation.slug]))
    assert response.status_code == 403
    assert reverse("work:my_shifts", args=[shop.organisation.slug]) in response.content.decode()


def test_a_suspended_member_is_refused_over_the_api(client, shop):
    member = shop.member()
    on_shifts(shop, member, -2)

    error = assert_error(
        api_for(client, member).post(orders_url(shop), order_body(shop, [("bread", 1)])),
        403,
        "shift_status_blocked",
    )

    assert set(error["detail"]) == {"status"}
    assert not Order.objects.exists()


def _place(member, shop):
    return services.order_place(
        user=member, sale=shop.sale, pickup_id=shop.open_pickup.pk, slot_id=None,
        lines=[(shop.products["bread"].pk, Decimal(1))],
    )  # fmt: skip


def test_up_to_date_or_in_alert_a_member_orders(shop):
    up_to_date, in_alert = shop.member(), shop.member()
    on_shifts(shop, up_to_date, 0)
    on_shifts(shop, in_alert, -1)

    _place(up_to_date, shop)
    _place(in_alert, shop)

    assert Order.objects.count() == 2


def test_suspended_after_the_alert_ran_out(shop):
    member = shop.member()
    membership = on_shifts(shop, member, -1)
    ShiftMember.objects.filter(membership=membership).update(
        negative_since=timezone.localdate() - timedelta(days=60)
    )

    with pytest.raises(errors.ShiftStatusBlocked):
        _place(member, shop)


def test_with_the_rule_off_a_suspended_member_orders(client, shop):
    WorkSettings.objects.filter(organisation=shop.organisation).update(shift_status_required=False)
    member = shop.member()
    on_shifts(shop, member, -5)

    response = api_for(client, member).post(orders_url(shop), order_body(shop, [("bread", 1)]))

    assert response.status_code == 201


def test_a_member_not_on_the_shifts_orders(shop):
    _place(shop.member(), shop)

    assert Order.objects.count() == 1


@pytest.mark.parametrize("read", ["catalog", "slots"])
def test_the_api_shop_reads_refuse_a_suspended_member_with_the_settings_read_with_the_sale(
    client, shop, read
):
    """The API reads the organisation's shift rules with the sale, in one query: the rule
    still holds, and no second read of the settings is made."""
    member = shop.member()
    on_shifts(shop, member, -2)
    api = api_for(client, member)
    path = f"/orgs/{shop.organisation.slug}/sales/{shop.sale.pk}/{read}"

    with CaptureQueriesContext(connection) as queries:
        assert_error(api.get(path), 403, "shift_status_blocked")

    settings_reads = [q for q in queries if 'FROM "work_worksettings"' in q["sql"]]
    assert settings_reads == []


def test_an_organisation_without_shift_rules_lets_its_members_read_the_shop_over_the_api(client):
    shop = open_shop(organisation=OrganisationFactory(kind="cooperative", members_only=True))
    assert not WorkSettings.objects.filter(organisation=shop.organisation).exists()

    response = api_for(client, shop.member()).get(
        f"/orgs/{shop.organisation.slug}/sales/{shop.sale.pk}/catalog"
    )

    assert response.status_code == 200
