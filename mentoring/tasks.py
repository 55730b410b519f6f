"""Background work: meeting reminders, the day before and two hours before.

Each reminder is recorded once per meeting, person and kind (a unique row), so a task that runs
twice, or the daily sweep catching up, never sends a second one.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.defaultfilters import date as date_filter
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from mentoring.choices import MatchStatus, MeetingStatus, ReminderKind
from mentoring.models import Meeting, Reminder

# A reminder that comes later than this is no use: the meeting is over or about to start.
TOO_LATE = timedelta(minutes=15)


@task()
def send_meeting_reminder(meeting_id: int, kind: str) -> int:
    """Remind both people of a planned meeting; returns how many reminders went out."""
    meeting = (
        Meeting.objects.select_related("match__mentor", "match__mentee")
        .filter(pk=meeting_id, status=MeetingStatus.PLANNED, match__status=MatchStatus.ACTIVE)
        .first()
    )
    if meeting is None:
        return 0
    left = meeting.starts_at - timezone.now()
    if left < TOO_LATE or (kind == ReminderKind.DAY_BEFORE and left < timedelta(hours=3)):
        return 0  # too late to help, or the two-hours reminder is the useful one
    sent = 0
    for person in (meeting.match.mentor, meeting.match.mentee):
        try:
            with transaction.atomic():
                Reminder.objects.create(meeting=meeting, person=person, kind=kind)
                transaction.on_commit(lambda person=person: _email(meeting, person, kind))
        except IntegrityError:
            continue  # already reminded
        sent += 1
    return sent


def reminder_times(meeting: Meeting) -> dict[str, object]:
    return {
        ReminderKind.DAY_BEFORE: meeting.starts_at - timedelta(days=1),
        ReminderKind.TWO_HOURS: meeting.starts_at - timedelta(hours=2),
    }


def _email(meeting: Meeting, person, kind: str) -> None:
    other = meeting.match.mentee if person.pk == meeting.match.mentor_id else meeting.match.mentor
    when = date_filter(timezone.localtime(meeting.starts_at), "l j F, H:i")
    subject = (
        _("Tomorrow: meeting with %(name)s")
        if kind == ReminderKind.DAY_BEFORE
        else _("In two hours: meeting with %(name)s")
    ) % {"name": other.display_name}
    body = _("%(when)s. %(where)s. If you cannot make it, please let them know.") % {
        "when": when,
        "where": meeting.where,
    }
    send_mail(subject=subject, message=body, from_email=None, recipient_list=[person.email])


def queue_reminder(*, meeting_id: int, kind: str, at, now) -> bool:
    """Queue one reminder to run at ``at``. A backend that cannot wait (the immediate one used on
    a laptop and in tests) gets only reminders already due; the daily sweep sends the rest."""
    if send_meeting_reminder.get_backend().supports_defer:
        send_meeting_reminder.using(run_after=max(at, now)).enqueue(
            meeting_id=meeting_id, kind=kind
        )
        return True
    if at <= now:
        send_meeting_reminder.enqueue(meeting_id=meeting_id, kind=kind)
        return True
    return False


def enqueue_due_reminders(now) -> int:
    """The daily safety net: queue every reminder due within the next day that was not sent."""
    horizon = now + timedelta(days=1, hours=2)
    meetings = Meeting.objects.filter(
        status=MeetingStatus.PLANNED,
        match__status=MatchStatus.ACTIVE,
        starts_at__gt=now + TOO_LATE,
        starts_at__lte=horizon + timedelta(days=1),
    ).prefetch_related("reminders")
    queued = 0
    for meeting in meetings:
        done = {reminder.kind for reminder in meeting.reminders.all()}
        for kind, at in reminder_times(meeting).items():
            if kind in done or at > horizon:
                continue
            queued += queue_reminder(meeting_id=meeting.pk, kind=kind, at=at, now=now)
    return queued
