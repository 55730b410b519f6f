from django.conf import settings

from accounts.hooks import nav_items


def navigation(request):
    user = getattr(request, "user", None)
    if user is None:
        return {}
    return {"nav_items": lambda: nav_items(user)}


def crisis_support(request):
    return {"crisis_support": settings.CRISIS_SUPPORT_LINES}
