"""The supply team's suppliers pages (views_suppliers), under /o/<slug>/supply/."""

urlpatterns: list = []
