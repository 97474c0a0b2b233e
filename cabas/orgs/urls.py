from django.urls import path

from . import views

app_name = "orgs"

urlpatterns = [
    path("o/<slug:slug>/", views.public_page, name="public"),
    path("o/<slug:slug>/join/", views.join, name="join"),
    path("o/<slug:slug>/home/", views.member_home, name="member_home"),
]
