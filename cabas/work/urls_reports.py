"""URL patterns of the work app: reports (gathered by urls.py)."""

urlpatterns: list = []
