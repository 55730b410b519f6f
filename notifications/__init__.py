"""One way to tell people things: the inbox, e-mail, text messages (both ways) and web push.

Domain apps declare what they tell people once, as a ``Kind`` (``notifications.kinds``), in their
own ``notices.py``, and call ``notifications.notify(...)`` from their services. This package imports
only ``accounts``.
"""

from __future__ import annotations


def notify(**kwargs):
    """See ``notifications.services.notify``; importable before the app registry is ready."""
    from notifications.services import notify as _notify

    return _notify(**kwargs)


def resolve(**kwargs):
    """See ``notifications.services.resolve``."""
    from notifications.services import resolve as _resolve

    return _resolve(**kwargs)
