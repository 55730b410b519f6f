"""Uploaded images: accept only JPEG, PNG and WebP, refuse pixel bombs, and drop all metadata.

A storyteller's photo can carry the GPS position of their home in its EXIF data. Re-encoding the
pixels into a fresh file is the only reliable way to leave every kind of metadata behind.
"""

from __future__ import annotations

import io
import warnings
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


def check_image(file) -> str:
    """Read only the header: return the format, or raise ValidationError before any decoding."""
    file.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(file) as image:
                image_format = image.format
                width, height = image.size
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ValidationError(_("This image is too large to use.")) from error
    except ValueError as error:  # a PNG text chunk over Pillow's limit (accounts.uploads)
        raise ValidationError(_("This image is too large to use.")) from error
    except (OSError, SyntaxError) as error:  # Pillow's UnidentifiedImageError is an OSError
        raise ValidationError(_("This file is not an image we can use.")) from error
    finally:
        file.seek(0)
    if image_format not in ALLOWED_FORMATS:
        raise ValidationError(_("Use a JPEG, PNG or WebP image."))
    if width * height > settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS:
        raise ValidationError(_("This image has too many pixels to use."))
    return image_format


def reencode_without_metadata(file) -> ContentFile:
    """Return a new file holding only the pixels of ``file`` (upright, no EXIF/XMP/ICC text)."""
    image_format = check_image(file)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(file) as original:
                upright = ImageOps.exif_transpose(original)
                upright.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise ValidationError(_("This image is too large to use.")) from error
    if upright.mode == "P":
        upright = upright.convert("RGBA")
    # A new image built from the pixels alone carries no info dictionary at all.
    clean = Image.new(upright.mode, upright.size)
    clean.paste(upright)
    if image_format == "JPEG" and clean.mode not in ("RGB", "L"):
        clean = clean.convert("RGB")
    out = io.BytesIO()
    options = {"quality": 88, "optimize": True} if image_format == "JPEG" else {}
    clean.save(out, format=image_format, **options)
    stem = Path(getattr(file, "name", "") or "image").stem[:60] or "image"
    return ContentFile(out.getvalue(), name=f"{stem}.{ALLOWED_FORMATS[image_format]}")
