"""Every Cabas model is in the Django admin (the back office for edge cases), and its list
and add pages open for a superuser — except the add page of models written only by their
services (their admin says so by refusing to add), which must then refuse."""

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
        model_admin = admin.site._registry[model]
        read_only = type(model_admin).has_add_permission is not admin.ModelAdmin.has_add_permission
        for view in ("changelist", "add"):
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}")
            response = client.get(url)
            expected = 403 if view == "add" and read_only else 200
            assert response.status_code == expected, f"{url}: {response.status_code}"
