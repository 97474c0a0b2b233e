"""Helpers of the supply page tests."""

from django.urls import reverse


def supply_url(name, world, **kwargs):
    """The URL of the supply page ``name`` of the world's organisation A."""
    return reverse(f"supply:{name}", kwargs={"slug": world.org_a.slug, **kwargs})
