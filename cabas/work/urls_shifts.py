"""URL patterns of the work app: shifts (gathered by urls.py)."""

urlpatterns: list = []
