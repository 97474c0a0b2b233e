"""The sales app's URL patterns in the permission matrix (cabas/orgs/tests)."""

from datetime import timedelta

from cabas.core.tests.matrix import LOGIN, Row, slug_a, statuses

ANYONE = statuses(200, 200, 200, 200, 200, 200)
MEMBERS = statuses(LOGIN, 200, 200, 200, 200, 404)
PRODUCERS = statuses(LOGIN, 403, 200, 403, 200, 404)
COORDINATORS = statuses(LOGIN, 403, 403, 403, 200, 404)
COORDINATORS_POST = statuses(LOGIN, 403, 403, 403, 302, 404)


def _sale(world):
    from cabas.sales.tests.factories import SaleFactory

    return SaleFactory(organisation=world.org_a)


def _pickup(world):
    from cabas.sales import services
    from cabas.sales.models import SlotMode
    from cabas.sales.tests.factories import PickupPointFactory

    sale = _sale(world)
    starts_at = sale.closes_at + timedelta(days=1)
    return services.pickup_create(
        sale=sale,
        pickup_point=PickupPointFactory(organisation=world.org_a),
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=1),
        slot_mode=SlotMode.SLOTS,
        slot_minutes=15,
        slot_capacity=3,
    )


def sale_a(world):
    return {"slug": world.org_a.slug, "sale_id": _sale(world).pk}


def pickup_a(world):
    return {"slug": world.org_a.slug, "pickup_id": _pickup(world).pk}


def slot_a(world):
    return {"slug": world.org_a.slug, "slot_id": _pickup(world).slots.first().pk}


def point_a(world):
    from cabas.sales.tests.factories import PickupPointFactory

    return {"slug": world.org_a.slug, "point_id": PickupPointFactory(organisation=world.org_a).pk}


def schedule_a(world):
    from datetime import time

    from django.utils import timezone

    from cabas.sales import services
    from cabas.sales.tests.factories import PickupPointFactory

    schedule = services.schedule_create(
        organisation=world.org_a,
        name="Vente du vendredi",
        first_week=timezone.localdate(),
        weeks_ahead=1,
        pickups=[
            services.SchedulePickupSpec(
                pickup_point=PickupPointFactory(organisation=world.org_a),
                weekday=4,
                starts_time=time(17),
                ends_time=time(19),
            )
        ],
    )
    return {"slug": world.org_a.slug, "schedule_id": schedule.pk}


def closing_period_a(world):
    from cabas.sales.tests.factories import ClosingPeriodFactory

    return {
        "slug": world.org_a.slug,
        "period_id": ClosingPeriodFactory(organisation=world.org_a).pk,
    }


def import_done_a(world):
    from cabas.catalog.tests.factories import ProductImportFactory

    product_import = ProductImportFactory(organisation=world.org_a, status="done")
    return {"slug": world.org_a.slug, "import_id": product_import.pk}


ROWS = {
    "sales:pickup_points_public": Row(ANYONE, kwargs=slug_a),
    "sales:member_slots": Row(MEMBERS, kwargs=slug_a),
    "sales:producer_sales": Row(PRODUCERS, kwargs=slug_a),
    # A coordinator without a producer of their own is sent to the sale's whole offer.
    "sales:producer_sale": Row(statuses(LOGIN, 403, 200, 403, 302, 404), kwargs=sale_a),
    "sales:sale_list": Row(COORDINATORS, kwargs=slug_a),
    "sales:sale_create": Row(COORDINATORS, kwargs=slug_a),
    "sales:sales_settings": Row(COORDINATORS, kwargs=slug_a),
    "sales:sale_detail": Row(COORDINATORS, kwargs=sale_a),
    "sales:sale_edit": Row(COORDINATORS, kwargs=sale_a),
    "sales:sale_status": Row(
        COORDINATORS_POST, kwargs=sale_a, method="post", data=lambda world: {"action": "schedule"}
    ),
    "sales:sale_delete": Row(COORDINATORS_POST, kwargs=sale_a, method="post"),
    "sales:sale_offer": Row(COORDINATORS, kwargs=sale_a),
    "sales:import_offer": Row(COORDINATORS, kwargs=import_done_a),
    "sales:pickup_create": Row(COORDINATORS, kwargs=sale_a),
    "sales:pickup_detail": Row(COORDINATORS, kwargs=pickup_a),
    "sales:pickup_occupancy": Row(COORDINATORS, kwargs=pickup_a),
    "sales:pickup_edit": Row(COORDINATORS, kwargs=pickup_a),
    "sales:pickup_delete": Row(COORDINATORS_POST, kwargs=pickup_a, method="post"),
    "sales:slot_create": Row(
        COORDINATORS_POST,
        kwargs=pickup_a,
        method="post",
        data=lambda world: {"starts_time": "23:00", "capacity": "2"},
    ),
    "sales:slot_update": Row(
        COORDINATORS_POST, kwargs=slot_a, method="post", data=lambda world: {"capacity": "5"}
    ),
    "sales:pickup_point_list": Row(COORDINATORS, kwargs=slug_a),
    "sales:pickup_point_create": Row(COORDINATORS, kwargs=slug_a),
    "sales:pickup_point_edit": Row(COORDINATORS, kwargs=point_a),
    "sales:schedule_list": Row(COORDINATORS, kwargs=slug_a),
    "sales:schedule_create": Row(COORDINATORS, kwargs=slug_a),
    "sales:schedule_edit": Row(COORDINATORS, kwargs=schedule_a),
    "sales:schedule_generate": Row(COORDINATORS_POST, kwargs=schedule_a, method="post"),
    "sales:schedule_delete": Row(COORDINATORS_POST, kwargs=schedule_a, method="post"),
    "sales:closing_days": Row(COORDINATORS, kwargs=slug_a),
    "sales:closing_day_delete": Row(COORDINATORS_POST, kwargs=closing_period_a, method="post"),
    "sales:drive": Row(COORDINATORS, kwargs=slug_a),
}
