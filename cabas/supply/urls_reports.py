"""The supply team's reports pages (views_reports), under /o/<slug>/supply/."""

urlpatterns: list = []
