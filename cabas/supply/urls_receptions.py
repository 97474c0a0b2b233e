"""The supply team's receptions pages (views_receptions), under /o/<slug>/supply/."""

urlpatterns: list = []
