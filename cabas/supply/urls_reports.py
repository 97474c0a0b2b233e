"""The supply team's reports pages (views_reports), under /o/<slug>/supply/."""

from django.urls import path

from . import views_reports

urlpatterns = [
    path("o/<slug:slug>/supply/stock-value/", views_reports.stock_value, name="stock_value"),
    path("o/<slug:slug>/supply/losses/", views_reports.stock_losses, name="stock_losses"),
    path("o/<slug:slug>/supply/cover/", views_reports.cover, name="cover"),
    path(
        "o/<slug:slug>/supply/reports/<str:report>.<str:file_format>",
        views_reports.report_file,
        name="report_file",
    ),
]
