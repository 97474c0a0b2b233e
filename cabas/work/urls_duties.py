"""URL patterns of the work app: duties (gathered by urls.py)."""

urlpatterns: list = []
