"""The supply team's imports pages (views_imports), under /o/<slug>/supply/."""

from django.urls import path

from . import views_imports

urlpatterns: list = [
    path(
        "o/<slug:slug>/supply/suppliers/<id:pk>/prices/import/",
        views_imports.price_import,
        name="price_import",
    ),
    path(
        "o/<slug:slug>/supply/suppliers/<id:pk>/prices.<str:file_format>",
        views_imports.price_import_template,
        name="price_import_template",
    ),
    path(
        "o/<slug:slug>/supply/price-lists/<id:pk>/",
        views_imports.price_import_detail,
        name="price_import_detail",
    ),
    path(
        "o/<slug:slug>/supply/price-lists/<id:pk>/apply/",
        views_imports.price_import_confirm,
        name="price_import_confirm",
    ),
]
