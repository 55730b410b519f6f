"""Mentoring actions. Each one authorises, validates, changes state in a transaction, audits and
notifies after commit. Preconditions are in the docstrings; a broken one raises PermissionDenied
(the view turns it into a 404) or ValidationError (a plain message, nothing changed).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from accounts.inputs import NAME_REFUSED, has_unsafe_characters
from accounts.models import User
from accounts.roles import Role
from accounts.services import new_account, set_password_link
from mentoring import matching, selectors, signals
from mentoring.choices import (
    OPEN_MATCH_STATES,
    EndReason,
    GoalStatus,
    MatchStatus,
    MeetingPlace,
    MeetingStatus,
    Need,
    PauseReason,
    ReferralStatus,
    SharedItem,
)
from mentoring.models import (
    CheckIn,
    DoNotMatch,
    Goal,
    GoalStep,
    Match,
    MatchEvent,
    Meeting,
    MeetingNote,
    MenteeSettings,
    MentorProfile,
    NeverAgain,
    Referral,
    RiskNote,
    SuggestedService,
)
from mentoring.permissions import MENTOR_WORKING, is_coordinator
from notifications import notify
from notifications.services import record_contact_preference, resolve, resolve_for_everyone

TOP = 5
# Suggestions a coordinator can choose from: the top five, and the next ones for an override.
SHORTLIST = 50
REFERRAL_FIELDS = {
    "contact_preference",
    "area",
    "needs",
    "prison",
    "release_date",
    "wants_experience",
    "wants_gender",
    "wants_language",
    "availability",
    "consent_to_share",
}
# Shared with a mentor when a person ticks "share my referral with a mentor"; the rest (release
# date, prison, the story they told) stays private until they choose it item by item.
DEFAULT_SHARED = [SharedItem.NEEDS, SharedItem.AVAILABILITY, SharedItem.AREA, SharedItem.GOALS]


def when_words(moment: datetime) -> str:
    """A time as people say it, in the site's time zone: "Tuesday 3 March, 14:00"."""
    return date_filter(timezone.localtime(moment), "l j F, H:i")


def _coordinators(*, besides: User | None = None) -> list[User]:
    people = User.objects.filter(is_active=True, groups__name=Role.COORDINATOR).distinct()
    if besides is not None:
        people = people.exclude(pk=besides.pk)
    return list(people)


def _send_on_commit(signal, match: Match, **extra) -> None:
    ids = {"match_id": match.pk, "mentor_id": match.mentor_id, "mentee_id": match.mentee_id}
    transaction.on_commit(lambda: signal.send(sender=Match, **ids, **extra))


def _require_coordinator(by: User) -> None:
    if not is_coordinator(by):
        raise PermissionDenied


# --- Referrals ----------------------------------------------------------------------------------


@transaction.atomic
def refer(
    *,
    person: User | None = None,
    by: User,
    email: str = "",
    display_name: str = "",
    phone: str = "",
    risk: str = "",
    **fields,
) -> Referral:
    """Refer ``person`` for a mentor. Coordinators refer anyone; anyone may refer themselves.

    A coordinator may give ``email`` instead of ``person``: someone with no account yet gets one
    (named ``display_name``), and an e-mailed invitation to choose a password (or to log in by an
    e-mailed code), all in this one transaction. ``risk``, when given, is kept as the referral's
    first risk note (coordinators only), in the same transaction.

    A person has one referral waiting at a time. Their contact route ("text message", "through a
    worker", with ``phone`` when given) is how Alongside tells them things from the first notice;
    they are told what happens next, and the coordinators that a referral is waiting.
    """
    invited = False
    if person is None:
        _require_coordinator(by)
        person, invited = _person_to_refer(email=email, display_name=display_name, by=by)
    if by.pk != person.pk:
        _require_coordinator(by)
    unknown = set(fields) - REFERRAL_FIELDS
    if unknown:
        raise ValueError(f"Unknown referral fields: {sorted(unknown)}")
    if Referral.objects.filter(
        person=person, status__in=[ReferralStatus.WAITING, ReferralStatus.MATCHING]
    ).exists():
        raise ValidationError(_("There is already a referral waiting for this person."))
    if any(need not in Need.values for need in fields.get("needs", [])):
        raise ValidationError(_("Choose needs from the list."))
    referral = Referral.objects.create(person=person, referred_by=by, **fields)
    if not person.has_role(Role.MENTEE):
        # Being referred makes the person a mentee: their goals, their mentoring card on Today
        # and, once a mentor says yes, the match page are theirs from now on.
        person.groups.add(Group.objects.get_or_create(name=Role.MENTEE)[0])
        person.forget_roles()
    if referral.consent_to_share:
        settings_row, _created = MenteeSettings.objects.get_or_create(mentee=person)
        if not settings_row.shared:
            settings_row.shared = list(DEFAULT_SHARED)
            settings_row.save(update_fields=["shared", "updated_at"])
    audit.record(
        actor=by,
        action="referral.self" if by.pk == person.pk else "referral.made",
        target=referral,
        subject=person,
    )
    if (risk or "").strip():
        add_risk_note(referral=referral, by=by, body=risk)
    record_contact_preference(
        user=person, preference=referral.contact_preference, by=by, phone=phone
    )
    self_referral = by.pk == person.pk
    if invited:
        notify(
            to=person,
            kind="mentoring.invited",
            key=f"invited:{person.pk}",
            context={
                "url": reverse("accounts:today"),
                "invited_by": by.display_name,
                "set_password_link": set_password_link(person),
            },
        )
    notify(
        to=person,
        kind="mentoring.referred",
        key=f"referral:{referral.pk}",
        context={
            "url": reverse("mentoring:referral", args=[referral.pk]),
            "self_referral": self_referral,
            "referred_by": "" if self_referral else by.display_name,
        },
    )
    notify(
        to=_coordinators(besides=by),
        kind="mentoring.referral_received",
        key=f"referral:{referral.pk}",
        context={
            "url": reverse("mentoring:suggestions", args=[referral.pk]),
            "referred_by": _("Someone, for themselves") if self_referral else by.display_name,
            "day": date_filter(timezone.localtime(referral.created_at), "j F"),
        },
    )
    return referral


def _person_to_refer(*, email: str, display_name: str, by: User) -> tuple[User, bool]:
    """(the person with this e-mail address, whether their account was made just now)."""
    email = (email or "").strip().lower()
    if not email:
        raise ValidationError({"email": _("Please give the person's e-mail address.")})
    person = User.objects.filter(email__iexact=email).first()
    if person is not None:
        if not person.is_active or person.has_role(Role.PARTNER):
            raise ValidationError({"email": _("This e-mail address cannot be used.")})
        return person, False
    display_name = (display_name or "").strip()
    if not display_name:
        raise ValidationError(
            {
                "display_name": _(
                    "No one on Alongside has that e-mail address yet. Give the name they go by, "
                    "and we will make them an account and e-mail them an invitation."
                )
            }
        )
    if has_unsafe_characters(display_name):
        raise ValidationError({"display_name": NAME_REFUSED})
    person = new_account(email=email, display_name=display_name, role=Role.MENTEE)
    audit.record(actor=by, action="account.invited", target=person, subject=person)
    return person, True


@transaction.atomic
def add_risk_note(*, referral: Referral, by: User, body: str) -> RiskNote:
    _require_coordinator(by)
    body = (body or "").strip()
    if not body:
        raise ValidationError(_("Please write the risk information."))
    note = RiskNote.objects.create(referral=referral, written_by=by, body=body[:5000])
    audit.record(actor=by, action="risk_note.added", target=note, subject=referral.person)
    return note


@transaction.atomic
def record_do_not_match(*, mentor: User, mentee: User, reason: str, by: User) -> DoNotMatch:
    """Keep a pair apart for good. Members never see it; coordinators give a short reason."""
    _require_coordinator(by)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Please say why, in a few words."))
    rule, _created = DoNotMatch.objects.update_or_create(
        mentor=mentor, mentee=mentee, defaults={"reason": reason[:200], "recorded_by": by}
    )
    audit.record(actor=by, action="do_not_match.recorded", target=rule, subject=mentee)
    return rule


# --- Matching -----------------------------------------------------------------------------------


def suggestions_for(
    referral: Referral, *, limit: int = TOP, shortlist: int = SHORTLIST
) -> tuple[list[matching.Suggestion], list[matching.Suggestion]]:
    """(the best ``limit`` suggestions, the next ones up to ``shortlist``) for a referral.

    Asking volunteering whether 10,000 mentors are cleared is slow, and only the best few matter,
    so: rank everyone as if cleared (ordering only), ask volunteering about the top ``shortlist``,
    and rank those again with the real answer, so ``rank`` itself applies the clearance rule.
    If too few of them are cleared, look further down the list (rarely needed).
    """
    facts = selectors.mentee_facts(referral)
    rules = selectors.rules_for(referral.person_id)
    unchecked = selectors.load_candidates(check_clearance=False)
    by_id = {mentor.id: mentor for mentor in unchecked}
    window = shortlist
    while True:
        ordered = [s.mentor_id for s in matching.rank(facts, unchecked, rules, limit=window)]
        cleared = selectors.cleared_mentor_ids(ordered) if ordered else set()
        checked = [replace(by_id[pk], cleared=pk in cleared) for pk in ordered]
        ranked = matching.rank(facts, checked, rules, limit=shortlist)
        if len(ranked) >= shortlist or len(ordered) < window:
            return ranked[:limit], ranked[limit:]
        window *= 4


def check_pair(referral: Referral, mentor: User) -> matching.Suggestion:
    """The suggestion for this exact pair, with its reasons; ValidationError if a hard rule
    keeps them apart (not cleared, no place, do not match, ...)."""
    facts = selectors.mentee_facts(referral)
    rules = selectors.rules_for(referral.person_id)
    candidates = selectors.load_candidates(mentor_ids=[mentor.pk])
    ranked = matching.rank(facts, candidates, rules)
    if not ranked:
        raise ValidationError(_("This mentor cannot be matched with this person."))
    return ranked[0]


def _lock_places(mentor: User) -> None:
    """Lock the mentor's row so two proposals cannot both take their last place."""
    profile = MentorProfile.objects.select_for_update().filter(user=mentor).first()
    if profile is None:
        raise ValidationError(_("This person has no mentoring details yet."))
    taken = Match.objects.filter(mentor=mentor, status__in=OPEN_MATCH_STATES).count()
    if taken >= profile.places:
        raise ValidationError(_("This mentor has no free place now. Please choose someone else."))


def _event(match: Match, *, by: User | None, reason: str = "", note: str = "") -> None:
    MatchEvent.objects.create(match=match, status=match.status, by=by, reason=reason, note=note)


@transaction.atomic
def propose_match(
    *, referral: Referral, mentor: User, by: User, override_reason: str = ""
) -> Match:
    """Propose ``mentor`` for the referral. Preconditions: ``by`` is a coordinator; no hard rule
    keeps the pair apart; a mentor outside the top five needs a written reason."""
    _require_coordinator(by)
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.status != ReferralStatus.WAITING:
        raise ValidationError(_("This referral is not waiting for a match."))
    chosen = check_pair(referral, mentor)
    top, _others = suggestions_for(referral)
    override_reason = (override_reason or "").strip()
    if chosen.mentor_id not in {s.mentor_id for s in top} and not override_reason:
        raise ValidationError(
            _("This mentor is not one of the suggestions. Please say why you chose them.")
        )
    _lock_places(mentor)
    try:
        match = Match.objects.create(
            referral=referral,
            mentor=mentor,
            mentee=referral.person,
            proposed_by=by,
            score=chosen.score,
            reasons=[{"factor": r.factor, "text": r.text} for r in chosen.reasons],
            override_reason=override_reason[:300],
        )
    except IntegrityError:
        raise ValidationError(_("This person already has a match in progress.")) from None
    _event(match, by=by, note=override_reason[:300])
    referral.status = ReferralStatus.MATCHING
    referral.save(update_fields=["status"])
    audit.record(actor=by, action="match.proposed", target=match, subject=referral.person)
    notify(
        to=mentor,
        kind="mentoring.match_proposed",
        key=f"match:{match.pk}",
        context={
            "url": reverse("mentoring:match", args=[match.pk]),
            "mentee_name": referral.person.display_name,
        },
    )
    return match


def _locked(match: Match) -> Match:
    return Match.objects.select_for_update().select_related("mentor", "mentee").get(pk=match.pk)


@transaction.atomic
def answer_proposal(*, match: Match, by: User, accept: bool) -> Match:
    """The proposed mentor says yes or no."""
    match = _locked(match)
    if match.mentor_id != by.pk:
        raise PermissionDenied
    if match.status != MatchStatus.PROPOSED:
        raise ValidationError(_("This proposal has already been answered."))
    if accept:
        match.status = MatchStatus.ACCEPTED
    else:
        match.status = MatchStatus.DECLINED
        match.ended_at = timezone.now()
        Referral.objects.filter(pk=match.referral_id).update(status=ReferralStatus.WAITING)
    match.save(update_fields=["status", "ended_at"])
    _event(match, by=by)
    if not accept:
        # The mentee chose this mentor from a shortlist: her next choice is asked at once.
        from mentoring.partners.choice import after_a_no

        after_a_no(match)
    audit.record(
        actor=by,
        action="match.accepted" if accept else "match.declined",
        target=match,
        subject=match.mentee,
    )
    resolve(to=by, kind="mentoring.match_proposed", key=f"match:{match.pk}")
    url = reverse("mentoring:match", args=[match.pk])
    names = {"mentor_name": match.mentor.display_name, "mentee_name": match.mentee.display_name}
    if accept:
        notify(
            to=match.mentee,
            kind="mentoring.mentor_said_yes",
            key=f"match:{match.pk}",
            context={"url": url, **names},
        )
    if match.proposed_by_id and match.proposed_by_id != by.pk:
        notify(
            to=match.proposed_by,
            kind="mentoring.proposal_answered",
            key=f"match:{match.pk}",
            context={
                "url": url
                if accept
                else reverse("mentoring:suggestions", args=[match.referral_id]),
                "accepted": accept,
                **names,
            },
        )
    return match


@transaction.atomic
def agree_to_match(*, match: Match, by: User) -> Match:
    """The mentee agrees: the match becomes active."""
    match = _locked(match)
    if match.mentee_id != by.pk:
        raise PermissionDenied
    if match.status != MatchStatus.ACCEPTED:
        raise ValidationError(_("This match is not waiting for you."))
    match.status = MatchStatus.ACTIVE
    match.activated_at = timezone.now()
    match.save(update_fields=["status", "activated_at"])
    Referral.objects.filter(pk=match.referral_id).update(status=ReferralStatus.MATCHED)
    _event(match, by=by)
    audit.record(actor=by, action="match.activated", target=match, subject=match.mentee)
    resolve(to=by, kind="mentoring.mentor_said_yes", key=f"match:{match.pk}")
    notify(
        to=match.mentor,
        kind="mentoring.match_started",
        key=f"match:{match.pk}",
        context={
            "url": reverse("mentoring:meeting_new", args=[match.pk]),
            "mentee_name": match.mentee.display_name,
        },
    )
    _send_on_commit(signals.match_activated, match)
    return match


@transaction.atomic
def pause_match(*, match: Match, by: User, reason: str, note: str = "") -> Match:
    """Pause an active match (recall, relapse, a break). Coordinators or the mentor."""
    match = _locked(match)
    if not (is_coordinator(by) or match.mentor_id == by.pk):
        raise PermissionDenied
    if match.status != MatchStatus.ACTIVE:
        raise ValidationError(_("Only an active match can be paused."))
    if reason not in PauseReason.values:
        raise ValidationError(_("Choose a reason from the list."))
    match.status = MatchStatus.PAUSED
    match.save(update_fields=["status"])
    _event(match, by=by, reason=reason, note=(note or "")[:300])
    audit.record(actor=by, action="match.paused", target=match, subject=match.mentee)
    _send_on_commit(signals.match_paused, match)
    return match


@transaction.atomic
def resume_match(*, match: Match, by: User) -> Match:
    match = _locked(match)
    if not (is_coordinator(by) or match.mentor_id == by.pk):
        raise PermissionDenied
    if match.status != MatchStatus.PAUSED:
        raise ValidationError(_("Only a paused match can start again."))
    match.status = MatchStatus.ACTIVE
    match.save(update_fields=["status"])
    _event(match, by=by)
    audit.record(actor=by, action="match.resumed", target=match, subject=match.mentee)
    _send_on_commit(signals.match_activated, match)
    return match


@transaction.atomic
def end_match(
    *,
    match: Match,
    by: User,
    reason: str,
    note: str = "",
    never_again: bool = False,
    rematch: bool = False,
) -> Match:
    """End a match with a reason and outcome (coordinators). ``never_again`` records that the
    mentee asked never to be matched with this mentor again; ``rematch`` puts their referral back
    in the queue for a new mentor."""
    _require_coordinator(by)
    match = _locked(match)
    if match.status not in OPEN_MATCH_STATES:
        raise ValidationError(_("This match has already ended."))
    if reason not in EndReason.values:
        raise ValidationError(_("Choose how the match ended."))
    match.status = MatchStatus.ENDED
    match.ended_at = timezone.now()
    match.end_reason = reason
    match.end_note = (note or "")[:300]
    match.save(update_fields=["status", "ended_at", "end_reason", "end_note"])
    Meeting.objects.filter(match=match, status=MeetingStatus.PLANNED).update(
        status=MeetingStatus.CANCELLED
    )
    if never_again:
        NeverAgain.objects.get_or_create(mentee=match.mentee, mentor=match.mentor)
    Referral.objects.filter(pk=match.referral_id).update(
        status=ReferralStatus.WAITING if rematch else ReferralStatus.CLOSED
    )
    _event(match, by=by, reason=reason, note=match.end_note)
    audit.record(actor=by, action="match.ended", target=match, subject=match.mentee, summary=reason)
    # A proposal withdrawn before it was answered no longer waits on anyone's Today.
    for kind in ("mentoring.match_proposed", "mentoring.mentor_said_yes"):
        resolve_for_everyone(kind=kind, key=f"match:{match.pk}")
    _send_on_commit(signals.match_ended, match, reason=reason)
    return match


# --- Meetings -----------------------------------------------------------------------------------


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


# --- Goals, check-ins, choices ------------------------------------------------------------------


def _require_self(mentee: User, by: User) -> None:
    if mentee.pk != by.pk:
        raise PermissionDenied


@transaction.atomic
def add_goal(*, mentee: User, by: User, area: str, words: str) -> Goal:
    _require_self(mentee, by)
    words = (words or "").strip()
    if not words:
        raise ValidationError({"words": _("Please write your goal in your own words.")})
    if area not in Need.values:
        raise ValidationError({"area": _("Choose an area from the list.")})
    return Goal.objects.create(mentee=mentee, area=area, words=words[:300])


@transaction.atomic
def add_goal_step(*, goal: Goal, by: User, words: str, service_id: int | None = None) -> GoalStep:
    """A step towards the mentee's goal; it may be about a service on her "My people"."""
    _require_self(goal.mentee, by)
    words = (words or "").strip()
    if not words:
        raise ValidationError({"words": _("Please write the step.")})
    if service_id is not None and not (
        SharedItem.LOCAL_SERVICES in selectors.shared_items(goal.mentee_id)
        and SuggestedService.objects.filter(mentee=goal.mentee, service_id=service_id).exists()
    ):
        raise ValidationError({"service": _("Choose a service from your My people page.")})
    return GoalStep.objects.create(goal=goal, words=words[:200], service_id=service_id)


@transaction.atomic
def set_step_done(*, step: GoalStep, by: User, done: bool) -> GoalStep:
    _require_self(step.goal.mentee, by)
    step.done = done
    step.save(update_fields=["done"])
    return step


@transaction.atomic
def set_goal_status(*, goal: Goal, by: User, status: str) -> Goal:
    _require_self(goal.mentee, by)
    if status not in GoalStatus.values:
        raise ValidationError(_("Choose from the list."))
    goal.status = status
    goal.reached_on = timezone.localdate() if status == GoalStatus.REACHED else None
    goal.save(update_fields=["status", "reached_on"])
    return goal


@transaction.atomic
def check_in(*, mentee: User, by: User, feeling: int, line: str = "", hours=None) -> CheckIn:
    _require_self(mentee, by)
    if feeling not in range(1, 6):
        raise ValidationError({"feeling": _("Choose a number from 1 to 5.")})
    return CheckIn.objects.create(
        mentee=mentee, feeling=feeling, line=(line or "").strip()[:280], hours_this_week=hours
    )


@transaction.atomic
def set_sharing(*, mentee: User, by: User, items: list[str]) -> MenteeSettings:
    """What the mentee's mentor may see. Takes effect on the mentor's next page load."""
    _require_self(mentee, by)
    if any(item not in SharedItem.values for item in items):
        raise ValidationError(_("Choose from the list."))
    row, _created = MenteeSettings.objects.get_or_create(mentee=mentee)
    row.shared = sorted(set(items))
    row.save(update_fields=["shared", "updated_at"])
    if SharedItem.LOCAL_SERVICES not in row.shared:
        # Kept only under her agreement: taking it back takes away what the mentor added.
        SuggestedService.objects.filter(mentee=mentee).delete()
    audit.record(
        actor=by, action="sharing.changed", target=row, subject=mentee, summary=",".join(row.shared)
    )
    return row


# --- Local services on "My people" -------------------------------------------------------------


@transaction.atomic
def suggest_service(*, match: Match, by: User, service_id: int) -> SuggestedService:
    """The mentor adds a local service to the mentee's "My people".

    Preconditions: ``by`` is the match's mentor and the match is active or paused; the mentee
    agreed (``SharedItem.LOCAL_SERVICES``); the service is published in the directory.
    """
    from accounts import hooks

    if match.mentor_id != by.pk or match.status not in MENTOR_WORKING:
        raise PermissionDenied
    if SharedItem.LOCAL_SERVICES not in selectors.shared_items(match.mentee_id):
        raise ValidationError(_("They have not asked for suggestions of local services."))
    found = hooks.local_services_by_id([service_id])
    if not found:
        raise ValidationError(_("That service is not in the directory any more."))
    row, created = SuggestedService.objects.get_or_create(
        mentee=match.mentee, service_id=service_id, defaults={"suggested_by": by}
    )
    if created:
        audit.record(
            actor=by,
            action="mentoring.service_suggested",
            target=row,
            subject=match.mentee,
            summary=str(service_id),
        )
        notify(
            to=match.mentee,
            kind="partners.service_added",
            key=f"service:{row.pk}",
            context={
                "url": reverse("mentoring:people"),
                "mentor_name": by.display_name,
                "service_name": found[0].name,
            },
        )
    return row


@transaction.atomic
def set_weekly_target(*, mentee: User, by: User, hours: int | None) -> MenteeSettings:
    _require_self(mentee, by)
    if hours is not None and not 0 < hours <= 60:
        raise ValidationError({"hours": _("Choose a number of hours from 1 to 60.")})
    row, _created = MenteeSettings.objects.get_or_create(mentee=mentee)
    row.weekly_hours_target = hours
    row.save(update_fields=["weekly_hours_target", "updated_at"])
    return row
