"""Files people send us (certificates, photos): their type from their content, their size, and
nothing kept but what they show. One home for every app that takes files.

- Pictures (JPEG, PNG, WebP) are decoded only when their header says they are a sane size, then
  rebuilt from their pixels alone: EXIF (GPS, time, camera), XMP, ICC text, JPEG comments and PNG
  text chunks never reach the disk. Pillow's own limits (decompression bombs, a PNG text chunk
  that inflates to megabytes) are told as "too large", not as a wrong type or a server error.
- PDFs are rewritten page by page with pypdf: JavaScript, open and page actions, links and form
  fields, embedded files, metadata and anything after the end of the file are left behind. A PDF
  pypdf cannot read, or one with a password, is refused.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError

MAX_PIXELS = 40_000_000  # a 40-megapixel photo is the largest picture we expect
MAX_PDF_PAGES = 50
IMAGE_FORMATS = {
    "JPEG": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "WEBP": ("webp", "image/webp"),
}
# Page entries that can run something or carry hidden content; everything else on a page stays.
_PAGE_KEYS_DROPPED = ("/AA", "/Annots", "/Metadata", "/PieceInfo", "/Thumb")


@dataclass(frozen=True)
class CleanFile:
    content: bytes
    suffix: str
    content_type: str


def wrong_type() -> ValidationError:
    return ValidationError(
        _("Please send a PDF, or a photo or scan as JPEG, PNG or WebP."), code="type"
    )


def picture_too_large() -> ValidationError:
    return ValidationError(
        _("The picture is too large. Please send a smaller one."), code="too_large"
    )


def clean_picture(data: bytes) -> CleanFile:
    """A JPEG, PNG or WebP rebuilt from its pixels, or ValidationError with a plain message."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in IMAGE_FORMATS:
                raise wrong_type()
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise picture_too_large()
            image.load()
            upright = ImageOps.exif_transpose(image)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise picture_too_large() from error
    except ValueError as error:
        # Pillow's text-chunk limits ("Decompressed data too large", "Too much memory used in
        # text chunks") are ValueErrors; any other is a damaged file.
        if "too large" in str(error).lower() or "too much memory" in str(error).lower():
            raise picture_too_large() from error
        raise wrong_type() from error
    except (UnidentifiedImageError, OSError, SyntaxError, EOFError) as error:
        raise wrong_type() from error
    image_format = image.format
    suffix, content_type = IMAGE_FORMATS[image_format]
    if upright.mode == "P":
        upright = upright.convert("RGBA")
    if image_format == "JPEG" and upright.mode not in ("RGB", "L"):
        upright = upright.convert("RGB")
    # A new image holding the pixels alone has an empty info dictionary: no comment, no EXIF,
    # no XMP, no ICC profile, no text chunks to carry into the new file.
    clean = Image.new(upright.mode, upright.size)
    clean.paste(upright)
    out = io.BytesIO()
    clean.save(out, format=image_format)
    return CleanFile(out.getvalue(), suffix, content_type)


def clean_pdf(data: bytes) -> CleanFile:
    """A PDF rewritten with only its pages' contents, or ValidationError with a plain message."""
    damaged = ValidationError(
        _("We could not open this PDF. Please save it again, or send a photo of it."),
        code="pdf",
    )
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise ValidationError(
                _("This PDF has a password. Please send one without a password."),
                code="pdf_password",
            )
        if len(reader.pages) > MAX_PDF_PAGES:
            raise ValidationError(
                _("This PDF has too many pages. Please send only the certificate."),
                code="pdf_pages",
            )
        writer = PdfWriter()
        for page in reader.pages:
            added = writer.add_page(page)
            for key in _PAGE_KEYS_DROPPED:
                if key in added:
                    del added[key]
        out = io.BytesIO()
        writer.write(out)
    except ValidationError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as error:
        raise damaged from error
    return CleanFile(out.getvalue(), "pdf", "application/pdf")
