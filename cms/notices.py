"""What the public site tells people. Each kind is declared once; its words are in
``cms/templates/cms/notices/``."""

from django.utils.translation import gettext_lazy as _

from notifications.kinds import EMAIL, PUSH, SMS, Kind, register

GROUP = _("Events")

register(
    Kind(
        name="cms.event_reminder",
        label=_("A reminder the day before an event you have a place at"),
        template="cms/notices/event_reminder.txt",
        channels=(EMAIL, SMS, PUSH),
        group=GROUP,
    ),
    Kind(
        name="cms.event_place",
        label=_("A place came up at an event you were waiting for"),
        template="cms/notices/event_place.txt",
        channels=(EMAIL, SMS, PUSH),
        group=GROUP,
    ),
    Kind(
        name="cms.event_cancelled",
        label=_("An event you had a place at, or were waiting for, was cancelled"),
        template="cms/notices/event_cancelled.txt",
        channels=(EMAIL, SMS, PUSH),
        group=GROUP,
    ),
)
