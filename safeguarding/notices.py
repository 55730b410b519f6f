"""What safeguarding tells people: one kind, declared once; its words are in
``safeguarding/templates/safeguarding/notices/``. It never names anyone nor says what the worry
is, in any channel: the lead reads that behind log-in."""

from django.utils.translation import gettext_lazy as _

from notifications.kinds import EMAIL, PUSH, SMS, Kind, register

register(
    Kind(
        name="safeguarding.concern_raised",
        label=_("A new concern for safeguarding leads"),
        template="safeguarding/notices/concern_raised.txt",
        channels=(EMAIL, SMS, PUSH),
        optional=False,
        urgent=True,
        group=_("Keeping people safe"),
    ),
)
