"""What chat tells people through the notifications layer (imported from ChatConfig.ready)."""

from django.utils.translation import gettext_lazy as _

from notifications.kinds import EMAIL, PUSH, SMS, Kind, register

GROUP = _("Chat")

register(
    Kind(
        name="chat.crisis",
        label=_("Someone in a chat may be in danger (when you are on call)"),
        template="chat/notices/crisis.txt",
        channels=(EMAIL, SMS, PUSH),
        optional=False,
        urgent=True,
        group=GROUP,
    ),
    Kind(
        name="chat.crisis_escalated",
        label=_("Nobody picked up a crisis in chat in time (safeguarding leads)"),
        template="chat/notices/crisis_escalated.txt",
        channels=(EMAIL, SMS, PUSH),
        optional=False,
        urgent=True,
        group=GROUP,
    ),
    Kind(
        name="chat.check_in",
        label=_("A moderator checks in with you privately"),
        template="chat/notices/check_in.txt",
        channels=(EMAIL, SMS, PUSH),
        optional=False,
        urgent=True,
        group=GROUP,
    ),
    Kind(
        name="chat.check_in_reply",
        label=_("Someone answered your private check-in"),
        template="chat/notices/check_in_reply.txt",
        channels=(EMAIL, SMS, PUSH),
        optional=False,
        urgent=True,
        group=GROUP,
    ),
)
