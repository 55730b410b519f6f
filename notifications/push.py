"""Web push to the installed app, with VAPID keys from the environment (pywebpush).

Optional for the person and never the only channel: a kind that may use push also goes by e-mail
or text as the person chose.
"""

from __future__ import annotations

import json

from django.conf import settings


class PushError(Exception):
    pass


def push_enabled() -> bool:
    return bool(settings.VAPID_PRIVATE_KEY and settings.VAPID_PUBLIC_KEY)


def send_push(user, payload: dict) -> int:
    """Send ``payload`` to each of the person's subscribed browsers; returns how many took it.
    A subscription the push service says is gone (404 or 410) is removed."""
    if not push_enabled():
        return 0
    from pywebpush import WebPushException, webpush

    sent = 0
    for subscription in list(user.push_subscriptions.all()):
        try:
            webpush(
                subscription_info={
                    "endpoint": subscription.endpoint,
                    "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
                },
                data=json.dumps(payload),
                vapid_private_key=settings.VAPID_PRIVATE_KEY,
                vapid_claims={"sub": settings.VAPID_SUBJECT},
                ttl=24 * 3600,
                timeout=10,
            )
        except WebPushException as error:
            status = getattr(error.response, "status_code", None)
            if status in (404, 410):
                subscription.delete()
                continue
            raise PushError(f"The push service refused it ({status})") from error
        sent += 1
    return sent
