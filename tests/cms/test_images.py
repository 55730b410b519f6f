"""Uploads keep no metadata, pixel bombs are refused, alt text is required.

Renditions are made on publish."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage

from cms.images import check_image
from cms.models import CustomImage, CustomRendition
from tests.cms import factories

pytestmark = pytest.mark.django_db


def _exif_of(image: CustomImage):
    with image.file.open("rb") as stored, PILImage.open(stored) as pil:
        return dict(pil.getexif()), pil.info


def test_gps_exif_is_gone_from_the_stored_file():
    source = factories.jpeg_bytes(gps=True)
    with PILImage.open(io.BytesIO(source)) as original:
        assert 0x8825 in original.getexif()  # the upload really carries GPS
    image = factories.image(gps=True)
    exif, info = _exif_of(image)
    assert exif == {}
    assert "exif" not in info
    assert image.file_size == image.file.size
    assert image.file_hash


def test_upload_through_the_admin_strips_gps(client_of, involvement_lead):
    response = client_of(involvement_lead).post(
        reverse("wagtailimages:add"),
        {
            "title": "Allotment",
            "description": "Rows of leeks in an allotment",
            "file": SimpleUploadedFile("p.jpg", factories.jpeg_bytes(gps=True), "image/jpeg"),
        },
    )
    assert response.status_code == 302, response.content[:500]
    assert response["Location"].startswith("/admin/images/"), response["Location"]
    exif, _ = _exif_of(CustomImage.objects.get(title="Allotment"))
    assert exif == {}


def test_alt_text_is_required(client_of, involvement_lead):
    response = client_of(involvement_lead).post(
        reverse("wagtailimages:add"),
        {
            "title": "No alt",
            "description": "",
            "file": SimpleUploadedFile("p.jpg", factories.jpeg_bytes(), "image/jpeg"),
        },
    )
    assert response.status_code == 200
    assert not CustomImage.objects.filter(title="No alt").exists()


def test_pixel_bomb_is_refused_at_upload(client_of, involvement_lead, settings):
    settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS = 1000
    response = client_of(involvement_lead).post(
        reverse("wagtailimages:add"),
        {
            "title": "Bomb",
            "description": "A very large image",
            "file": SimpleUploadedFile("p.jpg", factories.jpeg_bytes(), "image/jpeg"),
        },
    )
    assert response.status_code == 200
    assert not CustomImage.objects.exists()


def test_pillow_bomb_warning_is_an_error(monkeypatch):
    # Between MAX_IMAGE_PIXELS and twice that, Pillow only warns: we refuse.
    monkeypatch.setattr(PILImage, "MAX_IMAGE_PIXELS", 2000)
    with pytest.raises(ValidationError, match="too large"):
        check_image(io.BytesIO(factories.jpeg_bytes()))  # 3,072 pixels


def test_a_disguised_file_is_refused(client_of, involvement_lead):
    response = client_of(involvement_lead).post(
        reverse("wagtailimages:add"),
        {
            "title": "Not an image",
            "description": "x",
            "file": SimpleUploadedFile("x.jpg", b"GIF89a not really", "image/jpeg"),
        },
    )
    assert response.status_code == 200
    assert not CustomImage.objects.exists()
    with pytest.raises(ValidationError):
        check_image(io.BytesIO(b"<svg onload=alert(1)>"))


def test_renditions_are_made_on_publish(client, django_capture_on_commit_callbacks):
    image = factories.image()
    story = factories.story(publish=False)
    story.image = image
    story.save()
    assert not CustomRendition.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        story.save_revision().publish()
    specs = set(CustomRendition.objects.values_list("filter_spec", flat=True))
    assert {"width-400|format-webp", "width-800|format-webp"} <= specs
    count = CustomRendition.objects.count()
    html = client.get(story.url).content.decode()
    assert ".webp" in html and 'alt="Two hands holding a mug of tea"' in html
    assert CustomRendition.objects.count() == count  # the visitor made none


def test_a_png_whose_text_chunk_inflates_to_64_mb_is_too_large_not_a_server_error():
    import zlib

    out = io.BytesIO()
    PILImage.new("RGB", (2, 2)).save(out, format="PNG")
    png = out.getvalue()
    chunk = b"Comment\x00\x00" + zlib.compress(b"a" * (64 * 2**20), 9)
    at = png.index(b"IDAT") - 4
    body = b"zTXt" + chunk
    crafted = (
        png[:at] + len(chunk).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")
        + png[at:]
    )  # fmt: skip
    with pytest.raises(ValidationError, match="too large"):
        check_image(io.BytesIO(crafted))
