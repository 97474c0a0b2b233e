from django.urls import path

from . import views, views_import, views_orders, views_tokens

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
    path(f"{ENTERPRISE}/producers/<id:pk>", views.producer, name="producer"),
    path(
        f"{ENTERPRISE}/producers/<id:pk>/catalog_items",
        views.producer_catalog_items,
        name="producer_catalog_items",
    ),
    path("api/dfc/webid", views.webid, name="webid"),
    path(f"{ENTERPRISE}/orders", views_orders.order_list, name="orders"),
    path(f"{ENTERPRISE}/orders/<uuid:code>", views_orders.order_detail, name="order"),
    # Anything else under /api/dfc/ answers in JSON too.
    path("api/dfc/<path:rest>", views.not_found, name="not_found"),
]

# The organisation's DFC connections page (tokens for other platforms).
urlpatterns += [
    path("o/<slug:slug>/dfc/tokens/", views_tokens.tokens, name="tokens"),
    path(
        "o/<slug:slug>/dfc/tokens/<id:pk>/revoke/",
        views_tokens.token_revoke,
        name="token_revoke",
    ),
]

# Importing a producer's DFC catalog (a page of the producer area).
urlpatterns += [
    path("o/<slug:slug>/dfc/import/", views_import.catalog_import, name="catalog_import"),
]
