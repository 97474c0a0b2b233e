from django.urls import path

from . import views, views_orders

app_name = "dfc"

ENTERPRISE = "api/dfc/enterprises/<slug:slug>"

urlpatterns = [
    path(ENTERPRISE, views.enterprise, name="enterprise"),
    path(f"{ENTERPRISE}/catalog_items", views.catalog_items, name="catalog_items"),
    path(f"{ENTERPRISE}/sale_sessions", views.sale_sessions, name="sale_sessions"),
    path(
        f"{ENTERPRISE}/supplied_products/<id:pk>",
        views.product_node,
        {"kind": "supplied_products"},
        name="supplied_product",
    ),
    path(
        f"{ENTERPRISE}/catalog_items/<id:pk>",
        views.product_node,
        {"kind": "catalog_items"},
        name="catalog_item",
    ),
    path(f"{ENTERPRISE}/offers/<id:pk>", views.product_node, {"kind": "offers"}, name="offer"),
    path(f"{ENTERPRISE}/orders", views_orders.order_list, name="orders"),
    path(f"{ENTERPRISE}/orders/<uuid:code>", views_orders.order_detail, name="order"),
    # Anything else under /api/dfc/ answers in JSON too.
    path("api/dfc/<path:rest>", views.not_found, name="not_found"),
]
