"""The supply team's orders pages (views_orders), under /o/<slug>/supply/."""

from django.urls import path

from . import views_orders

urlpatterns: list = [
    path("o/<slug:slug>/supply/suggestions/", views_orders.suggestions_page, name="suggestions"),
    path("o/<slug:slug>/supply/orders/", views_orders.purchase_orders, name="purchase_orders"),
    path(
        "o/<slug:slug>/supply/orders/<id:pk>/",
        views_orders.purchase_order,
        name="purchase_order",
    ),
    path(
        "o/<slug:slug>/supply/orders/<id:pk>/print/",
        views_orders.purchase_order_print,
        name="purchase_order_print",
    ),
    path(
        "o/<slug:slug>/supply/orders/<id:pk>/file/<str:file_format>/",
        views_orders.purchase_order_file,
        name="purchase_order_file",
    ),
]
