"""Unsubscribing, e-mail preferences and undeliverable addresses (views_deliverability)."""

from django.urls import path

from . import views_deliverability as views

urlpatterns: list = [
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("o/<slug:slug>/my/emails/", views.preferences, name="preferences"),
    path("o/<slug:slug>/messages/undeliverable/", views.undeliverable, name="undeliverable"),
]
