"""URL patterns of the work app: calendar (gathered by urls.py)."""

from django.urls import path, re_path

from . import views_calendar

urlpatterns = [
    path("o/<slug:slug>/calendar/", views_calendar.calendar, name="calendar"),
    path("o/<slug:slug>/calendar/renew/", views_calendar.calendar_renew, name="calendar_renew"),
    # The secret token is the only key (calendar applications cannot log in).
    re_path(
        r"^calendar/(?P<token>[A-Za-z0-9_-]{1,64})\.ics$",
        views_calendar.calendar_feed,
        name="calendar_feed",
    ),
]
