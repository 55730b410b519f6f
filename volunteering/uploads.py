"""Checking a training certificate upload: its size, then its type from its content.

The cleaning itself (pictures rebuilt from their pixels, PDFs rewritten without scripts,
attachments or metadata) is accounts.uploads, shared by every app that takes files.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.uploads import IMAGE_FORMATS, MAX_PIXELS, CleanFile, clean_pdf, clean_picture

__all__ = ["IMAGE_FORMATS", "MAX_PIXELS", "CleanFile", "clean_certificate"]


def clean_certificate(upload) -> CleanFile:
    """The upload's safe bytes, or ValidationError with a plain message."""
    limit = settings.MAX_UPLOAD_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("The file is too big. Please send one under %(mb)d MB.") % {"mb": limit // 2**20}
        )
    data = upload.read(limit + 1)
    if data.startswith(b"%PDF-"):
        return clean_pdf(data)
    return clean_picture(data)
