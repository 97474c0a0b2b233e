from django.urls import path

from . import views, views_duties

urlpatterns = [
    path("o/<slug:slug>/checkin/", views.checkin_home, name="checkin_home"),
    path("o/<slug:slug>/checkin/pickups/<id:pickup_id>/", views.checkin_pickup,
         name="checkin_pickup"),
    path("o/<slug:slug>/checkin/pickups/<id:pickup_id>/no-shows/", views.pickup_no_shows,
         name="pickup_no_shows"),
    path("o/<slug:slug>/checkin/pickups/<id:pickup_id>/close/", views.pickup_close,
         name="pickup_close"),
    path("o/<slug:slug>/checkin/pickups/<id:pickup_id>/picking/", views.picking, name="picking"),
    path("o/<slug:slug>/checkin/orders/<uuid:code>/", views.checkin_order, name="checkin_order"),
    path("o/<slug:slug>/checkin/sales/<id:sale_id>/missing/", views.sale_missing,
         name="sale_missing"),
    path("o/<slug:slug>/checkin/duties/<id:signup_id>/attendance/", views_duties.duty_attendance,
         name="duty_attendance"),
    path("o/<slug:slug>/checkin/sales/<id:sale_id>/prices/", views.sale_prices,
         name="sale_prices"),
]  # fmt: skip
