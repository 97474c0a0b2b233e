"""The supply team's receptions pages (views_receptions), under /o/<slug>/supply/."""

from django.urls import path

from . import views_receptions as views

BASE = "o/<slug:slug>/supply/receptions/"

urlpatterns: list = [
    path(BASE, views.reception_list, name="receptions"),
    path(f"{BASE}new/", views.reception_start, name="reception_start"),
    path(f"{BASE}<id:pk>/", views.reception_detail, name="reception"),
    path(f"{BASE}<id:pk>/lines/<id:line_pk>/", views.reception_line, name="reception_line"),
    path(
        f"{BASE}<id:pk>/as-ordered/",
        views.reception_all_as_ordered,
        name="reception_all_as_ordered",
    ),
    path(f"{BASE}<id:pk>/add/", views.reception_line_add, name="reception_line_add"),
    path(f"{BASE}<id:pk>/validate/", views.reception_validate, name="reception_validate"),
    path(
        f"{BASE}<id:pk>/differences/",
        views.reception_differences,
        name="reception_differences",
    ),
    path(
        f"{BASE}<id:pk>/differences.<str:file_format>",
        views.reception_differences_file,
        name="reception_differences_file",
    ),
]
