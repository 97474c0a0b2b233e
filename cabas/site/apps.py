from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The site's own pages, which gather several apps: the home page and each organisation's
    public page. A leaf: nothing imports it."""

    name = "cabas.site"
    label = "site"
