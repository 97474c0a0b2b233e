"""A product photo's thumbnail for the shop, made once by easy-thumbnails when the photo is
uploaded and its name stored on the product: the shop lists every product with its thumbnail
and must not make (nor look up in easy-thumbnails' tables) one per product while it renders."""

from __future__ import annotations

import logging

from django.conf import settings
from easy_thumbnails.engine import NoSourceGenerator
from easy_thumbnails.exceptions import InvalidImageFormatError
from easy_thumbnails.files import get_thumbnailer

logger = logging.getLogger(__name__)

SHOP_ALIAS = "shop"  # settings.THUMBNAIL_ALIASES: 160 × 160, shown at 80 × 80 CSS pixels


def thumbnail_make(image) -> str:
    """Store the shop thumbnail of ``image`` (a saved ImageField file) and return its name;
    "" when the file cannot be read as an image (the shop then shows the placeholder)."""
    options = settings.THUMBNAIL_ALIASES[""][SHOP_ALIAS]
    try:
        return get_thumbnailer(image).get_thumbnail(options).name
    except (InvalidImageFormatError, NoSourceGenerator, OSError, ValueError):
        logger.warning("No thumbnail for %s: not a readable image", image.name)
        return ""
