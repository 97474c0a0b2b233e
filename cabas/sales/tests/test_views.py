"""The coordinator, member and producer screens: they render, refuse bad input with a clear
message and save nothing, and list pages run a constant number of queries."""

import re
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cabas.catalog.tests.factories import ProducerLinkFactory, ProductFactory
from cabas.sales import services
from cabas.sales.models import (
    ClosingPeriod,
    Drive,
    DriveHours,
    Pickup,
    PickupPoint,
    Sale,
    Schedule,
    Slot,
    SlotMode,
)
from cabas.sales.tests.booking import place_order
from cabas.sales.tests.factories import (
    ClosingPeriodFactory,
    PickupPointFactory,
    SaleFactory,
)


@pytest.fixture
def coordinator(client, world):
    client.force_login(world.users["coordinator"])
    return client


def url(name, world, **kwargs):
    return reverse(f"sales:{name}", kwargs={"slug": world.org_a.slug, **kwargs})


def local(world, moment):
    return timezone.localtime(moment, world.org_a.tzinfo)


def future_sale(world, **kwargs):
    now = timezone.now()
    return services.sale_create(
        organisation=world.org_a,
        title=kwargs.pop("title", "Vente du vendredi"),
        opens_at=now + timedelta(days=1),
        closes_at=now + timedelta(days=3),
        **kwargs,
    )


def add_pickup(sale, point=None, *, slot_capacity=4, day_offset=1):
    starts_at = sale.closes_at.replace(second=0, microsecond=0) + timedelta(days=day_offset)
    starts_at = starts_at.replace(minute=0)
    return services.pickup_create(
        sale=sale,
        pickup_point=point or PickupPointFactory(organisation=sale.organisation),
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=1),
        slot_mode=SlotMode.SLOTS,
        slot_minutes=15,
        slot_capacity=slot_capacity,
    )


def queries_for(client, address):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(address)
    assert response.status_code == 200
    return len(captured)


# --- Sales ----------------------------------------------------------------------------------


def test_coordinator_creates_a_sale_adds_a_pickup_and_schedules_it(coordinator, world):
    point = PickupPointFactory(organisation=world.org_a, name="Mirandol")
    in_a_week = timezone.localdate() + timedelta(days=7)

    response = coordinator.post(
        url("sale_create", world),
        {
            "title": "Vente de Noël",
            "opens_at": f"{in_a_week - timedelta(days=5):%Y-%m-%d}T08:00",
            "closes_at": f"{in_a_week - timedelta(days=2):%Y-%m-%d}T20:00",
            "minimum_order_amount": "10",
            "note_to_members": "Commandez tôt !",
        },
    )
    sale = Sale.objects.get(title="Vente de Noël")
    assert response.status_code == 302
    assert response["Location"] == url("sale_detail", world, sale_id=sale.pk)
    assert local(world, sale.closes_at).strftime("%Y-%m-%d %H:%M") == (
        f"{in_a_week - timedelta(days=2):%Y-%m-%d} 20:00"
    )
    assert (sale.status, sale.minimum_order_amount) == ("draft", Decimal("10"))

    response = coordinator.post(
        url("pickup_create", world, sale_id=sale.pk),
        {
            "pickup_point": point.pk,
            "day": f"{in_a_week:%Y-%m-%d}",
            "starts_time": "17:00",
            "ends_time": "19:00",
            "slot_mode": "slots",
            "slot_minutes": "15",
            "slot_capacity": "5",
        },
    )
    pickup = Pickup.objects.get(sale=sale)
    assert response["Location"] == url("pickup_detail", world, pickup_id=pickup.pk)
    assert pickup.slots.count() == 8
    assert local(world, pickup.starts_at).strftime("%H:%M") == "17:00"

    response = coordinator.post(url("sale_status", world, sale_id=sale.pk), {"action": "schedule"})
    sale.refresh_from_db()
    assert sale.status == "scheduled"

    page = coordinator.get(url("sale_detail", world, sale_id=sale.pk)).content.decode()
    assert "Mirandol" in page
    assert "8 créneaux de 15 min, 5 commandes chacun" in page  # French is the default language


def test_closes_before_opens_is_shown_and_nothing_saved(coordinator, world):
    response = coordinator.post(
        url("sale_create", world),
        {
            "title": "À l'envers",
            "opens_at": "2031-05-10T08:00",
            "closes_at": "2031-05-08T20:00",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "closes_at": ["La vente doit fermer après son ouverture."]
    }
    assert Sale.objects.count() == 0


def test_pickup_bad_input_is_shown_and_nothing_saved(coordinator, world):
    sale = future_sale(world)
    point = PickupPointFactory(organisation=world.org_a)
    day = local(world, sale.closes_at).date() + timedelta(days=1)
    base = {
        "pickup_point": point.pk,
        "day": f"{day:%Y-%m-%d}",
        "starts_time": "17:00",
        "ends_time": "19:00",
        "slot_mode": "slots",
        "slot_minutes": "15",
        "slot_capacity": "5",
    }
    cases = [
        ({"slot_minutes": "25"}, "slot_minutes"),
        ({"slot_capacity": "0"}, "slot_capacity"),
        ({"slot_mode": "capacity", "capacity": "-1"}, "capacity"),
        ({"ends_time": "16:00"}, "ends_time"),
        ({"day": f"{day - timedelta(days=3):%Y-%m-%d}"}, "starts_time"),
    ]
    for change, field in cases:
        response = coordinator.post(url("pickup_create", world, sale_id=sale.pk), base | change)
        assert response.status_code == 200, change
        assert list(response.context["form"].errors) == [field], change
    assert Pickup.objects.count() == 0
    assert Slot.objects.count() == 0


def test_editing_dates_of_a_closed_sale_is_refused(coordinator, world):
    sale = future_sale(world)
    add_pickup(sale)
    services.sale_open_now(sale=sale)
    services.sale_close_now(sale=sale)
    sale.refresh_from_db()
    closes_at = sale.closes_at

    response = coordinator.get(url("sale_edit", world, sale_id=sale.pk))
    assert response.context["form"].fields["closes_at"].disabled is True
    response = coordinator.post(
        url("sale_edit", world, sale_id=sale.pk),
        {
            "title": "Nouveau titre",
            "opens_at": "2031-05-01T08:00",
            "closes_at": "2031-05-08T20:00",
        },
    )
    sale.refresh_from_db()
    # The disabled fields keep their values: only the title changed.
    assert response.status_code == 302, response.context["form"].errors
    assert (sale.title, sale.closes_at) == ("Nouveau titre", closes_at)


def test_sale_list_shows_status_and_order_counts_with_constant_queries(
    coordinator, world, django_assert_max_num_queries
):
    sale = future_sale(world, title="Vente A")
    pickup = add_pickup(sale)
    services.sale_open_now(sale=sale)
    for slot in pickup.slots.all()[:3]:
        place_order(sale, pickup=pickup, slot=slot)
    few = queries_for(coordinator, url("sale_list", world))
    for n in range(5):
        add_pickup(future_sale(world, title=f"Vente {n}"), day_offset=2 + n)
    SaleFactory(organisation=world.org_b, title="Vente de B")

    with django_assert_max_num_queries(few):
        response = coordinator.get(url("sale_list", world))

    rows = {sale.title: (sale.status, sale.order_count) for sale in response.context["sales"]}
    assert rows["Vente A"] == ("open", 3)
    assert len(rows) == 6
    assert "Vente de B" not in response.content.decode()


def test_sale_detail_and_offer_have_constant_queries(
    coordinator, world, django_assert_max_num_queries
):
    sale = future_sale(world)
    add_pickup(sale)
    ProductFactory(organisation=world.org_a, producer=world.producer)
    services.sale_items_sync(sale=sale)
    detail = queries_for(coordinator, url("sale_detail", world, sale_id=sale.pk))
    offer = queries_for(coordinator, url("sale_offer", world, sale_id=sale.pk))
    for n in range(4):
        add_pickup(sale, day_offset=2 + n)
        link = ProducerLinkFactory(organisation=world.org_a)
        ProductFactory.create_batch(3, organisation=world.org_a, producer=link.producer)
    services.sale_items_sync(sale=sale)

    with django_assert_max_num_queries(detail):
        coordinator.get(url("sale_detail", world, sale_id=sale.pk))
    with django_assert_max_num_queries(offer):
        response = coordinator.get(url("sale_offer", world, sale_id=sale.pk))
    assert len(response.context["items"]) == 13


def test_offer_changes(coordinator, world):
    sale = future_sale(world)
    product = ProductFactory(organisation=world.org_a, producer=world.producer, name="Tomme")
    services.sale_items_sync(sale=sale)
    item = sale.items.get(product=product)
    address = url("sale_offer", world, sale_id=sale.pk)

    coordinator.post(address, {"action": "quantity", "item": item.pk, "quantity_available": "8"})
    coordinator.post(address, {"action": "exclude_item", "item": item.pk})
    item.refresh_from_db()
    assert (item.quantity_available, item.is_excluded) == (Decimal("8"), True)

    coordinator.post(address, {"action": "exclude_producer", "producer": world.producer.pk})
    assert list(sale.excluded_producers.all()) == [world.producer]

    response = coordinator.post(
        address, {"action": "quantity", "item": item.pk, "quantity_available": "-2"}
    )
    item.refresh_from_db()
    assert item.quantity_available == Decimal("8")
    assert response.status_code == 302

    other_item = future_sale(world, title="Autre vente").items.get()
    response = coordinator.post(address, {"action": "exclude_item", "item": other_item.pk})
    assert response.status_code == 404


# --- Pickups and slots ----------------------------------------------------------------------


def test_slot_editor_shows_occupancy_and_refuses_capacity_below_booked(
    coordinator, world, django_assert_max_num_queries
):
    sale = future_sale(world)
    pickup = add_pickup(sale, slot_capacity=2)
    services.sale_open_now(sale=sale)
    slot = pickup.slots.order_by("starts_at").first()
    place_order(sale, pickup=pickup, slot=slot)
    place_order(sale, pickup=pickup, slot=slot)

    with django_assert_max_num_queries(
        queries_for(coordinator, url("pickup_detail", world, pickup_id=pickup.pk))
    ):
        page = coordinator.get(url("pickup_detail", world, pickup_id=pickup.pk))
    assert f'data-slot-booked="{slot.pk}">2<' in page.content.decode()

    occupancy = coordinator.get(url("pickup_occupancy", world, pickup_id=pickup.pk)).json()
    assert occupancy["booked"] == 2
    assert occupancy["slots"][0] == {
        "id": slot.pk,
        "booked": 2,
        "capacity": 2,
        "is_open": True,
    }
    assert len(occupancy["slots"]) == 4

    response = coordinator.post(
        url("slot_update", world, slot_id=slot.pk),
        {"action": "capacity", "capacity": "1"},
        follow=True,
    )
    slot.refresh_from_db()
    assert slot.capacity == 2
    assert [str(m) for m in response.context["messages"]] == [
        "2 commandes sont déjà réservées : la capacité ne peut pas être inférieure à 2."
    ]

    coordinator.post(
        url("slot_update", world, slot_id=slot.pk), {"action": "capacity", "capacity": "6"}
    )
    coordinator.post(url("slot_update", world, slot_id=slot.pk), {"action": "close"})
    slot.refresh_from_db()
    assert (slot.capacity, slot.is_open) == (6, False)


def test_a_pickup_with_bookings_cannot_be_deleted_from_the_screen(coordinator, world):
    sale = future_sale(world)
    pickup = add_pickup(sale)
    services.sale_open_now(sale=sale)
    place_order(sale, pickup=pickup, slot=pickup.slots.first())

    response = coordinator.post(url("pickup_delete", world, pickup_id=pickup.pk))

    assert response["Location"] == url("pickup_detail", world, pickup_id=pickup.pk)
    assert Pickup.objects.filter(pk=pickup.pk).exists()


def test_add_a_slot_from_the_screen(coordinator, world):
    sale = future_sale(world)
    pickup = add_pickup(sale)
    Slot.objects.filter(pickup=pickup, starts_at=pickup.starts_at).delete()
    start = local(world, pickup.starts_at).strftime("%H:%M")

    coordinator.post(
        url("slot_create", world, pickup_id=pickup.pk), {"starts_time": start, "capacity": "9"}
    )

    assert pickup.slots.get(starts_at=pickup.starts_at).capacity == 9


def test_another_organisations_objects_are_not_found(coordinator, world):
    foreign_sale = SaleFactory(organisation=world.org_b)
    foreign_pickup = add_pickup(foreign_sale)
    foreign_point = foreign_pickup.pickup_point
    for address in (
        url("sale_detail", world, sale_id=foreign_sale.pk),
        url("pickup_detail", world, pickup_id=foreign_pickup.pk),
        url("pickup_point_edit", world, point_id=foreign_point.pk),
    ):
        assert coordinator.get(address).status_code == 404
    response = coordinator.post(
        url("slot_update", world, slot_id=foreign_pickup.slots.first().pk), {"capacity": "1"}
    )
    assert response.status_code == 404
    assert foreign_pickup.slots.first().capacity == 4


# --- Pickup points and the map --------------------------------------------------------------


def test_pickup_point_crud(coordinator, world):
    response = coordinator.post(
        url("pickup_point_create", world),
        {
            "name": "Ferme du Ségala",
            "address": "Lieu-dit La Borie",
            "town": "Jouqueviel",
            "latitude": "44.1871",
            "longitude": "2.1702",
            "access_instructions": "Au coffre, parking de la mairie",
            "is_active": "on",
        },
    )
    point = PickupPoint.objects.get(organisation=world.org_a, name="Ferme du Ségala")
    assert response["Location"] == url("pickup_point_list", world)
    assert point.latitude == Decimal("44.187100")

    response = coordinator.post(
        url("pickup_point_edit", world, point_id=point.pk),
        {"name": "Ferme du Ségala", "address": "x", "latitude": "44.1"},
    )
    assert response.status_code == 200
    point.refresh_from_db()
    assert point.address == "Lieu-dit La Borie"


def test_public_page_lists_active_points_under_the_map_with_constant_queries(
    client, world, django_assert_max_num_queries
):
    PickupPointFactory(
        organisation=world.org_a, name="Mirandol", latitude="44.14", longitude="2.17"
    )
    few = queries_for(client, url("pickup_points_public", world))
    PickupPointFactory.create_batch(5, organisation=world.org_a, latitude="44.1", longitude="2.1")
    PickupPointFactory(organisation=world.org_a, name="Sans coordonnées")
    PickupPointFactory(organisation=world.org_a, name="Fermé", is_active=False)
    PickupPointFactory(organisation=world.org_b, name="Chez B")

    with django_assert_max_num_queries(few):
        response = client.get(url("pickup_points_public", world))

    page = response.content.decode()
    assert page.index('id="pickup-map"') < page.index("Mirandol")
    assert "Sans coordonnées" in page
    assert "Fermé" not in page and "Chez B" not in page
    assert len(response.context["map_points"]) == 6
    assert "vendor/leaflet/leaflet.js" in page
    assert "unpkg" not in page and "cdn" not in page.lower()


def test_pickup_point_admin_list_has_constant_queries(
    coordinator, world, django_assert_max_num_queries
):
    PickupPointFactory(organisation=world.org_a)
    few = queries_for(coordinator, url("pickup_point_list", world))
    PickupPointFactory.create_batch(6, organisation=world.org_a)
    with django_assert_max_num_queries(few):
        coordinator.get(url("pickup_point_list", world))


# --- Schedules, closing days, drive, settings -----------------------------------------------


# long: the editor's whole form posted once (a schedule and its pickups), then its effects
def test_schedule_editor_creates_the_rule_and_its_sales(
    coordinator, world, django_assert_max_num_queries
):
    point = PickupPointFactory(organisation=world.org_a)
    data = {
        "name": "Vente du vendredi",
        "is_active": "on",
        "every_n_weeks": "1",
        "first_week": f"{timezone.localdate():%Y-%m-%d}",
        "opens_days_before": "7",
        "opens_time": "08:00",
        "closes_days_before": "2",
        "closes_time": "23:59",
        "weeks_ahead": "3",
        "pickups-TOTAL_FORMS": "1",
        "pickups-INITIAL_FORMS": "0",
        "pickups-0-pickup_point": point.pk,
        "pickups-0-weekday": "4",
        "pickups-0-starts_time": "17:00",
        "pickups-0-ends_time": "19:00",
        "pickups-0-slot_mode": "slots",
        "pickups-0-slot_minutes": "15",
        "pickups-0-slot_capacity": "5",
    }
    response = coordinator.post(url("schedule_create", world), data)
    assert response.status_code == 302
    schedule = Schedule.objects.get(organisation=world.org_a)
    assert schedule.sales.count() in (2, 3)  # this week's sale may be past its cutoff

    few = queries_for(coordinator, url("schedule_list", world))
    for n in range(3):
        services.schedule_create(
            organisation=world.org_a,
            name=f"Planning {n}",
            first_week=timezone.localdate(),
            weeks_ahead=1,
            pickups=[
                services.SchedulePickupSpec(
                    pickup_point=PickupPointFactory(organisation=world.org_a),
                    weekday=n,
                    starts_time=time(9),
                    ends_time=time(10),
                )
            ],
        )
    with django_assert_max_num_queries(few):
        coordinator.get(url("schedule_list", world))

    edit = coordinator.get(url("schedule_edit", world, schedule_id=schedule.pk))
    assert edit.context["formset"].initial[0]["weekday"] == 4

    # Saving the edit page with its pickup line untouched keeps the pickup.
    unchanged = data | {
        "name": "Vente du vendredi soir",
        "pickups-TOTAL_FORMS": "2",
        "pickups-INITIAL_FORMS": "1",
        # What a browser sends for the untouched empty line (its selects and defaults).
        "pickups-1-pickup_point": "",
        "pickups-1-weekday": "",
        "pickups-1-slot_mode": "slots",
        "pickups-1-slot_minutes": "15",
        "pickups-1-slot_capacity": "5",
    }
    response = coordinator.post(url("schedule_edit", world, schedule_id=schedule.pk), unchanged)
    assert response.status_code == 302, (
        response.context["form"].errors,
        response.context["formset"].errors,
        response.context["formset"].non_form_errors(),
        [str(m) for m in response.context["messages"]],
    )
    schedule.refresh_from_db()
    assert schedule.name == "Vente du vendredi soir"
    assert [(p.pickup_point, p.weekday) for p in schedule.pickups.all()] == [(point, 4)]

    removed = unchanged | {"pickups-0-DELETE": "on"}
    response = coordinator.post(url("schedule_edit", world, schedule_id=schedule.pk), removed)
    assert response.status_code == 200
    assert schedule.pickups.count() == 1

    bad = data | {"pickups-0-slot_minutes": "25"}
    response = coordinator.post(url("schedule_create", world), bad | {"name": "Mauvais"})
    assert response.status_code == 200
    assert not Schedule.objects.filter(name="Mauvais").exists()


def test_closing_days_screen(coordinator, world):
    response = coordinator.post(
        url("closing_days", world),
        {"first_day": "2031-08-01", "last_day": "2031-07-15", "reason": "Été"},
    )
    assert response.status_code == 200
    assert ClosingPeriod.objects.count() == 0

    coordinator.post(
        url("closing_days", world),
        {"first_day": "2031-07-15", "last_day": "2031-08-01", "reason": "Été"},
    )
    period = ClosingPeriod.objects.get()
    coordinator.post(url("closing_day_delete", world, period_id=period.pk))
    assert ClosingPeriod.objects.count() == 0
    ClosingPeriodFactory(organisation=world.org_b)
    assert coordinator.get(url("closing_days", world)).context["periods"] == []


def test_drive_screen_saves_hours_and_settings_all_or_nothing(coordinator, world):
    shop = PickupPointFactory(organisation=world.org_a, name="L'Épicerie")
    data = {
        "is_active": "on",
        "name": "Drive",
        "pickup_point": shop.pk,
        "slot_minutes": "15",
        "slot_capacity": "5",
        "lead_time_minutes": "120",
        "days_ahead": "7",
        "hours_3": "15:45-18:15, 18:30-21:00",
        "hours_4": "15h45-18h15, 18h30-21h00",
        "hours_5": "10:15-12:45, 13:00-15:30",
    }
    response = coordinator.post(url("drive", world), data)
    assert response.status_code == 302
    assert DriveHours.objects.filter(organisation=world.org_a).count() == 6
    assert Drive.objects.get(organisation=world.org_a).slot_capacity == 5
    assert Sale.objects.filter(organisation=world.org_a, kind="drive").count() >= 2

    page = coordinator.get(url("drive", world))
    assert page.context["form"].initial["hours_3"] == "15:45-18:15, 18:30-21:00"

    bad = data | {"hours_0": "09:00-10:10", "slot_capacity": "5"}
    response = coordinator.post(url("drive", world), bad)
    assert response.status_code == 200
    assert response.context["form"].errors["slot_minutes"]
    assert DriveHours.objects.filter(organisation=world.org_a, weekday=0).count() == 0

    response = coordinator.post(url("drive", world), data | {"hours_1": "n'importe quoi"})
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["hours_1"]


def test_sales_settings_screen(coordinator, world):
    coordinator.post(url("sales_settings", world), {"minimum_order_amount": "12.50"})
    sale = SaleFactory(organisation=world.org_a)
    from cabas.sales import selectors

    assert selectors.sale_minimum_order_amount(sale=sale) == Decimal("12.50")
    response = coordinator.post(url("sales_settings", world), {"minimum_order_amount": "-1"})
    assert response.status_code == 200
    assert selectors.sale_minimum_order_amount(sale=sale) == Decimal("12.50")


# --- Members and producers ------------------------------------------------------------------


def test_members_see_bookable_slots_with_constant_queries(
    client, world, django_assert_max_num_queries
):
    client.force_login(world.users["member"])
    sale = future_sale(world)
    add_pickup(sale)
    services.sale_open_now(sale=sale)
    few = queries_for(client, url("member_slots", world))
    for n in range(3):
        add_pickup(sale, day_offset=2 + n)
    whole = services.pickup_create(
        sale=sale,
        pickup_point=PickupPointFactory(organisation=world.org_a, name="Grange"),
        starts_at=sale.closes_at + timedelta(days=9),
        ends_at=sale.closes_at + timedelta(days=9, hours=2),
        slot_mode=SlotMode.CAPACITY,
        capacity=10,
    )

    with django_assert_max_num_queries(few + 1):
        response = client.get(url("member_slots", world))

    assert len(response.context["slots"]) == 16
    assert response.context["pickups"] == [whole]


def test_producer_marks_own_product_unavailable_but_not_others(client, world):
    sale = future_sale(world)
    own = ProductFactory(organisation=world.org_a, producer=world.producer, name="Tomme")
    other_link = ProducerLinkFactory(organisation=world.org_a)
    other = ProductFactory(organisation=world.org_a, producer=other_link.producer, name="Miel")
    services.sale_items_sync(sale=sale)
    client.force_login(world.users["producer"])

    response = client.get(url("producer_sales", world))
    assert [s.pk for s in response.context["sales"]] == [sale.pk]
    page = client.get(url("producer_sale", world, sale_id=sale.pk))
    assert [i.product.name for i in page.context["items"]] == ["Tomme"]

    address = url("producer_sale", world, sale_id=sale.pk)
    client.post(address, {"item": sale.items.get(product=own).pk, "unavailable": "1"})
    response = client.post(address, {"item": sale.items.get(product=other).pk, "unavailable": "1"})

    assert response.status_code == 403
    assert sale.items.get(product=own).is_unavailable is True
    assert sale.items.get(product=other).is_unavailable is False


def test_producer_list_has_constant_queries(client, world, django_assert_max_num_queries):
    client.force_login(world.users["producer"])
    ProductFactory(organisation=world.org_a, producer=world.producer)
    other = ProducerLinkFactory(organisation=world.org_a).producer
    ProductFactory.create_batch(2, organisation=world.org_a, producer=other)
    future_sale(world)
    few = queries_for(client, url("producer_sales", world))
    for n in range(4):
        future_sale(world, title=f"Vente {n}")
    with django_assert_max_num_queries(few):
        response = client.get(url("producer_sales", world))
    assert len(response.context["sales"]) == 5
    assert {(s.item_count, s.unavailable_count) for s in response.context["sales"]} == {(1, 0)}


def test_times_are_shown_in_the_organisations_timezone(coordinator, world):
    world.org_a.timezone = "America/Martinique"
    world.org_a.save()
    sale = services.sale_create(
        organisation=world.org_a,
        title="Vente",
        opens_at=datetime(2031, 3, 1, 12, 0, tzinfo=UTC),
        closes_at=datetime(2031, 3, 3, 12, 0, tzinfo=UTC),
    )
    page = coordinator.get(url("sale_detail", world, sale_id=sale.pk)).content.decode()
    assert "08:00" in page  # 12:00 UTC is 08:00 in Martinique


def test_dates_in_the_sale_list_use_french_short_months(coordinator, world):
    """Opening 3 December, closing 5 December (the clock's 2 December + 1 and 3 days): the
    abbreviated month reads "déc." in the middle of a date, not "Déc"."""
    add_pickup(future_sale(world, title="Vente A"))

    page = coordinator.get(url("sale_list", world), headers={"accept-language": "fr"})

    body = page.content.decode()
    assert "jeu 3 déc., 10:00" in body and "sam 5 déc., 10:00" in body
    assert "Décembre 2026" in body  # a heading starts with a capital
    assert re.search(r"\bDéc\b", body) is None
