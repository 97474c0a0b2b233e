"""URL patterns of the work app: calendar (gathered by urls.py)."""

urlpatterns: list = []
