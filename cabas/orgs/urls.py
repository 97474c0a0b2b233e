from django.urls import path

from . import views

app_name = "orgs"

urlpatterns = [
    path("organisations/new/", views.organisation_create, name="create"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("o/<slug:slug>/join/", views.join, name="join"),
    path("o/<slug:slug>/manage/settings/", views.organisation_settings, name="settings"),
    path("o/<slug:slug>/manage/members/", views.member_list, name="members"),
    path("o/<slug:slug>/manage/members/<id:pk>/decide/", views.member_decide, name="member_decide"),
    path("o/<slug:slug>/manage/invitations/", views.invitation_list, name="invitations"),
    path(
        "o/<slug:slug>/manage/invitations/<id:pk>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
]
