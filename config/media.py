"""Public media (story and event images and their renditions) when they are kept on this
machine's disk: served in production too, with long cache headers, since a rendition's name
changes whenever its picture does. Private files live in another folder (accounts.storage) that
no address reaches. With MEDIA_BUCKET set, images come straight from the bucket instead.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.views.decorators.http import require_safe
from django.views.static import serve

YEAR = 365 * 24 * 3600
IMAGES = ("images/", "original_images/")


@login_not_required
@require_safe
def public_media(request, path: str):
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    if path.startswith(IMAGES):
        response["Cache-Control"] = f"public, max-age={YEAR}, immutable"
    else:
        response["Cache-Control"] = "public, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response
