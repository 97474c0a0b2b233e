from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "cabas.core"
    label = "core"

    def ready(self):
        from django.urls import register_converter

        from . import checks  # noqa: F401  (registers the deploy checks)
        from .converters import IdConverter

        # Before any URL module is read: every app's paths use <id:…> for database ids.
        register_converter(IdConverter, "id")
