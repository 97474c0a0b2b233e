from django.urls import path

from . import views_members

urlpatterns = [
    path("o/<slug:slug>/money/members/", views_members.member_list, name="member_list"),
    path(
        "o/<slug:slug>/manage/members/<id:pk>/roles/",
        views_members.member_roles,
        name="member_roles",
    ),
    path("o/<slug:slug>/money/members/import/", views_members.member_import, name="member_import"),
    path(
        "o/<slug:slug>/money/members/import/<id:pk>/",
        views_members.member_import_detail,
        name="member_import_detail",
    ),
    path(
        "o/<slug:slug>/money/members/invite/",
        views_members.member_invite_bulk,
        name="member_invite_bulk",
    ),
    path(
        "o/<slug:slug>/money/members/export.<str:file_format>",
        views_members.member_export,
        name="member_export",
    ),
]
