from accounts.hooks import nav_items


def navigation(request):
    user = getattr(request, "user", None)
    if user is None:
        return {}
    return {"nav_items": lambda: nav_items(user)}
