from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo `make run` loads (``demo_seed``, ``demo_logins``): a leaf, nothing imports it."""

    name = "cabas.demo"
    label = "demo"
