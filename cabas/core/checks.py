"""System checks of the settings an operator must give (``manage.py check --deploy``)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Tags, Warning, register

_DEVELOPMENT_HOSTS = {"127.0.0.1", "localhost", "0.0.0.0", "[::1]"}  # noqa: S104


@register(Tags.security, deploy=True)
def site_url_is_public(app_configs=None, **kwargs):
    """Links in e-mails are built on SITE_URL: in production it must be the public address,
    not the development default (http://127.0.0.1:8000)."""
    parts = urlsplit(settings.SITE_URL)
    if parts.hostname in _DEVELOPMENT_HOSTS or parts.hostname is None or parts.scheme != "https":
        return [
            Warning(
                f"SITE_URL is {settings.SITE_URL!r}: e-mails would link there.",
                hint="Set SITE_URL to the site's public address, e.g. https://cabas.example.org.",
                id="cabas.W001",
            )
        ]
    return []
