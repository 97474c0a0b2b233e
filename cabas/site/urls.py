from django.urls import path

from . import views

app_name = "site"

urlpatterns = [
    path("o/<slug:slug>/", views.organisation_page, name="public"),
    path("o/<slug:slug>/home/", views.member_home, name="member_home"),
]
