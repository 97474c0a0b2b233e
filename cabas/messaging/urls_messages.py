"""Coordinators' messages and the members' archive (views_messages)."""

urlpatterns: list = []
