"""Referrals, matching and the life of a match."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import AuditEvent
from accounts.roles import Role
from accounts.services import profile_for
from mentoring import selectors, services, signals
from mentoring.choices import (
    ContactPreference,
    EndReason,
    MatchStatus,
    PauseReason,
    ReferralStatus,
)
from mentoring.models import DoNotMatch, Match, MatchEvent, NeverAgain, Referral
from tests.factories import person
from tests.mentoring.factories import active_match, cleared_mentor

pytestmark = pytest.mark.django_db


def refer(mentee, coordinator, **fields):
    fields.setdefault("contact_preference", ContactPreference.PHONE)
    return services.refer(person=mentee, by=coordinator, **fields)


def test_self_referral_and_coordinator_referral(mentee, coordinator, outsider):
    own = services.refer(person=mentee, by=mentee, contact_preference=ContactPreference.TEXT)
    assert own.is_self_referral
    with pytest.raises(ValidationError):
        refer(mentee, coordinator)  # one waiting at a time
    with pytest.raises(PermissionDenied):
        refer(person(Role.MENTEE), outsider)
    assert AuditEvent.objects.filter(action="referral.self", subject=mentee).exists()


def test_only_cleared_mentors_with_places_are_suggested(mentee, coordinator):
    good = cleared_mentor(places=1)
    not_cleared = cleared_mentor(cleared=False)
    full = cleared_mentor(places=1)
    active_match(full, person(Role.MENTEE), coordinator)
    top, others = services.suggestions_for(refer(mentee, coordinator))
    assert [s.mentor_id for s in top] == [good.pk]
    assert others == []
    with pytest.raises(ValidationError):
        services.check_pair(Referral.objects.get(person=mentee), not_cleared)


def test_loading_candidates_takes_the_same_queries_however_many(
    coordinator, django_assert_num_queries
):
    for _ in range(2):
        cleared_mentor()
    # 1 mentors with their profiles and open matches counted in SQL; 7 volunteering.clearances
    # (role, its courses, onboarding, references, DBS checks, risk assessments, training)
    with django_assert_num_queries(8) as first:
        assert len(selectors.load_candidates()) == 2
    for _ in range(5):
        cleared_mentor()
    with django_assert_num_queries(len(first.captured_queries)):
        assert len(selectors.load_candidates()) == 7


def test_override_needs_a_reason_and_never_breaks_a_hard_rule(mentee, coordinator):
    mentors = [cleared_mentor(area="Leeds") for _ in range(6)]
    referral = refer(mentee, coordinator, area="Leeds")
    top, others = services.suggestions_for(referral)
    assert len(top) == 5 and len(others) == 1
    chosen = next(m for m in mentors if m.pk == others[0].mentor_id)
    with pytest.raises(ValidationError):
        services.propose_match(referral=referral, mentor=chosen, by=coordinator)
    blocked = mentors[0]
    services.record_do_not_match(
        mentor=blocked, mentee=mentee, reason="co-defendants", by=coordinator
    )
    with pytest.raises(ValidationError):
        services.propose_match(
            referral=referral, mentor=blocked, by=coordinator, override_reason="I know them"
        )
    match = services.propose_match(
        referral=referral, mentor=chosen, by=coordinator, override_reason="Same football club"
    )
    assert match.override_reason == "Same football club"
    assert DoNotMatch.objects.count() == 1


def test_full_lifecycle_with_signals_and_history(
    mentor, mentee, coordinator, django_capture_on_commit_callbacks
):
    cleared_mentor(mentor)
    received = []

    def listen(signal):
        def receiver(sender, **kwargs):
            received.append((signal, kwargs))

        return receiver

    receivers = {
        s: listen(name)
        for name, s in [
            ("activated", signals.match_activated),
            ("paused", signals.match_paused),
            ("ended", signals.match_ended),
        ]
    }
    for signal, receiver in receivers.items():
        signal.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            match = _propose(mentor, mentee, coordinator)
            with pytest.raises(ValidationError):  # the mentor has not answered yet
                services.agree_to_match(match=match, by=mentee)
            with pytest.raises(PermissionDenied):
                services.answer_proposal(match=match, by=person(Role.PEER_MENTOR), accept=True)
            services.answer_proposal(match=match, by=mentor, accept=True)
            services.agree_to_match(match=match, by=mentee)
            services.pause_match(match=match, by=coordinator, reason=PauseReason.RECALL)
            services.resume_match(match=match, by=coordinator)
            services.end_match(
                match=match, by=coordinator, reason=EndReason.GOALS_MET, rematch=True
            )
    finally:
        for signal, receiver in receivers.items():
            signal.disconnect(receiver)
    assert [name for name, _kwargs in received] == ["activated", "paused", "activated", "ended"]
    ids = {"match_id": match.pk, "mentor_id": mentor.pk, "mentee_id": mentee.pk}
    assert all(kwargs.items() >= ids.items() for _name, kwargs in received)
    assert received[-1][1]["reason"] == EndReason.GOALS_MET
    statuses = list(MatchEvent.objects.filter(match=match).values_list("status", flat=True))
    assert statuses == ["proposed", "accepted", "active", "paused", "active", "ended"]
    match.referral.refresh_from_db()
    assert match.referral.status == ReferralStatus.WAITING  # ready for a new mentor


def _propose(mentor, mentee, coordinator):
    return services.propose_match(
        referral=refer(mentee, coordinator), mentor=mentor, by=coordinator
    )


def test_signals_wait_for_the_commit(
    mentor, mentee, coordinator, django_capture_on_commit_callbacks
):
    cleared_mentor(mentor)
    match = _propose(mentor, mentee, coordinator)
    services.answer_proposal(match=match, by=mentor, accept=True)
    seen = []

    def receiver(sender, **kwargs):
        seen.append(kwargs["match_id"])

    signals.match_activated.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            services.agree_to_match(match=match, by=mentee)
        assert seen == []
        for callback in callbacks:
            callback()
        assert seen == [match.pk]
    finally:
        signals.match_activated.disconnect(receiver)


def test_declining_puts_the_referral_back(mentor, mentee, coordinator):
    cleared_mentor(mentor)
    match = _propose(mentor, mentee, coordinator)
    services.answer_proposal(match=match, by=mentor, accept=False)
    match.referral.refresh_from_db()
    assert match.referral.status == ReferralStatus.WAITING
    assert Match.objects.get().status == MatchStatus.DECLINED


def test_never_again_after_an_ending_keeps_them_apart(mentor, mentee, coordinator):
    match = active_match(mentor, mentee, coordinator)
    services.end_match(
        match=match, by=coordinator, reason=EndReason.NOT_RIGHT, never_again=True, rematch=True
    )
    assert NeverAgain.objects.filter(mentee=mentee, mentor=mentor).exists()
    top, others = services.suggestions_for(match.referral)
    assert mentor.pk not in {s.mentor_id for s in [*top, *others]}
    with pytest.raises(ValidationError):
        services.check_pair(match.referral, mentor)


def test_uncleared_mentors_high_in_the_order_are_skipped(mentee, coordinator):
    # Everyone shares a lot with the mentee, but the best-scoring are not cleared: the shortlist
    # looks further down until it finds cleared people, and never shows the others.
    for _ in range(4):
        cleared_mentor(cleared=False, area="Leeds", interests=["chess"])
    cleared = [cleared_mentor(area="Leeds") for _ in range(2)]
    referral = refer(mentee, coordinator, area="Leeds")
    profile = profile_for(mentee)
    profile.interests = ["chess"]
    profile.save()
    top, others = services.suggestions_for(referral, limit=1, shortlist=2)
    assert {s.mentor_id for s in [*top, *others]} == {m.pk for m in cleared}


def test_a_full_mentor_cannot_take_another(mentee, coordinator):
    mentor = cleared_mentor(places=1)
    _propose(mentor, mentee, coordinator)
    other = person(Role.MENTEE)
    with pytest.raises(ValidationError):
        services.propose_match(
            referral=refer(other, coordinator), mentor=mentor, by=coordinator, override_reason="x"
        )
