"""The automatic reminders' settings (views_reminders)."""

from django.urls import path

from . import views_reminders as views

urlpatterns: list = [
    path("o/<slug:slug>/messages/settings/", views.reminder_settings, name="settings"),
]
