"""URL patterns of the work app: a coordinator's duties (gathered by urls.py)."""

from django.urls import path

from . import views_gaps, views_manage

urlpatterns = [
    path("o/<slug:slug>/work/settings/", views_manage.work_settings, name="settings"),
    path("o/<slug:slug>/work/tasks/", views_manage.task_types, name="task_types"),
    path("o/<slug:slug>/work/tasks/new/", views_manage.task_type_create, name="task_type_create"),
    path(
        "o/<slug:slug>/work/tasks/<id:task_type_id>/",
        views_manage.task_type_edit,
        name="task_type_edit",
    ),
    path(
        "o/<slug:slug>/work/tasks/<id:task_type_id>/delete/",
        views_manage.task_type_delete,
        name="task_type_delete",
    ),
    path("o/<slug:slug>/work/duties/needed/", views_manage.duty_templates, name="duty_templates"),
    path(
        "o/<slug:slug>/work/duties/needed/new/",
        views_manage.duty_template_create,
        name="duty_template_create",
    ),
    path(
        "o/<slug:slug>/work/duties/needed/<id:template_id>/",
        views_manage.duty_template_edit,
        name="duty_template_edit",
    ),
    path(
        "o/<slug:slug>/work/duties/needed/<id:template_id>/active/",
        views_manage.duty_template_active,
        name="duty_template_active",
    ),
    path(
        "o/<slug:slug>/work/pickups/<id:pickup_id>/duties/",
        views_gaps.pickup_duties,
        name="pickup_duties",
    ),
    path(
        "o/<slug:slug>/work/pickups/<id:pickup_id>/duties/add/",
        views_gaps.duty_add,
        name="duty_add",
    ),
    path(
        "o/<slug:slug>/work/duty/<id:period_id>/places/",
        views_gaps.duty_places,
        name="duty_places",
    ),
    path(
        "o/<slug:slug>/work/duty/<id:period_id>/cancel/",
        views_gaps.duty_cancel,
        name="duty_cancel",
    ),
    path("o/<slug:slug>/work/gaps/", views_gaps.gaps, name="gaps"),
    path(
        "o/<slug:slug>/work/duty/<id:period_id>/assign/",
        views_gaps.gap_assign,
        name="gap_assign",
    ),
    path(
        "o/<slug:slug>/work/duty/<id:period_id>/appeal/",
        views_gaps.gap_appeal,
        name="gap_appeal",
    ),
]
