"""What mentoring tells people. Each kind is declared once; its words are in
``mentoring/templates/mentoring/notices/``."""

from django.utils.translation import gettext_lazy as _

from notifications.inbound import register_reply_handler
from notifications.kinds import EMAIL, PUSH, SMS, Kind, register

GROUP = _("Mentoring")

register(
    Kind(
        name="mentoring.invited",
        label=_("An invitation to the account a coordinator made for you"),
        template="mentoring/notices/invited.txt",
        channels=(EMAIL,),
        account_email=True,
        group=GROUP,
    ),
    Kind(
        name="mentoring.referred",
        label=_("When you are referred for a mentor, and what happens next"),
        template="mentoring/notices/referred.txt",
        channels=(EMAIL, SMS),
        group=GROUP,
    ),
    Kind(
        name="mentoring.referral_received",
        label=_("A new referral is waiting for a mentor (coordinators)"),
        template="mentoring/notices/referral_received.txt",
        channels=(EMAIL, PUSH),
        group=GROUP,
    ),
    Kind(
        name="mentoring.match_proposed",
        label=_("Someone could use your support as their mentor"),
        template="mentoring/notices/match_proposed.txt",
        channels=(EMAIL, SMS, PUSH),
        needs_answer=True,
        group=GROUP,
    ),
    Kind(
        name="mentoring.mentor_said_yes",
        label=_("A mentor said yes to meeting you"),
        template="mentoring/notices/mentor_said_yes.txt",
        channels=(EMAIL, SMS, PUSH),
        needs_answer=True,
        group=GROUP,
    ),
    Kind(
        name="mentoring.proposal_answered",
        label=_("A mentor answered your suggestion (coordinators)"),
        template="mentoring/notices/proposal_answered.txt",
        channels=(EMAIL, PUSH),
        group=GROUP,
    ),
    Kind(
        name="mentoring.match_started",
        label=_("Your mentee said yes: you can plan your first meeting"),
        template="mentoring/notices/match_started.txt",
        channels=(EMAIL, SMS, PUSH),
        group=GROUP,
    ),
    Kind(
        name="mentoring.meeting_planned",
        label=_("A meeting was planned for you"),
        template="mentoring/notices/meeting_planned.txt",
        channels=(EMAIL, SMS, PUSH),
        group=GROUP,
    ),
    Kind(
        name="mentoring.meeting_reminder",
        label=_("Reminders of your meetings (the day before and two hours before)"),
        template="mentoring/notices/meeting_reminder.txt",
        channels=(EMAIL, SMS, PUSH),
        replies=("YES", "NO"),
        group=GROUP,
    ),
    Kind(
        name="mentoring.meeting_changed",
        label=_("A meeting was moved or cancelled"),
        template="mentoring/notices/meeting_changed.txt",
        channels=(EMAIL, SMS, PUSH),
        group=GROUP,
    ),
)


def reply_to_meeting_reminder(notification, word: str, person) -> str:
    """YES or NO in answer to a reminder's text (``notifications.inbound``)."""
    from mentoring.models import Meeting
    from mentoring.services import answer_meeting_reminder

    meeting = (
        Meeting.objects.select_related("match__mentor", "match__mentee")
        .filter(pk=notification.context.get("meeting_id"))
        .first()
    )
    if meeting is None:
        return str(_("That meeting is no longer planned. Nothing has changed."))
    return answer_meeting_reminder(meeting=meeting, person=person, word=word)


register_reply_handler("mentoring.meeting_reminder", reply_to_meeting_reminder)
