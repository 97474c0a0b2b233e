"""The supply team's pricing pages (views_pricing), under /o/<slug>/supply/."""

urlpatterns: list = []
