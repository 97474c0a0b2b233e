"""The supply team's orders pages (views_orders), under /o/<slug>/supply/."""

urlpatterns: list = []
