"""URL patterns of the work app: duties (gathered by urls.py)."""

from django.urls import path

from . import views_duties

urlpatterns: list = [
    path("o/<slug:slug>/duties/", views_duties.duties, name="duties"),
    path("o/<slug:slug>/duties/mine/", views_duties.my_duties, name="my_duties"),
    path(
        "o/<slug:slug>/duties/<id:period_id>/signup/",
        views_duties.duty_signup,
        name="duty_signup",
    ),
    path(
        "o/<slug:slug>/duties/signups/<id:signup_id>/withdraw/",
        views_duties.duty_withdraw,
        name="duty_withdraw",
    ),
    path(
        "o/<slug:slug>/duties/signups/<id:signup_id>/replacement/",
        views_duties.duty_replacement,
        name="duty_replacement",
    ),
    path(
        "o/<slug:slug>/duties/signups/<id:signup_id>/take-over/",
        views_duties.duty_take_over,
        name="duty_take_over",
    ),
]
