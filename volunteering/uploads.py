"""Checking a training certificate upload: its type from its content, its size, and no metadata.

Images are decoded only after their header says they are a sane size (a "pixel bomb" is refused
before decoding) and are re-encoded, so EXIF (GPS, time, camera) never reaches the disk.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_PIXELS = 40_000_000  # a 40-megapixel photo is the largest certificate we expect
IMAGE_FORMATS = {
    "JPEG": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "WEBP": ("webp", "image/webp"),
}


@dataclass(frozen=True)
class CleanFile:
    content: bytes
    suffix: str
    content_type: str


def clean_certificate(upload) -> CleanFile:
    """The upload's safe bytes, or ValidationError with a plain message."""
    limit = settings.MAX_UPLOAD_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("The file is too big. Please send one under %(mb)d MB.") % {"mb": limit // 2**20}
        )
    data = upload.read(limit + 1)
    if data.startswith(b"%PDF-"):
        return CleanFile(data, "pdf", "application/pdf")
    return _clean_image(data)


def _clean_image(data: bytes) -> CleanFile:
    not_allowed = ValidationError(
        _("Please send a PDF, or a photo or scan as JPEG, PNG or WebP."), code="type"
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in IMAGE_FORMATS:
                raise not_allowed
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ValidationError(_("The picture is too large. Please send a smaller one."))
            image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, Warning) as error:
        raise not_allowed from error
    suffix, content_type = IMAGE_FORMATS[image.format]
    # Turn the picture the right way up, then save only its pixels: no EXIF, no GPS.
    upright = ImageOps.exif_transpose(image)
    if image.format == "JPEG" and upright.mode not in ("RGB", "L"):
        upright = upright.convert("RGB")
    out = io.BytesIO()
    upright.save(out, format=image.format)
    return CleanFile(out.getvalue(), suffix, content_type)
