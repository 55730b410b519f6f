"""Meetings of a match: planning, moving, cancelling, reminders, notes and worries."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from accounts.models import User
from mentoring.choices import MatchStatus, MeetingPlace, MeetingStatus
from mentoring.models import Match, Meeting, MeetingNote
from mentoring.permissions import MENTOR_WORKING, is_coordinator
from mentoring.services.base import when_words
from notifications import notify


def _require_mentor_or_coordinator(match: Match, by: User) -> None:
    if is_coordinator(by):
        return
    if match.mentor_id == by.pk and match.status in MENTOR_WORKING:
        return
    raise PermissionDenied


@transaction.atomic
def schedule_meeting(
    *,
    match: Match,
    by: User,
    starts_at: datetime,
    place_kind: str,
    place: str = "",
    minutes: int = 60,
) -> Meeting:
    """Schedule a meeting of an active match. The mentor or a coordinator; reminders follow."""
    _require_mentor_or_coordinator(match, by)
    if match.status != MatchStatus.ACTIVE:
        raise ValidationError(_("Meetings can be planned only while the match is active."))
    if timezone.is_naive(starts_at):
        raise ValueError("starts_at must be timezone-aware")
    if starts_at < timezone.now():
        raise ValidationError({"starts_at": _("Please choose a time in the future.")})
    if place_kind not in MeetingPlace.values:
        raise ValidationError({"place_kind": _("Choose how you will meet.")})
    meeting = Meeting.objects.create(
        match=match,
        starts_at=starts_at,
        minutes=minutes,
        place_kind=place_kind,
        place=(place or "").strip()[:200],
        scheduled_by=by,
    )
    audit.record(actor=by, action="meeting.scheduled", target=meeting, subject=match.mentee)
    notify(
        to=_others_in(match, by),
        kind="mentoring.meeting_planned",
        key=f"meeting:{meeting.pk}",
        context={
            "url": reverse("mentoring:meeting", args=[meeting.pk]),
            "when": when_words(meeting.starts_at),
            "where": str(meeting.where),
            "by_name": by.display_name,
        },
    )
    transaction.on_commit(lambda: enqueue_reminders(meeting))
    return meeting


def _others_in(match: Match, by: User) -> list[User]:
    """The people of the match who did not do it themselves (both, when a coordinator did)."""
    return [person for person in (match.mentor, match.mentee) if person.pk != by.pk]


def _tell_meeting_changed(meeting: Meeting, *, by: User, change: str, was: datetime) -> None:
    # Each move is news of its own; a cancellation happens once.
    key = f"meeting:{meeting.pk}:cancelled"
    if change == "moved":
        key = f"meeting:{meeting.pk}:moved:{timezone.now():%Y%m%d%H%M%S%f}"
    notify(
        to=_others_in(meeting.match, by),
        kind="mentoring.meeting_changed",
        key=key,
        context={
            "url": reverse("mentoring:meeting", args=[meeting.pk]),
            "change": change,
            "when": when_words(meeting.starts_at),
            "was": when_words(was),
            "where": str(meeting.where),
            "by_name": by.display_name,
        },
    )


def _locked_meeting(meeting: Meeting) -> Meeting:
    return (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("match__mentor", "match__mentee")
        .get(pk=meeting.pk)
    )


def can_move_meeting(meeting: Meeting, user: User) -> bool:
    """The mentor, the mentee or a coordinator, while the meeting is planned (the same people who
    may call it off: a mentee who cannot make it offers another time rather than only cancel)."""
    return can_cancel_meeting(meeting, user)


def can_cancel_meeting(meeting: Meeting, user: User) -> bool:
    """The mentor, the mentee or a coordinator, while the meeting is planned and to come."""
    match = meeting.match
    allowed = is_coordinator(user) or (
        user.pk in (match.mentor_id, match.mentee_id) and match.status in MENTOR_WORKING
    )
    return allowed and meeting.status == MeetingStatus.PLANNED


@transaction.atomic
def move_meeting(
    *,
    meeting: Meeting,
    by: User,
    starts_at: datetime,
    place_kind: str | None = None,
    place: str | None = None,
    minutes: int | None = None,
) -> Meeting:
    """Move a planned meeting to another time (and place). The mentor, the mentee or a
    coordinator (``can_move_meeting``); the other person (both, when a coordinator moves it) is
    told, and reminders follow the new time."""
    meeting = _locked_meeting(meeting)
    match = meeting.match
    if not can_move_meeting(meeting, by):
        if meeting.status != MeetingStatus.PLANNED and (
            is_coordinator(by) or by.pk in (match.mentor_id, match.mentee_id)
        ):
            raise ValidationError(_("Only a planned meeting can be moved."))
        raise PermissionDenied
    if timezone.is_naive(starts_at):
        raise ValueError("starts_at must be timezone-aware")
    if starts_at < timezone.now():
        raise ValidationError({"starts_at": _("Please choose a time in the future.")})
    if place_kind is not None and place_kind not in MeetingPlace.values:
        raise ValidationError({"place_kind": _("Choose how you will meet.")})
    was = meeting.starts_at
    meeting.starts_at = starts_at
    if place_kind is not None:
        meeting.place_kind = place_kind
    if place is not None:
        meeting.place = place.strip()[:200]
    if minutes is not None:
        meeting.minutes = minutes
    meeting.save(update_fields=["starts_at", "place_kind", "place", "minutes"])
    audit.record(
        actor=by,
        action="meeting.moved",
        target=meeting,
        subject=meeting.match.mentee,
        summary=f"{was:%Y-%m-%d %H:%M} -> {starts_at:%Y-%m-%d %H:%M}",
    )
    _tell_meeting_changed(meeting, by=by, change="moved", was=was)
    transaction.on_commit(lambda: enqueue_reminders(meeting))
    return meeting


@transaction.atomic
def cancel_meeting(*, meeting: Meeting, by: User) -> Meeting:
    """Call off a planned meeting. The mentor, the mentee or a coordinator; the other person
    (both, when a coordinator cancels) is told. Cancelling twice changes nothing."""
    meeting = _locked_meeting(meeting)
    if meeting.status == MeetingStatus.CANCELLED:
        return meeting
    if not can_cancel_meeting(meeting, by):
        if meeting.status != MeetingStatus.PLANNED and (
            is_coordinator(by) or by.pk in (meeting.match.mentor_id, meeting.match.mentee_id)
        ):
            raise ValidationError(_("Only a planned meeting can be cancelled."))
        raise PermissionDenied
    meeting.status = MeetingStatus.CANCELLED
    meeting.save(update_fields=["status"])
    audit.record(actor=by, action="meeting.cancelled", target=meeting, subject=meeting.match.mentee)
    _tell_meeting_changed(meeting, by=by, change="cancelled", was=meeting.starts_at)
    return meeting


def answer_meeting_reminder(*, meeting: Meeting, person: User, word: str) -> str:
    """A text reply to a meeting reminder: YES says they will be there, NO calls the meeting off
    (the other person is told). Returns the words of the confirmation text."""
    match = meeting.match
    if person.pk not in (match.mentor_id, match.mentee_id):
        raise PermissionDenied
    if meeting.status != MeetingStatus.PLANNED:
        return _("That meeting is no longer planned. Nothing has changed.")
    when = when_words(meeting.starts_at)
    if word.upper() == "YES":
        audit.record(actor=person, action="meeting.confirmed", target=meeting, subject=match.mentee)
        return _("Thank you. See you on %(when)s.") % {"when": when}
    if word.upper() == "NO":
        cancel_meeting(meeting=meeting, by=person)
        return _("The meeting on %(when)s is cancelled. We have told the other person.") % {
            "when": when
        }
    raise ValidationError(_("Please reply YES or NO."))


def enqueue_reminders(meeting: Meeting) -> None:
    """Queue the two reminders to run at their time; the daily sweep catches any that slip."""
    from mentoring.tasks import queue_reminder, reminder_times

    now = timezone.now()
    for kind, at in reminder_times(meeting).items():
        queue_reminder(meeting_id=meeting.pk, kind=kind, at=at, now=now)


@transaction.atomic
def set_meeting_status(*, meeting: Meeting, by: User, status: str) -> Meeting:
    _require_mentor_or_coordinator(meeting.match, by)
    if status not in MeetingStatus.values:
        raise ValidationError(_("Choose what happened."))
    if status == MeetingStatus.CANCELLED and meeting.status == MeetingStatus.PLANNED:
        return cancel_meeting(meeting=meeting, by=by)  # the other person is told
    if status in (MeetingStatus.HELD, MeetingStatus.MISSED) and meeting.starts_at > timezone.now():
        raise ValidationError(_("This meeting has not happened yet."))
    meeting.status = status
    meeting.save(update_fields=["status"])
    audit.record(
        actor=by,
        action="meeting.status",
        target=meeting,
        subject=meeting.match.mentee,
        summary=status,
    )
    return meeting


@transaction.atomic
def write_meeting_note(
    *, meeting: Meeting, by: User, notes: str, agreed_actions: str
) -> MeetingNote:
    """The mentor's notes after a meeting. Only the mentor of the match writes them."""
    if meeting.match.mentor_id != by.pk or meeting.match.status not in MENTOR_WORKING:
        raise PermissionDenied
    note, _created = MeetingNote.objects.update_or_create(
        meeting=meeting,
        defaults={
            "written_by": by,
            "notes": (notes or "").strip()[:5000],
            "agreed_actions": (agreed_actions or "").strip()[:2000],
        },
    )
    audit.record(actor=by, action="meeting.notes", target=note, subject=meeting.match.mentee)
    return note


def raise_meeting_concern(*, meeting: Meeting, by: User, summary: str):
    """A mentor's worry after a meeting goes into the safeguarding record."""
    from safeguarding.models import Source
    from safeguarding.services import raise_concern

    _require_mentor_or_coordinator(meeting.match, by)
    return raise_concern(
        raised_by=by,
        summary=summary,
        subject=meeting.match.mentee,
        source=Source.MEETING,
        source_ref=f"meeting:{meeting.pk}",
    )
