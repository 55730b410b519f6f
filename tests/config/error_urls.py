"""The site's URLs plus pages that fail on purpose, for tests/config/test_error_pages.py."""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path

from config.urls import handler500
from config.urls import urlpatterns as site_urlpatterns


@login_not_required
def boom(request):
    raise RuntimeError("a bug")


@login_not_required
def forbidden(request):
    raise PermissionDenied


@login_not_required
def suspicious(request):
    raise SuspiciousOperation("odd")


urlpatterns = [
    path("test-boom/", boom),
    path("test-forbidden/", forbidden),
    path("test-suspicious/", suspicious),
    *site_urlpatterns,
]

__all__ = ["handler500", "urlpatterns"]
