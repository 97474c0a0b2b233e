from django.urls import path

from . import views

app_name = "sales"

urlpatterns = [
    # Public and members
    path("o/<slug:slug>/pickup-points/", views.pickup_points_public, name="pickup_points_public"),
    path("o/<slug:slug>/slots/", views.member_slots, name="member_slots"),
    # Producers
    path("o/<slug:slug>/producer/sales/", views.producer_sales, name="producer_sales"),
    path(
        "o/<slug:slug>/producer/sales/<id:sale_id>/",
        views.producer_sale,
        name="producer_sale",
    ),
    # Coordinators: sales
    path("o/<slug:slug>/sales/", views.sale_list, name="sale_list"),
    path("o/<slug:slug>/sales/new/", views.sale_create, name="sale_create"),
    path("o/<slug:slug>/sales/settings/", views.sales_settings, name="sales_settings"),
    path("o/<slug:slug>/sales/<id:sale_id>/", views.sale_detail, name="sale_detail"),
    path("o/<slug:slug>/sales/<id:sale_id>/edit/", views.sale_edit, name="sale_edit"),
    path("o/<slug:slug>/sales/<id:sale_id>/status/", views.sale_status, name="sale_status"),
    path("o/<slug:slug>/sales/<id:sale_id>/delete/", views.sale_delete, name="sale_delete"),
    path("o/<slug:slug>/sales/<id:sale_id>/offer/", views.sale_offer, name="sale_offer"),
    path(
        "o/<slug:slug>/sales/from-import/<id:import_id>/",
        views.sale_import_offer,
        name="import_offer",
    ),
    path(
        "o/<slug:slug>/sales/<id:sale_id>/pickups/new/",
        views.pickup_create,
        name="pickup_create",
    ),
    # Coordinators: pickups and slots
    path("o/<slug:slug>/pickups/<id:pickup_id>/", views.pickup_detail, name="pickup_detail"),
    path(
        "o/<slug:slug>/pickups/<id:pickup_id>/occupancy/",
        views.pickup_occupancy,
        name="pickup_occupancy",
    ),
    path("o/<slug:slug>/pickups/<id:pickup_id>/edit/", views.pickup_edit, name="pickup_edit"),
    path("o/<slug:slug>/pickups/<id:pickup_id>/delete/", views.pickup_delete, name="pickup_delete"),
    path("o/<slug:slug>/pickups/<id:pickup_id>/slots/new/", views.slot_create, name="slot_create"),
    path("o/<slug:slug>/slots/<id:slot_id>/", views.slot_update, name="slot_update"),
    # Coordinators: pickup points, schedules, closing days, drive
    path("o/<slug:slug>/manage/pickup-points/", views.pickup_point_list, name="pickup_point_list"),
    path(
        "o/<slug:slug>/manage/pickup-points/new/",
        views.pickup_point_create,
        name="pickup_point_create",
    ),
    path(
        "o/<slug:slug>/manage/pickup-points/<id:point_id>/",
        views.pickup_point_edit,
        name="pickup_point_edit",
    ),
    path("o/<slug:slug>/schedules/", views.schedule_list, name="schedule_list"),
    path("o/<slug:slug>/schedules/new/", views.schedule_create, name="schedule_create"),
    path("o/<slug:slug>/schedules/<id:schedule_id>/", views.schedule_edit, name="schedule_edit"),
    path(
        "o/<slug:slug>/schedules/<id:schedule_id>/generate/",
        views.schedule_generate,
        name="schedule_generate",
    ),
    path(
        "o/<slug:slug>/schedules/<id:schedule_id>/delete/",
        views.schedule_delete,
        name="schedule_delete",
    ),
    path("o/<slug:slug>/closing-days/", views.closing_days, name="closing_days"),
    path(
        "o/<slug:slug>/closing-days/<id:period_id>/delete/",
        views.closing_day_delete,
        name="closing_day_delete",
    ),
    path("o/<slug:slug>/drive/", views.drive, name="drive"),
]
