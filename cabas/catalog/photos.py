"""A product photo's thumbnail, made once with Pillow when the photo is uploaded and stored
beside it ("products/chevre.jpg" → "products/chevre-thumb.jpg"): the shop lists every product
with its thumbnail and must not make (nor look up) one per product while it renders."""

from __future__ import annotations

import io
import logging
import posixpath

from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

logger = logging.getLogger(__name__)

# The shop shows it at 80 × 80 CSS pixels; twice that for phones' dense screens.
THUMBNAIL_SIZE = (160, 160)
THUMBNAIL_QUALITY = 80


def thumbnail_name(image_name: str) -> str:
    stem, _extension = posixpath.splitext(image_name)
    return f"{stem}-thumb.jpg"


def _on_white(picture: Image.Image) -> Image.Image:
    """RGB, a transparent background made white (JPEG has no transparency)."""
    if picture.mode in ("RGBA", "LA", "P", "PA"):
        rgba = picture.convert("RGBA")
        picture = Image.new("RGB", rgba.size, "white")
        picture.paste(rgba, mask=rgba.getchannel("A"))
    return picture.convert("RGB")


def thumbnail_make(image) -> str:
    """Store the thumbnail of ``image`` (a saved ImageField file) beside it and return its name;
    "" when the file cannot be read as an image (the shop then shows the placeholder)."""
    try:
        with image.open("rb") as source, Image.open(source) as picture:
            picture = _on_white(ImageOps.exif_transpose(picture))
            small = ImageOps.fit(picture, THUMBNAIL_SIZE, Image.Resampling.LANCZOS)
    except (OSError, UnidentifiedImageError, ValueError, Image.DecompressionBombError):
        logger.warning("No thumbnail for %s: not a readable image", image.name)
        return ""
    buffer = io.BytesIO()
    small.save(buffer, format="JPEG", quality=THUMBNAIL_QUALITY, optimize=True)
    return image.storage.save(thumbnail_name(image.name), ContentFile(buffer.getvalue()))
