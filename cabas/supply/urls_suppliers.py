"""The supply team's suppliers pages (views_suppliers), under /o/<slug>/supply/."""

from django.urls import path

from . import views_suppliers as views

urlpatterns: list = [
    path("o/<slug:slug>/supply/suppliers/", views.supplier_list, name="suppliers"),
    path("o/<slug:slug>/supply/suppliers/new/", views.supplier_new, name="supplier_new"),
    path("o/<slug:slug>/supply/suppliers/<id:pk>/", views.supplier_detail, name="supplier"),
    path("o/<slug:slug>/supply/suppliers/<id:pk>/edit/", views.supplier_edit, name="supplier_edit"),
    path(
        "o/<slug:slug>/supply/supplier-items/<id:pk>/",
        views.supplier_item_edit,
        name="supplier_item_edit",
    ),
    path(
        "o/<slug:slug>/supply/supplier-items/<id:pk>/delete/",
        views.supplier_item_delete,
        name="supplier_item_delete",
    ),
]
