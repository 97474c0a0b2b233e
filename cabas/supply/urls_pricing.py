"""The supply team's pricing pages (views_pricing), under /o/<slug>/supply/."""

from django.urls import path

from . import views_pricing as views

urlpatterns: list = [
    path("o/<slug:slug>/supply/settings/", views.supply_settings, name="settings"),
    path("o/<slug:slug>/supply/coefficients/", views.coefficients, name="coefficients"),
    path("o/<slug:slug>/supply/price-changes/", views.price_proposals, name="price_proposals"),
]
