"""The printable sheets of a pickup and their XLSX files (see views_sheets)."""

from django.urls import path

from . import views_sheets

_PICKUP = "o/<slug:slug>/pickups/<id:pickup_id>/"

urlpatterns = [
    path(f"{_PICKUP}preparation/", views_sheets.preparation, name="preparation"),
    path(f"{_PICKUP}preparation.xlsx", views_sheets.preparation_xlsx, name="preparation_xlsx"),
    path(f"{_PICKUP}labels/", views_sheets.labels, name="labels"),
    path(f"{_PICKUP}attendance/", views_sheets.attendance, name="attendance"),
    path(f"{_PICKUP}attendance.xlsx", views_sheets.attendance_xlsx, name="attendance_xlsx"),
]
