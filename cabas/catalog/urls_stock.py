"""The supply team's stock pages (``views_stock``), under ``/o/<slug>/stock/``."""

from django.urls import path

from . import views_stock

urlpatterns = [
    path("o/<slug:slug>/stock/", views_stock.stock_list, name="stock_list"),
    path("o/<slug:slug>/stock/<id:pk>/", views_stock.stock_product, name="stock_product"),
    path("o/<slug:slug>/stock/<id:pk>/minimum/", views_stock.stock_minimum, name="stock_minimum"),
    path("o/<slug:slug>/stock/movements/", views_stock.stock_movements, name="stock_movements"),
    path(
        "o/<slug:slug>/stock/<str:report>.<str:file_format>",
        views_stock.stock_file,
        name="stock_file",
    ),
]
