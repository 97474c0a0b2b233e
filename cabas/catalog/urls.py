from django.urls import path

from . import urls_stock, views, views_inventory

app_name = "catalog"

urlpatterns = [
    path("o/<slug:slug>/catalog/", views.product_list, name="products"),
    path("o/<slug:slug>/catalog/new/", views.product_create, name="product_create"),
    path("o/<slug:slug>/catalog/<id:pk>/", views.product_edit, name="product_edit"),
    path(
        "o/<slug:slug>/catalog/<id:pk>/duplicate/",
        views.product_duplicate,
        name="product_duplicate",
    ),
    path("o/<slug:slug>/catalog/<id:pk>/quick/", views.product_quick, name="product_quick"),
    path("o/<slug:slug>/catalog/<id:pk>/stock/", views.stock_adjust, name="stock_adjust"),
    path("o/<slug:slug>/catalog/import/", views.product_import, name="import"),
    path("o/<slug:slug>/catalog/import/<id:pk>/", views.import_detail, name="import_detail"),
    path(
        "o/<slug:slug>/catalog/import/<id:pk>/confirm/",
        views.import_confirm,
        name="import_confirm",
    ),
    path(
        "o/<slug:slug>/catalog/import/template.<str:file_format>",
        views.import_template,
        name="import_template",
    ),
    path(
        "o/<slug:slug>/catalog/export.<str:file_format>",
        views.product_export,
        name="export",
    ),
    path("o/<slug:slug>/producers/", views.producer_list, name="producers"),
    path("o/<slug:slug>/producers/new/", views.producer_create, name="producer_create"),
    path("o/<slug:slug>/producers/<id:pk>/", views.producer_edit, name="producer_edit"),
    path("o/<slug:slug>/producers/links/<id:pk>/", views.producer_link, name="producer_link"),
    path("o/<slug:slug>/inventories/", views_inventory.inventory_list, name="inventories"),
    path("o/<slug:slug>/inventories/new/", views_inventory.inventory_start, name="inventory_start"),
    path(
        "o/<slug:slug>/inventories/<id:pk>/",
        views_inventory.inventory_count,
        name="inventory_count",
    ),
    path(
        "o/<slug:slug>/inventories/<id:pk>/count/<id:product_pk>/",
        views_inventory.inventory_count_save,
        name="inventory_count_save",
    ),
    path(
        "o/<slug:slug>/inventories/<id:pk>/differences/",
        views_inventory.inventory_review,
        name="inventory_review",
    ),
    path(
        "o/<slug:slug>/inventories/<id:pk>/validate/",
        views_inventory.inventory_validate,
        name="inventory_validate",
    ),
    path(
        "o/<slug:slug>/inventories/<id:pk>/cancel/",
        views_inventory.inventory_cancel,
        name="inventory_cancel",
    ),
    path(
        "o/<slug:slug>/inventories/<id:pk>/differences.<str:file_format>",
        views_inventory.inventory_export,
        name="inventory_export",
    ),
] + urls_stock.urlpatterns
