"""Files people send: pictures rebuilt from their pixels, PDFs rewritten without anything that can
run or hide, and a plain "too large" or "wrong type" for each refusal. Files are made here."""

import io
import zlib

import pytest
from django.core.exceptions import ValidationError
from PIL import Image, PngImagePlugin
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

from accounts.uploads import clean_pdf, clean_picture

TOO_LARGE = "The picture is too large. Please send a smaller one."
WRONG_TYPE = "Please send a PDF, or a photo or scan as JPEG, PNG or WebP."


def refusal(clean, data) -> str:
    with pytest.raises(ValidationError) as caught:
        clean(data)
    return caught.value.messages[0]


def picture(fmt="JPEG", size=(40, 30), **options) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "orange").save(out, format=fmt, **options)
    return out.getvalue()


def test_a_jpeg_comment_and_exif_do_not_survive():
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    original = picture(comment=b"SECRET-COMMENT at 12 Acacia Road", exif=exif)
    assert b"SECRET-COMMENT" in original

    clean = clean_picture(original)

    assert b"SECRET-COMMENT" not in clean.content and b"PhoneMaker" not in clean.content
    image = Image.open(io.BytesIO(clean.content))
    assert image.format == "JPEG" and "comment" not in image.info and not image.getexif()


def test_png_text_chunks_do_not_survive():
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "SECRET-AUTHOR")
    info.add_text("Comment", "SECRET-ZIPPED", zip=True)
    clean = clean_picture(picture("PNG", pnginfo=info))
    image = Image.open(io.BytesIO(clean.content))
    assert image.format == "PNG" and not image.text
    assert b"SECRET" not in clean.content


def test_webp_metadata_does_not_survive():
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    clean = clean_picture(picture("WEBP", exif=exif, xmp=b"<x>SECRET-XMP</x>"))
    assert b"PhoneMaker" not in clean.content and b"SECRET" not in clean.content


def _png_header_claiming(width: int, height: int) -> bytes:
    data = bytearray(picture("PNG", size=(1, 1)))
    data[16:24] = width.to_bytes(4, "big") + height.to_bytes(4, "big")
    data[29:33] = zlib.crc32(bytes(data[12:29])).to_bytes(4, "big")  # keep the header's CRC right
    return bytes(data)


@pytest.mark.parametrize("side", [100_000, 7_000])  # beyond Pillow's bomb limit; beyond ours
def test_a_pixel_bomb_is_told_too_large_not_wrong_type(side):
    assert refusal(clean_picture, _png_header_claiming(side, side)) == TOO_LARGE


def test_a_png_text_chunk_that_inflates_to_64_mb_is_told_too_large():
    zipped = zlib.compress(b"a" * (64 * 2**20), 9)
    chunk = b"Comment\x00\x00" + zipped
    png = picture("PNG", size=(2, 2))
    at = png.index(b"IDAT") - 4
    body = b"zTXt" + chunk
    crafted = (
        png[:at] + len(chunk).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")
        + png[at:]
    )  # fmt: skip
    assert refusal(clean_picture, crafted) == TOO_LARGE


@pytest.mark.parametrize(
    "data", [b"GIF89a" + b"\0" * 20, b"MZ\x90\x00", b"<svg onload=alert(1)>", picture("BMP")]
)
def test_other_files_are_told_wrong_type(data):
    assert refusal(clean_picture, data) == WRONG_TYPE


def _pdf_with_everything() -> bytes:
    writer = PdfWriter()
    page = writer.add_blank_page(200, 200)
    page[NameObject("/AA")] = DictionaryObject(
        {NameObject("/O"): DictionaryObject({NameObject("/S"): NameObject("/JavaScript"),
                                             NameObject("/JS"): TextStringObject("app.alert(2)")})}
    )  # fmt: skip
    writer.add_attachment("secret.txt", b"SECRET-ATTACHMENT")
    script = DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("y()")}
    )
    names = writer._root_object["/Names"]
    names[NameObject("/JavaScript")] = DictionaryObject(
        {NameObject("/Names"): ArrayObject([TextStringObject("SECRET-JS"), script])}
    )
    writer.add_metadata({"/Author": "SECRET-AUTHOR"})
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("x()")}
    )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue() + b"\nSECRET-AFTER-EOF <script>alert(3)</script>\n"


def test_a_pdf_is_rewritten_without_scripts_attachments_metadata_or_trailing_bytes():
    original = _pdf_with_everything()
    assert b"/JavaScript" in original and b"SECRET-AFTER-EOF" in original

    clean = clean_pdf(original)

    assert clean.content_type == "application/pdf"
    for marker in (b"/JavaScript", b"/JS", b"/OpenAction", b"/AA", b"/EmbeddedFile", b"SECRET"):
        assert marker not in clean.content, marker
    assert clean.content.rstrip().endswith(b"%%EOF")
    reader = PdfReader(io.BytesIO(clean.content))
    assert len(reader.pages) == 1
    assert not reader.attachments
    assert (reader.metadata or {}).get("/Author") is None


def test_a_pdf_with_a_password_is_refused_plainly():
    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    assert "has a password" in refusal(clean_pdf, out.getvalue())


def test_a_broken_pdf_is_refused_plainly():
    assert "We could not open this PDF" in refusal(clean_pdf, b"%PDF-1.7\n<script>alert(1)")
