"""Every Cabas model is in the Django admin (the back office for edge cases), and its list
and add pages open for a superuser."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from cabas.accounts.tests.factories import UserFactory


def _cabas_models():
    return [
        model
        for model in apps.get_models()
        if model.__module__.startswith("cabas.") and not model._meta.abstract
    ]


def test_every_cabas_model_is_registered_in_the_admin():
    missing = [m._meta.label for m in _cabas_models() if m not in admin.site._registry]
    assert missing == []


@pytest.mark.django_db
def test_admin_pages_open_for_a_superuser(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    for model in _cabas_models():
        opts = model._meta
        for view in ("changelist", "add"):
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}")
            response = client.get(url)
            assert response.status_code == 200, f"{url}: {response.status_code}"
