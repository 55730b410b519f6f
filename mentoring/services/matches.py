"""Matches: suggestions, proposing a mentor, the answers, pausing, resuming and ending."""

from __future__ import annotations

from dataclasses import replace

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from accounts.models import User
from mentoring import matching, selectors, signals
from mentoring.choices import (
    OPEN_MATCH_STATES,
    EndReason,
    MatchStatus,
    MeetingStatus,
    PauseReason,
    ReferralStatus,
)
from mentoring.models import Match, MatchEvent, Meeting, MentorProfile, NeverAgain, Referral
from mentoring.permissions import is_coordinator
from mentoring.services.base import _require_coordinator
from notifications import notify
from notifications.services import resolve, resolve_for_everyone

TOP = 5
# Suggestions a coordinator can choose from: the top five, and the next ones for an override.
SHORTLIST = 50


def _send_on_commit(signal, match: Match, **extra) -> None:
    ids = {"match_id": match.pk, "mentor_id": match.mentor_id, "mentee_id": match.mentee_id}
    transaction.on_commit(lambda: signal.send(sender=Match, **ids, **extra))


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
