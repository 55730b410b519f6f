"""Certificates are private files, public images are public, on both storages: this machine's
disk, and S3-compatible object storage (a local moto server on loopback, started and stopped
here). Settings are the production ones (DEBUG off), with only the storages swapped."""

from __future__ import annotations

import io
import json
import socket
import urllib.error
import urllib.request
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from accounts.models import AuditEvent
from accounts.roles import Role
from accounts.storage import private_storage
from config.storages import bucket_storages
from tests.factories import person
from volunteering.models import TrainingCompletion, TrainingCourse

pytestmark = pytest.mark.django_db
BUCKET = "alongside-test-media"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    """A local S3-compatible server (moto) on loopback, with one bucket."""
    import boto3
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    s3 = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="eu-west-2",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )
    s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-2"})
    # The bucket policy the README asks for: anyone may read public/, nobody else anything.
    public_read = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{BUCKET}/public/*",
            }
        ],
    }
    s3.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(public_read))
    yield endpoint
    server.stop()


@pytest.fixture(params=["disk", "bucket"])
def storage_kind(request, settings):
    if request.param == "bucket":
        endpoint = request.getfixturevalue("s3_endpoint")
        settings.STORAGES = {
            **settings.STORAGES,
            **bucket_storages(
                bucket=BUCKET,
                endpoint_url=endpoint,
                access_key="test",
                secret_key="test",
                private_url_seconds=60,
            ),
        }
    return request.param


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "teal").save(out, format="JPEG")
    return out.getvalue()


def uploaded_certificate(client, owner) -> TrainingCompletion:
    course = TrainingCourse.objects.get(slug="safeguarding")
    response = client.post(
        reverse("volunteering:my_training"),
        {
            "course": course.pk,
            "completed_on": (timezone.localdate() - timedelta(days=3)).isoformat(),
            "certificate": SimpleUploadedFile("my-certificate.jpg", jpeg()),
        },
    )
    assert response.status_code == 302
    return TrainingCompletion.objects.get(user=owner, course=course)


def fetch(url: str) -> tuple[int, bytes, dict]:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:  # noqa: S310 - loopback only
            return answer.status, answer.read(), {k.lower(): v for k, v in answer.headers.items()}
    except urllib.error.HTTPError as error:
        return error.code, b"", dict(error.headers)


def test_a_certificate_opens_for_its_owner_and_a_coordinator_only(
    storage_kind, client_of, event_helper
):
    owner = client_of(event_helper)
    done = uploaded_certificate(owner, event_helper)
    name = done.certificate.name
    assert private_storage.exists(name)
    assert not default_storage.exists(name)  # never among the public files
    address = reverse("volunteering:certificate", args=[done.pk])

    anonymous = Client().get(address)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    other_volunteer = person(Role.VOLUNTEER)
    assert client_of(other_volunteer).get(address).status_code == 404

    seen_before = AuditEvent.objects.filter(action="viewed").count()
    for viewer in (owner, client_of(person(Role.COORDINATOR))):
        response = viewer.get(address)
        if storage_kind == "disk":
            assert response.status_code == 200
            assert "no-store" in response["Cache-Control"]  # never kept in a cache
            body = b"".join(response.streaming_content)
        else:
            assert response.status_code == 302
            signed = response["Location"]
            query = parse_qs(urlsplit(signed).query)
            assert query["X-Amz-Expires"] == ["60"] and "X-Amz-Signature" in query
            assert urlsplit(signed).path.startswith(f"/{BUCKET}/private/")
            status, body, _headers = fetch(signed)
            assert status == 200
            unsigned = signed.split("?", 1)[0]
            assert fetch(unsigned)[0] == 403  # the bucket hands it to nobody without a signature
        assert Image.open(io.BytesIO(body)).format == "JPEG"
    # The coordinator's look is in the audit trail; the owner's own is not.
    assert AuditEvent.objects.filter(action="viewed").count() == seen_before + 1

    if storage_kind == "disk":
        # No address under /media/ reaches a private file, even with the name known.
        assert Client().get(f"/media/{name}").status_code == 404
        assert owner.get(f"/media/../.test-private-media/{name}").status_code in (400, 404)


def test_public_images_are_served_in_production_with_long_cache_headers(storage_kind):
    name = default_storage.save("images/river.width-400.jpg", ContentFile(jpeg()))
    url = default_storage.url(name)
    if storage_kind == "disk":
        response = Client().get(url)
        assert response.status_code == 200
        assert "immutable" in response["Cache-Control"]
        assert response["X-Content-Type-Options"] == "nosniff"
    else:
        parts = urlsplit(url)
        assert parts.path == f"/{BUCKET}/public/{name}" and not parts.query  # no signature
        status, body, headers = fetch(url)
        assert status == 200 and Image.open(io.BytesIO(body)).format == "JPEG"
        assert "immutable" in headers.get("cache-control", "")
    default_storage.delete(name)
