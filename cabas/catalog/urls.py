from django.urls import path

from . import views

app_name = "catalog"

urlpatterns = [
    path("o/<slug:slug>/catalog/", views.product_list, name="products"),
    path("o/<slug:slug>/catalog/new/", views.product_create, name="product_create"),
    path("o/<slug:slug>/catalog/<int:pk>/", views.product_edit, name="product_edit"),
    path(
        "o/<slug:slug>/catalog/<int:pk>/duplicate/",
        views.product_duplicate,
        name="product_duplicate",
    ),
    path("o/<slug:slug>/catalog/<int:pk>/quick/", views.product_quick, name="product_quick"),
    path("o/<slug:slug>/catalog/<int:pk>/stock/", views.stock_adjust, name="stock_adjust"),
    path("o/<slug:slug>/producers/", views.producer_list, name="producers"),
    path("o/<slug:slug>/producers/new/", views.producer_create, name="producer_create"),
    path("o/<slug:slug>/producers/<int:pk>/", views.producer_edit, name="producer_edit"),
    path("o/<slug:slug>/producers/links/<int:pk>/", views.producer_link, name="producer_link"),
]
