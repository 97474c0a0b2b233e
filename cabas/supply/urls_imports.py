"""The supply team's imports pages (views_imports), under /o/<slug>/supply/."""

urlpatterns: list = []
