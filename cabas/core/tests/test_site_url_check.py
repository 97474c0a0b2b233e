"""``manage.py check --deploy`` warns when e-mail links would point to the development address."""

from django.core.checks import run_checks


def _warnings(settings, url):
    settings.SITE_URL = url
    return [m.id for m in run_checks(include_deployment_checks=True) if m.id == "cabas.W001"]


def test_the_development_address_is_flagged(settings):
    assert _warnings(settings, "http://127.0.0.1:8000") == ["cabas.W001"]
    assert _warnings(settings, "http://cabas.example.org") == ["cabas.W001"]  # not HTTPS


def test_a_public_https_address_passes(settings):
    assert _warnings(settings, "https://cabas.example.org") == []
