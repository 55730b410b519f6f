"""Mentoring test helpers: cleared mentors, referrals and matches in any state."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from accounts.roles import Role
from accounts.services import profile_for
from mentoring import services
from mentoring.choices import ContactPreference, MatchStatus, MeetingPlace
from mentoring.models import Match, Meeting, MentorProfile, Referral
from tests.factories import person
from tests.volunteering.factories import make_cleared


def cleared_mentor(user=None, *, places: int = 2, cleared: bool = True, **profile):
    """A peer mentor with mentoring details, cleared by volunteering unless ``cleared=False``."""
    user = user or person(Role.PEER_MENTOR, Role.VOLUNTEER)
    details = {key: profile.pop(key) for key in ("gender", "helps_with") if key in profile}
    MentorProfile.objects.update_or_create(user=user, defaults={"places": places, **details})
    if profile:
        row = profile_for(user)
        for key, value in profile.items():
            setattr(row, key, value)
        row.save()
    if cleared:
        make_cleared(user)
    return user


def referral_for(mentee, **fields) -> Referral:
    fields.setdefault("contact_preference", ContactPreference.TEXT)
    fields.setdefault("consent_to_share", True)
    return Referral.objects.create(person=mentee, referred_by=mentee, **fields)


def match_between(mentor, mentee, status=MatchStatus.ACTIVE) -> Match:
    """A match in ``status`` without going through the ranking (for permission tests)."""
    referral = referral_for(mentee)
    now = timezone.now()
    return Match.objects.create(
        referral=referral,
        mentor=mentor,
        mentee=mentee,
        status=status,
        activated_at=now if status == MatchStatus.ACTIVE else None,
    )


def meeting_of(match, *, in_hours: float = 24, **fields) -> Meeting:
    fields.setdefault("place_kind", MeetingPlace.PLACE)
    fields.setdefault("place", "Café on the high street")
    return Meeting.objects.create(
        match=match, starts_at=timezone.now() + timedelta(hours=in_hours), **fields
    )


def active_match(mentor, mentee, coordinator) -> Match:
    """A match taken through the real steps: proposed, accepted, agreed."""
    if not MentorProfile.objects.filter(user=mentor).exists():
        cleared_mentor(mentor)
    referral = services.refer(
        person=mentee, by=coordinator, contact_preference=ContactPreference.TEXT
    )
    match = services.propose_match(referral=referral, mentor=mentor, by=coordinator)
    services.answer_proposal(match=match, by=mentor, accept=True)
    return services.agree_to_match(match=match, by=mentee)
