from __future__ import annotations

from django.http import Http404

from notifications.models import Notification


def access_notification(user, pk) -> Notification:
    """The person's own notice; anyone else's (or a missing one) is the same 404."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    notification = Notification.objects.filter(pk=pk, recipient_id=user.pk).first()
    if notification is None:
        raise Http404
    return notification
