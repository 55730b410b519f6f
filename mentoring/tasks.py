"""Background work: meeting reminders, the day before and two hours before.

A reminder is a notice keyed on the meeting, its time and the step
(``meeting:<id>:day_before:<time>``), so a task that runs twice, or the daily sweep catching up,
never tells anyone twice; a meeting moved to a new time gets reminders of its own.
"""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from mentoring.choices import MatchStatus, MeetingStatus, ReminderKind
from mentoring.models import Meeting
from notifications import notify

# A reminder that comes later than this is no use: the meeting is over or about to start.
TOO_LATE = timedelta(minutes=15)
# A reminder queued for a time the meeting has since been moved away from waits for the new one.
EARLY = timedelta(minutes=5)
KIND = "mentoring.meeting_reminder"


def reminder_key(meeting: Meeting, step: str) -> str:
    return f"meeting:{meeting.pk}:{step}:{meeting.starts_at:%Y%m%d%H%M}"


@task()
def send_meeting_reminder(meeting_id: int, kind: str) -> int:
    """Remind both people of a planned meeting; returns how many were told."""
    from mentoring.services import when_words

    meeting = (
        Meeting.objects.select_related("match__mentor", "match__mentee")
        .filter(pk=meeting_id, status=MeetingStatus.PLANNED, match__status=MatchStatus.ACTIVE)
        .first()
    )
    if meeting is None or kind not in ReminderKind.values:
        return 0
    now = timezone.now()
    left = meeting.starts_at - now
    if left < TOO_LATE or (kind == ReminderKind.DAY_BEFORE and left < timedelta(hours=3)):
        return 0  # too late to help, or the two-hours reminder is the useful one
    if reminder_times(meeting)[kind] > now + EARLY:
        return 0  # queued for the old time of a moved meeting; the new time has its own
    match = meeting.match
    told = 0
    for person, other in ((match.mentor, match.mentee), (match.mentee, match.mentor)):
        told += len(
            notify(
                to=person,
                kind=KIND,
                key=reminder_key(meeting, kind),
                context={
                    "url": reverse("mentoring:meeting", args=[meeting.pk]),
                    "step": str(kind),
                    "meeting_id": meeting.pk,
                    "other_name": other.display_name,
                    "when": when_words(meeting.starts_at),
                    "where": str(meeting.where),
                },
            )
        )
    return told


def reminder_times(meeting: Meeting) -> dict[str, object]:
    return {
        ReminderKind.DAY_BEFORE: meeting.starts_at - timedelta(days=1),
        ReminderKind.TWO_HOURS: meeting.starts_at - timedelta(hours=2),
    }


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


def _planned_meetings(now, *, until) -> list[Meeting]:
    """Planned meetings of active matches starting from too late to remind, up to ``until``."""
    return list(
        Meeting.objects.filter(
            status=MeetingStatus.PLANNED,
            match__status=MatchStatus.ACTIVE,
            starts_at__gt=now + TOO_LATE,
            starts_at__lte=until,
        )
    )


def enqueue_due_reminders(now) -> int:
    """The daily safety net: queue every reminder due within the next day. One already sent is
    not sent again (its notice exists), so running this twice is safe."""
    from notifications.models import Notification

    horizon = now + timedelta(days=1, hours=2)
    meetings = _planned_meetings(now, until=horizon + timedelta(days=1))
    wanted = {
        reminder_key(meeting, kind): (meeting, kind, at)
        for meeting in meetings
        for kind, at in reminder_times(meeting).items()
        if at <= horizon
    }
    done = set(
        Notification.objects.filter(kind=KIND, key__in=list(wanted)).values_list("key", flat=True)
    )
    queued = 0
    for key, (meeting, kind, at) in wanted.items():
        if key not in done:
            queued += queue_reminder(meeting_id=meeting.pk, kind=kind, at=at, now=now)
    return queued


def send_due_reminders(now) -> int:
    """Between daily sweeps (``manage.py run_due``, every few minutes): send, here and now, every
    reminder whose time has come and that nobody has sent yet, so the two-hours reminder is not
    lost where the task backend cannot wait. Only reminders already due, never one queued ahead:
    running this often adds nothing to the task queue. Returns how many meetings were reminded."""
    from notifications.models import Notification

    meetings = _planned_meetings(now, until=now + timedelta(days=1))
    wanted = {
        reminder_key(meeting, kind): (meeting, kind)
        for meeting in meetings
        for kind, at in reminder_times(meeting).items()
        if at <= now
        # Within three hours only the two-hours reminder helps (send_meeting_reminder says so).
        and not (kind == ReminderKind.DAY_BEFORE and meeting.starts_at - now < timedelta(hours=3))
    }
    done = set(
        Notification.objects.filter(kind=KIND, key__in=list(wanted)).values_list("key", flat=True)
    )
    return sum(
        send_meeting_reminder.call(meeting_id=meeting.pk, kind=kind) > 0
        for key, (meeting, kind) in wanted.items()
        if key not in done
    )
