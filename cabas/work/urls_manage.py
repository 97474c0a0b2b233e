"""URL patterns of the work app: manage (gathered by urls.py)."""

urlpatterns: list = []
