"""What chat tells people: declared once; the words are in ``chat/templates/chat/notices/``."""

from django.utils.translation import gettext_lazy as _

from notifications.kinds import EMAIL, PUSH, SMS, Kind, register

register(
    Kind(
        name="chat.crisis_alert",
        label=_("Someone in a room you moderate may need help now"),
        template="chat/notices/crisis_alert.txt",
        channels=(EMAIL, SMS, PUSH),
        optional=False,
        urgent=True,
        group=_("Keeping people safe"),
    ),
)
