"""What volunteering tells people. Each kind is declared once; its words are in
``volunteering/templates/volunteering/notices/``."""

from django.utils.translation import gettext_lazy as _

from notifications.kinds import EMAIL, PUSH, SMS, Kind, register

GROUP = _("Volunteering")

register(
    Kind(
        name="volunteering.shift_reminder",
        label=_("A reminder the day before your shift"),
        template="volunteering/notices/shift_reminder.txt",
        channels=(EMAIL, SMS, PUSH),
        replies=("YES", "NO"),
        group=GROUP,
    ),
    Kind(
        name="volunteering.shift_place",
        label=_("A place came up on a shift you were waiting for"),
        template="volunteering/notices/shift_place.txt",
        channels=(EMAIL, SMS, PUSH),
        group=GROUP,
    ),
    Kind(
        name="volunteering.shift_changed",
        label=_("A shift you are on was changed or cancelled"),
        template="volunteering/notices/shift_changed.txt",
        channels=(EMAIL, SMS, PUSH),
        group=GROUP,
    ),
    Kind(
        name="volunteering.expiry_warning",
        label=_("Your check or training needs renewing soon"),
        template="volunteering/notices/expiry_warning.txt",
        channels=(EMAIL, PUSH),
        group=GROUP,
    ),
    Kind(
        name="volunteering.hours_decided",
        label=_("Your hours were approved or sent back"),
        template="volunteering/notices/hours_decided.txt",
        channels=(EMAIL, PUSH),
        group=GROUP,
    ),
)
