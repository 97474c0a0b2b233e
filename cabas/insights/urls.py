"""The activity dashboards ("insights:…")."""

from django.urls import path

from . import views

app_name = "insights"

urlpatterns = [
    path("o/<slug:slug>/dashboard/", views.dashboard, name="dashboard"),
    path("o/<slug:slug>/producer/figures/", views.producer_dashboard, name="producer_dashboard"),
]
