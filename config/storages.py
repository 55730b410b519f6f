"""The two media storages in object storage (django-storages' S3 backend), from settings.

``base.py`` uses it when MEDIA_BUCKET is set; the storage tests use it against a local
S3-compatible server.
"""

from __future__ import annotations

S3 = "storages.backends.s3.S3Storage"


def bucket_storages(
    *,
    bucket: str,
    endpoint_url: str | None = None,
    region: str = "eu-west-2",
    access_key: str | None = None,
    secret_key: str | None = None,
    custom_domain: str | None = None,
    private_url_seconds: int = 60,
) -> dict[str, dict]:
    """Public files under ``public/`` (the bucket policy lets anyone read that prefix; long cache
    headers) and private files under ``private/``, handed out only as signed addresses that stop
    working after ``private_url_seconds``."""
    shared = {
        "bucket_name": bucket,
        "endpoint_url": endpoint_url or None,
        "region_name": region,
        "access_key": access_key or None,
        "secret_key": secret_key or None,
        "file_overwrite": False,
        "default_acl": None,
    }
    return {
        "default": {
            "BACKEND": S3,
            "OPTIONS": {
                **shared,
                "location": "public",
                "querystring_auth": False,
                "custom_domain": custom_domain or None,
                "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
            },
        },
        "private": {
            "BACKEND": S3,
            "OPTIONS": {
                **shared,
                "location": "private",
                "querystring_auth": True,
                "querystring_expire": private_url_seconds,
                "object_parameters": {"CacheControl": "private, no-store"},
            },
        },
    }
