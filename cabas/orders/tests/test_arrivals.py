"""Car-boot pickup: "I have arrived" is offered only where the point does it, and taken only
on the pickup's day, from CAR_BOOT_ARRIVAL_MINUTES_BEFORE before the slot until the pickup
ends; otherwise the member reads why and nothing changes. One rule (``arrival_refusal``)
for the service, the order page, the arrival page and the e-mail."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.test import TestCase
from django.urls import reverse

from cabas.orders import errors, services
from cabas.orders.models import Order, OrderEvent
from cabas.orders.tests.factories import distribution_day, open_shop
from cabas.sales.models import PickupPoint

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def day():
    """The shop's slotted pickup (Friday 4 December, 10:00–11:00, slots of 15 minutes) at a
    point that does car-boot pickup; order 1 is in the 10:15 slot."""
    day = distribution_day()
    PickupPoint.objects.filter(pk=day.pickup.pickup_point_id).update(car_boot_pickup=True)
    day.order = Order.objects.get(pk=day.orders[1].pk)
    return day


def at(day, hour, minute, days=0):
    start = day.pickup.starts_at  # 10:00 on the organisation's clock
    return start + timedelta(days=days, hours=hour - 10, minutes=minute)


def arrived(order) -> bool:
    return Order.objects.get(pk=order.pk).arrived_at is not None


def test_two_days_early_is_refused_with_the_day_and_time_it_opens(day):
    with pytest.raises(errors.ArrivalTooEarly) as refused:
        services.order_arrive(order=day.order, note="Clio rouge")  # the clock: Wednesday

    assert str(refused.value) == (
        "Vous pourrez signaler votre arrivée le vendredi 4 décembre à partir de 09:15."
    )
    assert not arrived(day.order)
    assert not OrderEvent.objects.filter(kind="arrived").exists()


@pytest.mark.parametrize(
    ("when", "accepted"),
    [
        ((9, 14), False),  # a minute before the hour before the slot
        ((9, 15), True),  # an hour before the 10:15 slot
        ((10, 59), True),  # the last minute of the pickup
        ((11, 0), False),  # the pickup has ended
    ],
)
def test_the_window_runs_from_an_hour_before_the_slot_until_the_pickup_ends(day, when, accepted):
    now = at(day, *when)
    assert (services.arrival_refusal(day.order, now) is None) is accepted
    if accepted:
        services.order_arrive(order=day.order, note="Clio rouge", now=now)
        order = Order.objects.get(pk=day.order.pk)
        assert (order.arrived_at, order.arrival_note) == (now, "Clio rouge")
    else:
        with pytest.raises(errors.NotArrivedYet):
            services.order_arrive(order=day.order, now=now)
        assert not arrived(day.order)


def test_after_the_pickup_the_member_reads_that_it_is_over(day):
    with pytest.raises(errors.ArrivalTooLate) as refused:
        services.order_arrive(order=day.order, now=at(day, 11, 0))
    assert str(refused.value) == (
        "Le retrait est terminé : vous ne pouvez plus signaler votre arrivée."
    )


def test_the_window_never_starts_the_day_before(day, settings):
    settings.CAR_BOOT_ARRIVAL_MINUTES_BEFORE = 24 * 60
    day.order.pickup.refresh_from_db()

    assert services.arrival_refusal(day.order, at(day, 23, 0, days=-1)) is not None
    assert services.arrival_refusal(day.order, at(day, 0, 0)) is None


def test_the_minutes_before_the_slot_are_a_setting(day, settings):
    settings.CAR_BOOT_ARRIVAL_MINUTES_BEFORE = 15
    assert services.arrival_refusal(day.order, at(day, 9, 59)) is not None
    assert services.arrival_refusal(day.order, at(day, 10, 0)) is None


def test_a_point_without_car_boot_pickup_refuses_even_on_the_day(day):
    PickupPoint.objects.filter(pk=day.pickup.pickup_point_id).update(car_boot_pickup=False)
    order = Order.objects.get(pk=day.order.pk)

    with pytest.raises(errors.ArrivalNotOffered) as refused:
        services.order_arrive(order=order, now=at(day, 10, 15))

    assert str(refused.value) == "Ce point de retrait ne propose pas le retrait depuis la voiture."
    assert not arrived(order)


def test_a_collected_order_cannot_arrive(day):
    services.order_set_status(order=day.order, status="collected", by=day.volunteer)
    with pytest.raises(errors.NotArrivedYet):
        services.order_arrive(order=day.order, now=at(day, 10, 15))


def order_page(client, day, order):
    client.force_login(order.user)
    url = reverse("orders:order", args=[day.organisation.slug, order.code])
    return client.get(url).content.decode()


ARRIVAL_LINK = "Je suis arrivé·e (retrait depuis la voiture)"


def test_the_order_page_offers_the_link_only_at_a_car_boot_point(client, day, clock):
    page = order_page(client, day, day.order)
    assert ARRIVAL_LINK in page
    # Two days early, the page says from when.
    assert "Vous pourrez signaler votre arrivée le vendredi 4 décembre à partir de 09:15." in page

    clock.move_to(at(day, 9, 30))
    page = order_page(client, day, day.order)
    assert ARRIVAL_LINK in page and "Vous pourrez signaler" not in page

    other = Order.objects.get(pk=day.orders[0].pk)
    PickupPoint.objects.filter(pk=day.pickup.pickup_point_id).update(car_boot_pickup=False)
    assert ARRIVAL_LINK not in order_page(client, day, other)


def test_a_counter_pickup_never_shows_the_link(client):
    shop = open_shop()  # its points do not do car-boot pickup (the default)
    order = services.order_place(user=shop.member(), sale=shop.sale,
                                 pickup_id=shop.open_pickup.pk, slot_id=None,
                                 lines=[(shop.products["bread"].pk, D(1))])  # fmt: skip
    client.force_login(order.user)

    page = client.get(reverse("orders:order", args=[shop.organisation.slug, order.code]))

    assert ARRIVAL_LINK not in page.content.decode()


def test_the_arrival_page_says_why_not_and_the_post_changes_nothing(client, day):
    url = reverse("orders:order_arrived", args=[day.organisation.slug, day.order.code])

    page = client.get(url).content.decode()
    assert "à partir de 09:15" in page
    assert 'name="note"' not in page  # no form to send

    response = client.post(url, {"note": "Clio rouge"}, follow=True)
    assert "Vous pourrez signaler votre arrivée le vendredi 4 décembre" in (
        response.content.decode()
    )
    assert not arrived(day.order)


def test_the_arrival_link_works_without_logging_in_on_the_day(client, day, clock):
    clock.move_to(at(day, 10, 5))
    url = reverse("orders:order_arrived", args=[day.organisation.slug, day.order.code])
    assert 'name="note"' in client.get(url).content.decode()

    client.post(url, {"note": "Devant la mairie"})

    order = Order.objects.get(pk=day.order.pk)
    assert order.arrived_at is not None and order.arrival_note == "Devant la mairie"


def test_the_e_mail_gives_the_arrival_link_only_at_a_car_boot_point(day):
    shop = open_shop()
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.order_place(user=shop.member(), sale=shop.sale, pickup_id=shop.open_pickup.pk,
                             slot_id=None, lines=[(shop.products["bread"].pk, D(1))])  # fmt: skip
    assert "/arrived/" not in mail.outbox[-1].body

    PickupPoint.objects.filter(pk=shop.open_pickup.pickup_point_id).update(car_boot_pickup=True)
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.order_place(user=shop.member(), sale=shop.sale, pickup_id=shop.open_pickup.pk,
                             slot_id=None, lines=[(shop.products["bread"].pk, D(1))])  # fmt: skip
    assert "/arrived/" in mail.outbox[-1].body


def test_the_coordinator_form_sets_car_boot_pickup(client, day):
    from cabas.orgs.models import Membership

    coordinator = day.member()
    Membership.objects.filter(user=coordinator).update(is_coordinator=True)
    client.force_login(coordinator)
    point = PickupPoint.objects.get(pk=day.open_pickup.pickup_point_id)
    url = reverse("sales:pickup_point_edit", args=[day.organisation.slug, point.pk])
    assert "Retrait depuis la voiture" in client.get(url).content.decode()

    client.post(url, {"name": point.name, "address": point.address, "is_active": "on",
                      "car_boot_pickup": "on"})  # fmt: skip

    assert PickupPoint.objects.get(pk=point.pk).car_boot_pickup is True


def test_the_window_is_on_the_organisations_clock(day, settings):
    day.organisation.timezone = "America/Cayenne"  # 4 hours behind Paris in December
    day.organisation.save(update_fields=["timezone"])
    order = Order.objects.get(pk=day.order.pk)

    with pytest.raises(errors.ArrivalTooEarly) as refused:
        services.order_arrive(order=order)
    assert "le vendredi 4 décembre à partir de 05:15" in str(refused.value)

    settings.CAR_BOOT_ARRIVAL_MINUTES_BEFORE = 24 * 60
    # Midnight in Cayenne is 04:00 in Paris: the day there starts then.
    assert services.arrival_refusal(order, at(day, 3, 59)) is not None
    assert services.arrival_refusal(order, at(day, 4, 0)) is None
