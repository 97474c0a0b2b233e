"""An organisation in another time zone than the server's: every time a person reads (at
checkout, on the check-in page, in the order e-mail and its calendar event) is the
organisation's wall clock.

The organisation is in America/Cayenne (UTC−3 all year, no summer time); the server stays in
Europe/Paris (UTC+1 in December). Its pickup on Friday 4 December 2026 runs 17:00–18:00 in
Cayenne, i.e. 20:00–21:00 UTC and 21:00–22:00 in Paris: "17:00" must show, "21:00" never."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core import mail
from django.test import TestCase
from django.urls import reverse

from cabas.orders.models import Order
from cabas.orders.tests.factories import open_shop
from cabas.orgs.models import Membership
from cabas.orgs.tests.factories import MembershipFactory, OrganisationFactory
from cabas.sales import services as sales_services
from cabas.sales.models import SlotMode
from cabas.sales.tests.factories import PickupPointFactory

pytestmark = pytest.mark.django_db

CAYENNE = ZoneInfo("America/Cayenne")


@pytest.fixture
def cayenne():
    """An open sale of a Cayenne organisation with a pickup in two 30-minute slots."""
    assert settings.TIME_ZONE == "Europe/Paris"
    organisation = OrganisationFactory(slug="cabas-cayenne", timezone="America/Cayenne")
    shop = open_shop(organisation=organisation)
    pickup = sales_services.pickup_create(
        sale=shop.sale,
        pickup_point=PickupPointFactory(organisation=organisation, name="Marché de Cayenne"),
        starts_at=datetime(2026, 12, 4, 17, 0, tzinfo=CAYENNE),
        ends_at=datetime(2026, 12, 4, 18, 0, tzinfo=CAYENNE),
        slot_mode=SlotMode.SLOTS,
        slot_minutes=30,
        slot_capacity=5,
    )
    return shop, pickup


def _order_through_checkout(client, shop, pickup) -> Order:
    member = shop.member()
    client.force_login(member)
    client.post(
        reverse("orders:basket_set", args=[shop.organisation.slug, shop.sale.pk]),
        {"product": shop.products["bread"].pk, "quantity": "2"},
    )
    page = client.get(
        reverse("orders:checkout", args=[shop.organisation.slug, shop.sale.pk]),
        {"pickup": pickup.pk},  # the point first, then its slots
    )
    body = page.content.decode()
    # (a) The slot choices at checkout read on Cayenne's clock.
    assert "17:00" in body and "17:30" in body
    assert "21:00" not in body and "21:30" not in body and "20:00" not in body
    slot = pickup.slots.order_by("starts_at").first()
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(
            reverse("orders:checkout", args=[shop.organisation.slug, shop.sale.pk]),
            {"place": f"{pickup.pk}-{slot.pk}", "token": "0b7c4b9e-5c36-4f53-9d7e-4b1a2f0d9c11"},
        )
    return Order.objects.get(user=member)


def test_checkout_check_in_and_e_mail_show_the_organisations_wall_clock(client, cayenne):
    shop, pickup = cayenne
    assert pickup.slots.order_by("starts_at").first().starts_at == datetime(
        2026, 12, 4, 20, 0, tzinfo=ZoneInfo("UTC")
    )

    order = _order_through_checkout(client, shop, pickup)
    assert order.slot.starts_at.astimezone(CAYENNE).hour == 17

    # (c) The confirmation e-mail: its text, its HTML and its calendar event.
    (message,) = mail.outbox
    html = message.alternatives[0][0]
    for text in (message.body, html):
        assert "17:00–17:30" in text
        assert "21:00" not in text and "20:00" not in text
    name, calendar, _mimetype = message.attachments[0]
    calendar = calendar.decode() if isinstance(calendar, bytes) else calendar
    assert "DTSTART;TZID=America/Cayenne:20261204T170000" in calendar
    assert "DTEND;TZID=America/Cayenne:20261204T173000" in calendar
    assert "TZID:America/Cayenne" in calendar  # its VTIMEZONE

    # (b) The check-in page of the pickup, as a volunteer sees it.
    volunteer = MembershipFactory(
        organisation=shop.organisation, status=Membership.Status.ACTIVE, is_volunteer=True
    ).user
    client.force_login(volunteer)
    page = client.get(
        reverse("distribution:checkin_pickup", args=[shop.organisation.slug, pickup.pk])
    )
    body = page.content.decode()
    assert page.status_code == 200
    assert "17:00–18:00" in body  # the pickup's hours
    assert "17:00–17:30" in body  # the order's slot heading
    assert "21:00" not in body and "20:00" not in body


def test_the_server_time_zone_would_have_shown_paris_time():
    """The probe the test above guards: the same instant on the server's clock is 21:00."""
    instant = datetime(2026, 12, 4, 17, 0, tzinfo=CAYENNE)
    assert instant.astimezone(ZoneInfo(settings.TIME_ZONE)).strftime("%H:%M") == "21:00"
