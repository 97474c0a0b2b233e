from django.urls import path

from . import views

app_name = "orders"

urlpatterns = [
    path("o/<slug:slug>/shop/", views.shop, name="shop"),
    path("o/<slug:slug>/shop/<id:sale_id>/", views.sale_shop, name="sale_shop"),
    path(
        "o/<slug:slug>/shop/<id:sale_id>/products/<id:product_id>/",
        views.product_detail,
        name="product",
    ),
    path("o/<slug:slug>/shop/<id:sale_id>/basket/", views.basket, name="basket"),
    path("o/<slug:slug>/shop/<id:sale_id>/basket/set/", views.basket_set, name="basket_set"),
    path("o/<slug:slug>/shop/<id:sale_id>/checkout/", views.checkout, name="checkout"),
    path("o/<slug:slug>/shop/<id:sale_id>/reorder/", views.reorder, name="reorder"),
    path(
        "o/<slug:slug>/pickups/<id:pickup_id>/orders/",
        views.pickup_orders,
        name="pickup_orders",
    ),
    path("o/<slug:slug>/orders/", views.my_orders, name="my_orders"),
    path("o/<slug:slug>/orders/<uuid:code>/", views.order, name="order"),
    path("o/<slug:slug>/orders/<uuid:code>/change/", views.order_edit, name="order_edit"),
    path("o/<slug:slug>/orders/<uuid:code>/arrived/", views.order_arrived, name="order_arrived"),
    path("o/<slug:slug>/orders/<uuid:code>/cancel/", views.order_cancel, name="order_cancel"),
]
