from django.utils.functional import SimpleLazyObject


def unread(request):
    """The unread count in the header, counted only when a page shows it (one query)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def count():
        from notifications.selectors import unread_count

        return unread_count(user)

    return {"unread_notifications": SimpleLazyObject(count)}
