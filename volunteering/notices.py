"""What volunteering tells people. Each kind is declared once; its words are in
``volunteering/templates/volunteering/notices/``."""

from django.utils.translation import gettext_lazy as _

from notifications.inbound import register_reply_handler
from notifications.kinds import EMAIL, PUSH, SMS, Kind, register

GROUP = _("Volunteering")

register(
    Kind(
        name="volunteering.cleared",
        label=_("You are cleared for a role and can take its shifts"),
        template="volunteering/notices/cleared.txt",
        channels=(EMAIL, SMS, PUSH),
        group=GROUP,
    ),
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
        name="volunteering.shift_withdrawn",
        label=_("Someone gave up a place on your shift at short notice (coordinators)"),
        template="volunteering/notices/shift_withdrawn.txt",
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


def reply_to_shift_reminder(notification, word: str, person) -> str:
    """YES or NO in answer to a shift reminder's text (``notifications.inbound``)."""
    from volunteering.models import Shift
    from volunteering.services import answer_shift_reminder

    shift = Shift.objects.filter(pk=notification.context.get("shift_id")).first()
    if shift is None:
        return str(_("That shift is no longer on the rota. Nothing has changed."))
    return answer_shift_reminder(shift=shift, volunteer=person, word=word)


register_reply_handler("volunteering.shift_reminder", reply_to_shift_reminder)
