"""Training records and certificate uploads: type by content, size, no EXIF, owner-only files."""

import io
import zlib
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from tests.volunteering.factories import TrainingCourseFactory
from volunteering import services
from volunteering.models import TrainingCompletion, TrainingCourse, add_months

pytestmark = pytest.mark.django_db


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (40, 30), "orange")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0), 3: "W", 4: (0.0, 7.0, 0.0)}  # GPS
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def upload(client, course, content: bytes, name="certificate.jpg"):
    return client.post(
        reverse("volunteering:my_training"),
        {
            "course": course.pk,
            "completed_on": (timezone.localdate() - timedelta(days=3)).isoformat(),
            "certificate": SimpleUploadedFile(name, content),
        },
    )


@pytest.fixture
def course(db):
    return TrainingCourse.objects.get(slug="safeguarding")


def test_photo_is_re_encoded_without_gps(client_of, event_helper, course):
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)

    response = upload(client_of(event_helper), course, original)

    assert response.status_code == 302
    done = TrainingCompletion.objects.get(user=event_helper, course=course)
    with done.certificate.open("rb") as stored:
        image = Image.open(stored)
        assert image.format == "JPEG"
        assert not image.getexif()
    assert done.certificate.name.endswith(".jpg")
    assert "certificate" not in done.certificate.name.rsplit("/", 1)[-1]
    assert done.verified_at is None  # waits for a coordinator


def _pdf(extra: bytes = b"") -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(200, 100)
    writer.add_metadata({"/Author": "SECRET-AUTHOR"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue() + extra


def test_pdf_is_kept_rewritten(client_of, event_helper, course):
    response = upload(client_of(event_helper), course, _pdf(b"\nSECRET-AFTER-EOF"), name="mine.pdf")
    assert response.status_code == 302
    done = TrainingCompletion.objects.get(user=event_helper)
    assert done.certificate_type == "application/pdf"
    with done.certificate.open("rb") as stored:
        content = stored.read()
    assert content.startswith(b"%PDF-") and b"SECRET" not in content


def test_a_pdf_we_cannot_read_is_refused_plainly(client_of, event_helper, course):
    response = upload(client_of(event_helper), course, b"%PDF-1.7\n...", name="mine.pdf")
    assert response.status_code == 200
    assert "We could not open this PDF" in response.content.decode()
    assert not TrainingCompletion.objects.exists()


def test_a_jpeg_comment_does_not_survive_the_upload(client_of, event_helper, course):
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "orange").save(out, format="JPEG", comment=b"SECRET-COMMENT")
    upload(client_of(event_helper), course, out.getvalue())
    done = TrainingCompletion.objects.get(user=event_helper)
    with done.certificate.open("rb") as stored:
        assert b"SECRET-COMMENT" not in stored.read()


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"<script>alert(1)</script>", "certificate.pdf"),  # disguised by its name
        (b"GIF89a" + b"\0" * 20, "certificate.png"),
        (b"MZ\x90\x00", "certificate.jpg"),
    ],
)
def test_disguised_files_are_refused(client_of, event_helper, course, content, name):
    response = upload(client_of(event_helper), course, content, name=name)
    assert (
        "Please send a PDF, or a photo or scan as JPEG, PNG or WebP." in response.content.decode()
    )
    assert not TrainingCompletion.objects.exists()


def test_pixel_bomb_is_refused_before_decoding(client_of, event_helper, course):
    # A PNG header claiming 100,000 × 100,000 pixels, with almost no data behind it.
    image = Image.new("1", (1, 1))
    out = io.BytesIO()
    image.save(out, format="PNG")
    data = bytearray(out.getvalue())
    data[16:24] = (100_000).to_bytes(4, "big") + (100_000).to_bytes(4, "big")
    data[29:33] = zlib.crc32(bytes(data[12:29])).to_bytes(4, "big")  # a well-formed header
    response = upload(client_of(event_helper), course, bytes(data), name="bomb.png")
    assert response.status_code == 200
    # Told as too large (it is), not as the wrong type of file.
    assert "The picture is too large" in response.content.decode()
    assert not TrainingCompletion.objects.exists()


def test_too_big_is_refused(client_of, event_helper, course, settings):
    settings.MAX_UPLOAD_BYTES = 1000
    response = upload(client_of(event_helper), course, b"%PDF-" + b"x" * 2000)
    assert "The file is too big" in response.content.decode()


def test_future_date_is_refused(event_helper, course):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="cannot be in the future"):
        services.record_training(
            user=event_helper,
            course=course,
            completed_on=timezone.localdate() + timedelta(days=1),
            by=event_helper,
        )


def test_self_recorded_training_counts_once_verified(event_helper, coordinator, course):
    done = services.record_training(
        user=event_helper, course=course, completed_on=date(2026, 1, 31), by=event_helper
    )
    assert done.expires_on == date(2028, 1, 31)
    assert not TrainingCompletion.objects.valid_on(date(2026, 6, 1)).exists()

    services.verify_training(completion=done, by=coordinator)

    assert TrainingCompletion.objects.valid_on(date(2026, 6, 1)).get() == done


def test_coordinator_records_training_verified(coordinator, event_helper, course):
    done = services.record_training(
        user=event_helper, course=course, completed_on=date(2026, 1, 1), by=coordinator
    )
    assert done.verified_by == coordinator


def test_a_volunteer_cannot_record_training_for_someone_else(event_helper, other_volunteer, course):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.record_training(
            user=other_volunteer, course=course, completed_on=date(2026, 1, 1), by=event_helper
        )


def test_certificate_is_served_with_nosniff(client_of, training_with_certificate):
    response = client_of(training_with_certificate.user).get(
        reverse("volunteering:certificate", args=[training_with_certificate.pk])
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2026, 11, 15), 14, date(2028, 1, 15)),
    ],
)
def test_add_months(start, months, expected):
    assert add_months(start, months) == expected


def test_course_without_expiry_never_runs_out(event_helper):
    course = TrainingCourseFactory(valid_for_months=None)
    done = services.record_training(
        user=event_helper, course=course, completed_on=date(2020, 1, 1), by=event_helper
    )
    assert done.expires_on is None
