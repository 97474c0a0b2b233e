"""Which uploads the web server may hand out: photos and logos live in the public folders
(settings.PUBLIC_MEDIA_FOLDERS, served by nginx in production and by Django in development);
every other file (a message's attachment) lives elsewhere and is read through a view that
checks who asks."""

from django.apps import apps
from django.conf import settings
from django.db import models


def _upload_folders():
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField):
                yield field, str(field.upload_to).split("/", 1)[0]


def test_images_are_public_and_other_files_are_not():
    folders = list(_upload_folders())
    assert folders
    for field, folder in folders:
        public = folder in settings.PUBLIC_MEDIA_FOLDERS
        assert public == isinstance(field, models.ImageField), (field, folder)
