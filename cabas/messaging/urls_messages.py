"""Coordinators' messages and the members' archive (views_messages)."""

from django.urls import path

from . import views_messages as views

urlpatterns: list = [
    path("o/<slug:slug>/messages/", views.message_list, name="messages"),
    path("o/<slug:slug>/messages/new/", views.message_new, name="message_new"),
    path("o/<slug:slug>/messages/<id:pk>/", views.message_detail, name="message"),
    path("o/<slug:slug>/messages/<id:pk>/edit/", views.message_edit, name="message_edit"),
    path("o/<slug:slug>/messages/<id:pk>/send/", views.message_send, name="message_send"),
    path("o/<slug:slug>/messages/<id:pk>/delete/", views.message_delete, name="message_delete"),
    path(
        "o/<slug:slug>/messages/<id:pk>/announcement/end/",
        views.message_announcement_end,
        name="message_announcement_end",
    ),
    path(
        "o/<slug:slug>/messages/<id:pk>/attachment/",
        views.message_attachment,
        name="message_attachment",
    ),
    path("o/<slug:slug>/my/messages/", views.archive, name="archive"),
    path("o/<slug:slug>/my/messages/<id:pk>/", views.archive_message, name="archive_message"),
]
