"""Outcomes actions. Each authorises (object-level), validates, changes state in a transaction,
audits and notifies after commit. PermissionDenied becomes a 404 in the views; ValidationError a
plain message with nothing changed.
"""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from accounts.models import ConsentPurpose, User
from accounts.services import give_consent, has_consent
from mentoring import services as mentoring_services
from mentoring import signals
from mentoring.choices import EndReason, MatchStatus, MeetingStatus, PauseReason
from mentoring.models import Match, MatchEvent, Meeting
from mentoring.outcomes import questionnaires
from mentoring.outcomes.models import (
    ClockKind,
    Face,
    FreshStart,
    MeetingFeedback,
    MilestoneClock,
    OutcomeSharing,
    Phase,
    Reflection,
    Response,
    ResumeWish,
)
from mentoring.permissions import is_coordinator
from notifications import notify

# Closing a match: the endings, and two pauses that keep the history and can start again.
PAUSED_CUSTODY = "paused_custody"
PAUSED_RELAPSE = "paused_relapse"
PAUSES = {PAUSED_CUSTODY: PauseReason.RECALL, PAUSED_RELAPSE: PauseReason.RELAPSE}
CLOSE_CHOICES = [
    *EndReason.choices,
    (PAUSED_CUSTODY, _("Paused: back in custody")),
    (PAUSED_RELAPSE, _("Paused: relapse")),
]


def _require_self(person: User, by: User) -> None:
    if person.pk != by.pk:
        raise PermissionDenied


def _require_member(match: Match, by: User) -> None:
    if by.pk not in (match.mentor_id, match.mentee_id):
        raise PermissionDenied


# --- Questionnaires and "How things are" --------------------------------------------------------


@transaction.atomic
def start_questionnaire(
    *,
    person: User,
    by: User,
    slug: str = questionnaires.SELF_CHECK,
    agree: bool = False,
    with_mentor: bool = False,
    last: bool = False,
) -> Response:
    """Begin (or carry on with) a questionnaire. The person only, and only with their consent on
    record: ``agree=True`` records it now. Nothing is saved without it."""
    _require_self(person, by)
    definition = questionnaires.load_all().get(slug)
    if definition is None or not definition.enabled:
        raise PermissionDenied
    if not has_consent(person, ConsentPurpose.OUTCOMES):
        if not agree:
            raise ValidationError(
                _("To keep your answers we need your agreement. Tick the box to agree.")
            )
        give_consent(user=person, purpose=ConsentPurpose.OUTCOMES)
    unfinished = (
        Response.objects.filter(person=person, questionnaire=slug, completed_at__isnull=True)
        .order_by("-started_at")
        .first()
    )
    match = (
        Match.objects.filter(mentee=person, status__in=[MatchStatus.ACTIVE, MatchStatus.PAUSED])
        .order_by("-activated_at")
        .first()
    )
    if last:
        match = Match.objects.filter(mentee=person).order_by("-ended_at", "-id").first()
    if match is None or last:
        phase = Phase.LAST if last else Phase.REGULAR
    else:
        done_before = Response.objects.completed().filter(
            person=person, questionnaire=slug, match=match
        )
        phase = Phase.REGULAR if done_before.exists() else Phase.START
    if unfinished is not None:
        unfinished.with_mentor, unfinished.phase, unfinished.match = with_mentor, phase, match
        unfinished.save(update_fields=["with_mentor", "phase", "match"])
        return unfinished
    response = Response.objects.create(
        person=person,
        questionnaire=slug,
        version=definition.version,
        match=match,
        phase=phase,
        with_mentor=with_mentor,
    )
    audit.record(actor=by, action="outcomes.started", target=response, subject=person)
    return response


def _locked_response(response: Response) -> Response:
    found = Response.objects.select_for_update().select_related("person").filter(pk=response.pk)
    locked = found.first()
    if locked is None:  # erased when consent was taken back
        raise ValidationError(_("To keep your answers we need your agreement first."))
    return locked


def _require_open(response: Response, by: User) -> None:
    _require_self(response.person, by)
    if response.completed_at is not None:
        raise ValidationError(_("These answers are already saved."))
    if not has_consent(response.person, ConsentPurpose.OUTCOMES):
        raise ValidationError(_("To keep your answers we need your agreement first."))


@transaction.atomic
def answer_item(
    *, response: Response, by: User, item: str, value: int | None, words: str = ""
) -> Response:
    """Record one answer. ``value=None`` skips the question (and forgets an earlier answer)."""
    response = _locked_response(response)
    _require_open(response, by)
    definition = questionnaires.get(response.questionnaire)
    found = definition.item(item)
    if found is None:
        raise ValidationError(_("That question is not part of this check."))
    if value is not None and value not in found.scale.values:
        raise ValidationError(_("Choose one of the answers, or skip this one."))
    words = (words or "").strip()[:280]
    if value is None:
        response.answers.pop(item, None)
    else:
        response.answers[item] = value
    if words:
        response.words[item] = words
    else:
        response.words.pop(item, None)
    response.save(update_fields=["answers", "words"])
    return response


@transaction.atomic
def finish_questionnaire(*, response: Response, by: User) -> Response:
    response = _locked_response(response)
    _require_open(response, by)
    response.completed_at = timezone.now()
    response.save(update_fields=["completed_at"])
    audit.record(
        actor=by,
        action="outcomes.answered",
        target=response,
        subject=response.person,
        summary=response.questionnaire,
    )
    return response


@transaction.atomic
def set_outcome_sharing(*, mentee: User, by: User, domains: list[str]) -> OutcomeSharing:
    """Which areas of "How things are" the mentee's mentor may see, area by area."""
    _require_self(mentee, by)
    known = {domain.key for domain in questionnaires.self_check().domains}
    if not set(domains) <= known:
        raise ValidationError(_("Choose from the list."))
    row, _created = OutcomeSharing.objects.get_or_create(mentee=mentee)
    row.domains = sorted(set(domains))
    row.save(update_fields=["domains", "updated_at"])
    audit.record(
        actor=by,
        action="outcomes.sharing_changed",
        target=row,
        subject=mentee,
        summary=",".join(row.domains),
    )
    return row


def forget_answers(*, person: User, purpose: str) -> int:
    """Consent to keep answers taken back: every answer is erased at once (the audit trail keeps
    only that it happened). Called by accounts inside the withdrawal's transaction."""
    if purpose != ConsentPurpose.OUTCOMES:
        return 0
    erased, _by_model = Response.objects.filter(person=person).delete()
    if erased:
        audit.record(actor=person, action="outcomes.erased", target=person, subject=person)
    return erased


# --- After a meeting ----------------------------------------------------------------------------


@transaction.atomic
def give_meeting_feedback(
    *, meeting: Meeting, by: User, face: int, line: str = ""
) -> MeetingFeedback:
    """ "How did it go?": the mentor or the mentee of the meeting, once it has started."""
    match = meeting.match
    _require_member(match, by)
    if meeting.starts_at > timezone.now():
        raise ValidationError(_("You can say how it went after the meeting."))
    if meeting.status in (MeetingStatus.CANCELLED, MeetingStatus.MISSED):
        raise ValidationError(_("This meeting did not happen."))
    if face not in Face.values:
        raise ValidationError(_("Choose a face."))
    row, _created = MeetingFeedback.objects.update_or_create(
        meeting=meeting,
        person=by,
        defaults={"face": face, "line": (line or "").strip()[:280]},
    )
    audit.record(actor=by, action="meeting.feedback", target=meeting, subject=match.mentee)
    return row


@transaction.atomic
def move_meeting(*, meeting: Meeting, by: User, starts_at: datetime) -> Meeting:
    """Move a planned meeting to a new time (the mentor or a coordinator); reminders follow."""
    match = meeting.match
    if not (
        is_coordinator(by) or (match.mentor_id == by.pk and match.status == MatchStatus.ACTIVE)
    ):
        raise PermissionDenied
    if meeting.status != MeetingStatus.PLANNED:
        raise ValidationError(_("Only a planned meeting can be moved."))
    if timezone.is_naive(starts_at):
        raise ValueError("starts_at must be timezone-aware")
    if starts_at < timezone.now():
        raise ValidationError({"starts_at": _("Please choose a time in the future.")})
    meeting.starts_at = starts_at
    meeting.save(update_fields=["starts_at"])
    # Reminders already sent are remembered per meeting and kind, so none goes twice.
    audit.record(actor=by, action="meeting.moved", target=meeting, subject=match.mentee)
    transaction.on_commit(lambda: mentoring_services.enqueue_reminders(meeting))
    return meeting


# --- Ending well --------------------------------------------------------------------------------


def close_match(*, match: Match, by: User, reason: str, note: str = "") -> Match:
    """Close a match with a reason (coordinators). "Paused: back in custody" and "Paused:
    relapse" pause it instead: the history is kept and both people can start again."""
    if reason in PAUSES:
        if not is_coordinator(by):
            raise PermissionDenied
        return mentoring_services.pause_match(match=match, by=by, reason=PAUSES[reason], note=note)
    return mentoring_services.end_match(match=match, by=by, reason=reason, note=note)


@transaction.atomic
def write_reflection(*, match: Match, by: User, helped: str, change: str) -> Reflection:
    """What helped and what they would change: each of the two people, once the match has
    ended or paused."""
    _require_member(match, by)
    if match.status not in (MatchStatus.ENDED, MatchStatus.PAUSED):
        raise ValidationError(_("You can write this when the match ends or pauses."))
    helped, change = (helped or "").strip()[:1000], (change or "").strip()[:1000]
    if not helped and not change:
        raise ValidationError(_("Write a few words in one of the boxes, or leave this page."))
    row, _created = Reflection.objects.update_or_create(
        match=match, person=by, defaults={"helped": helped, "change": change}
    )
    audit.record(actor=by, action="match.reflection", target=match, subject=match.mentee)
    return row


@transaction.atomic
def wish_to_start_again(*, match: Match, by: User) -> Match:
    """One of the two people of a paused match wants to start again. When both have said so the
    match is active again, with the same mentor and all its history."""
    match = Match.objects.select_for_update().select_related("mentor", "mentee").get(pk=match.pk)
    _require_member(match, by)
    if match.status != MatchStatus.PAUSED:
        raise ValidationError(_("Only a paused match can start again."))
    ResumeWish.objects.get_or_create(match=match, person=by)
    audit.record(actor=by, action="match.wish_to_resume", target=match, subject=match.mentee)
    wished = set(ResumeWish.objects.filter(match=match).values_list("person_id", flat=True))
    if {match.mentor_id, match.mentee_id} <= wished and match.mentor.is_active:
        match.status = MatchStatus.ACTIVE
        match.save(update_fields=["status"])
        MatchEvent.objects.create(match=match, status=match.status, by=by, note="both agreed")
        ResumeWish.objects.filter(match=match).delete()
        audit.record(actor=by, action="match.resumed", target=match, subject=match.mentee)
        ids = {"match_id": match.pk, "mentor_id": match.mentor_id, "mentee_id": match.mentee_id}
        transaction.on_commit(lambda: signals.match_activated.send(sender=Match, **ids))
    return match


# --- Milestones ---------------------------------------------------------------------------------


@transaction.atomic
def set_milestone_date(
    *, person: User, by: User, kind: str, started_on: date, shared_with_mentor: bool = False
) -> MilestoneClock:
    """A recovery or release date the person counts from. Only they set it; private unless
    they tick "my mentor may see this"."""
    _require_self(person, by)
    if kind not in ClockKind.values:
        raise ValidationError(_("Choose which date this is."))
    if started_on > timezone.localdate():
        raise ValidationError({"started_on": _("Choose a date that has come already.")})
    clock, _created = MilestoneClock.objects.update_or_create(
        person=person,
        kind=kind,
        defaults={"started_on": started_on, "shared_with_mentor": shared_with_mentor},
    )
    FreshStart.objects.filter(clock=clock, on__lte=started_on).delete()
    audit.record(actor=by, action="milestones.set", target=clock, subject=person, summary=kind)
    return clock


@transaction.atomic
def start_again(*, clock: MilestoneClock, by: User, on: date) -> FreshStart:
    """Starting again after a lapse: the good days before are kept in the total."""
    _require_self(clock.person, by)
    if not clock.started_on < on <= timezone.localdate():
        raise ValidationError({"on": _("Choose a day after your date and not in the future.")})
    fresh = FreshStart.objects.create(clock=clock, on=on)
    audit.record(actor=by, action="milestones.start_again", target=clock, subject=clock.person)
    return fresh


# --- Reminders ----------------------------------------------------------------------------------


def remind_self_checks_due(now: datetime) -> int:
    """Tell each mentee in an active match whose self-check is due (never done, or the last one
    is ``every_days`` old). One notice per person per month, however often this runs."""
    from mentoring.outcomes.selectors import mentees_due_a_self_check

    today = timezone.localdate(now)
    sent = 0
    for mentee in mentees_due_a_self_check(now=now):
        sent += len(
            notify(
                to=mentee,
                kind="mentoring.self_check_due",
                key=f"{today:%Y-%m}",
                context={"url": "/mentoring/how-things-are/"},
            )
        )
    return sent
