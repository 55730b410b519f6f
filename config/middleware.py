from django.conf import settings


class AdminContentSecurityPolicyMiddleware:
    """Give the Wagtail admin (excluded from the strict site policy) a policy of its own.

    Wagtail's admin still relies on inline scripts and styles, so the strict policy would break it;
    this one allows those but, like the site's, names no third-party host.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith("/admin/") and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = settings.ADMIN_CONTENT_SECURITY_POLICY
        return response


class PermissionsPolicyMiddleware:
    """Switch off browser features the site never uses (camera, microphone, location, payment…)
    on every response, static files and error pages included: first in MIDDLEWARE for that."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
