from django.conf import settings
from django.http import Http404


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


class PolicyMiddleware:
    """Enforce the role cells of the access-policy table (config/policy.py) on every request.

    A page of ours whose URL name has no row is refused; a row with relation cells (the person it
    belongs to, their mentor…) lets signed-in people through to the view, whose access helper
    checks the object. Runs after LoginRequiredMiddleware, so the anonymous are sent to log in.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from config.policy import OUR_MODULES, allows_role_gate

        module = (getattr(view_func, "__module__", "") or "").split(".")[0]
        if module not in OUR_MODULES:
            return None
        match = request.resolver_match
        if not allows_role_gate(match.view_name if match else "", request.user):
            raise Http404
        return None


class PermissionsPolicyMiddleware:
    """Switch off browser features the site never uses (camera, microphone, location, payment…)
    on every response, static files and error pages included: first in MIDDLEWARE for that."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
