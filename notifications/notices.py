"""The platform's own kinds of notice (each domain app declares its own in its notices.py)."""

from django.utils.translation import gettext_lazy as _

from notifications.kinds import EMAIL, PUSH, Kind, register

register(
    Kind(
        name="notifications.text_reply",
        label=_("Someone answered a text with a message"),
        template="notifications/kinds/text_reply.txt",
        channels=(EMAIL, PUSH),
        group=_("Coordinating"),
    ),
)
