"""The mentee's choice: a coordinator offers two or three suitable mentors; the mentee reads
each one's few lines in their own words (chosen name, no photo) and picks one, asks for someone
else, or asks the coordinator to choose. The chosen mentor is asked at once and has
``MENTOR_ANSWER_HOURS`` hours to say yes or no. The mentee may say who to ask next; when the time
passes with no answer the proposal is marked timed out and the next choice is asked (the mentee
is told plainly), or the coordinators are told when no choice is left.

Three mechanisms make sure the time-out happens: a django-tasks task deferred to the moment it is
due (when the backend can defer), and ``time_out_late_answers`` in mentoring's ``due`` hook
(``manage.py run_due``, cron every few minutes: on time where the backend cannot wait, as the
default one cannot) and in the daily sweep. All are safe to run twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

import notifications
from accounts import audit
from accounts.models import User
from mentoring import services as mentoring_services
from mentoring.choices import MatchStatus, ReferralStatus
from mentoring.models import Match, MatchEvent, Referral
from mentoring.partners.models import MentorIntro, Shortlist, ShortlistAnswer
from mentoring.partners.selectors import coordinators
from mentoring.permissions import is_coordinator

SIZES = (2, 3)


def answer_time() -> timedelta:
    return timedelta(hours=settings.MENTOR_ANSWER_HOURS)


def answer_due(shortlist: Shortlist) -> datetime | None:
    """When the mentor asked now must have answered by; None when nobody is waiting to answer."""
    if shortlist.answer != ShortlistAnswer.PICKED or shortlist.match is None:
        return None
    if shortlist.match.status != MatchStatus.PROPOSED:
        return None
    return shortlist.match.proposed_at + answer_time()


def next_choices(shortlist: Shortlist) -> list[User]:
    """Mentors on the list the mentee could still name as who to ask next."""
    if shortlist.answer != ShortlistAnswer.PICKED or shortlist.picks_closed:
        return []
    return list(shortlist.mentors.exclude(pk__in=shortlist.picks).order_by("display_name", "id"))


def next_in_line(shortlist: Shortlist) -> User | None:
    """Who will be asked if the mentor asked now does not answer in time (None: nobody yet)."""
    picks = shortlist.picks
    if shortlist.chosen_id not in picks or picks.index(shortlist.chosen_id) + 1 >= len(picks):
        return None
    return User.objects.filter(pk=picks[picks.index(shortlist.chosen_id) + 1]).first()


def _schedule_time_out(shortlist: Shortlist, match: Match) -> None:
    from mentoring.partners.tasks import time_out_choice

    if not time_out_choice.get_backend().supports_defer:
        return  # the daily sweep covers it
    due, shortlist_id = match.proposed_at + answer_time(), shortlist.pk
    transaction.on_commit(
        lambda: time_out_choice.using(run_after=due).enqueue(shortlist_id=shortlist_id),
        robust=True,
    )


@transaction.atomic
def set_intro(*, mentor: User, by: User, words: str) -> MentorIntro:
    """A peer mentor writes their few lines. Only the mentor themselves."""
    if mentor.pk != by.pk:
        raise PermissionDenied
    words = (words or "").strip()
    if not words:
        raise ValidationError({"words": _("Please write a few lines about yourself.")})
    intro, _created = MentorIntro.objects.update_or_create(
        mentor=mentor, defaults={"words": words[:400]}
    )
    return intro


@transaction.atomic
def offer_shortlist(*, referral: Referral, by: User, mentors: list[User]) -> Shortlist:
    """Offer the mentee two or three mentors. Each must be one the matching allows, with a free
    place and a few lines written."""
    if not is_coordinator(by):
        raise PermissionDenied
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.status != ReferralStatus.WAITING:
        raise ValidationError(_("This referral is not waiting for a match."))
    mentors = list({mentor.pk: mentor for mentor in mentors}.values())
    if len(mentors) not in SIZES:
        raise ValidationError(_("Choose two or three mentors."))
    with_words = set(
        MentorIntro.objects.filter(mentor__in=mentors).values_list("mentor_id", flat=True)
    )
    for mentor in mentors:
        mentoring_services.check_pair(referral, mentor)  # ValidationError if kept apart
        if mentor.pk not in with_words:
            raise ValidationError(
                _("%(name)s has not written about themselves yet.") % {"name": mentor}
            )
    Shortlist.objects.filter(referral=referral, answer=ShortlistAnswer.WAITING).update(
        answer=ShortlistAnswer.COORDINATOR, answered_at=timezone.now()
    )
    shortlist = Shortlist.objects.create(referral=referral, offered_by=by)
    shortlist.mentors.set(mentors)
    audit.record(actor=by, action="shortlist.offered", target=shortlist, subject=referral.person)
    notifications.notify(
        to=referral.person,
        kind="partners.shortlist",
        key=f"shortlist:{shortlist.pk}",
        context={"url": reverse("mentoring:partners:shortlist", args=[shortlist.pk])},
    )
    return shortlist


@transaction.atomic
def answer_shortlist(
    *, shortlist: Shortlist, by: User, answer: str, mentor: User | None = None
) -> Shortlist:
    """The mentee picks a mentor from the shortlist (who is asked at once), asks for someone
    else, or asks the coordinator to choose."""
    shortlist = (
        Shortlist.objects.select_for_update().select_related("referral").get(pk=shortlist.pk)
    )
    if shortlist.referral.person_id != by.pk:
        raise PermissionDenied
    if shortlist.answer != ShortlistAnswer.WAITING:
        raise ValidationError(_("You have already answered."))
    if answer not in ShortlistAnswer.values or answer == ShortlistAnswer.WAITING:
        raise ValidationError(_("Choose one of the answers."))
    shortlist.answer = answer
    shortlist.answered_at = timezone.now()
    if answer == ShortlistAnswer.PICKED:
        if mentor is None or not shortlist.mentors.filter(pk=mentor.pk).exists():
            raise ValidationError(_("Choose one of the mentors on your list."))
        if shortlist.offered_by is None or not is_coordinator(shortlist.offered_by):
            raise ValidationError(_("Please ask a coordinator: this list is out of date."))
        # Proposed on the authority of the coordinator who offered the list.
        match = mentoring_services.propose_match(
            referral=shortlist.referral,
            mentor=mentor,
            by=shortlist.offered_by,
            override_reason=_("Chosen by the mentee from a shortlist"),
        )
        shortlist.chosen, shortlist.match = mentor, match
        shortlist.picks = [mentor.pk]
        _schedule_time_out(shortlist, match)
    shortlist.save()
    audit.record(
        actor=by, action="shortlist.answered", target=shortlist, subject=by, summary=answer
    )
    notifications.resolve(to=by, kind="partners.shortlist", key=f"shortlist:{shortlist.pk}")
    if answer != ShortlistAnswer.PICKED:
        notifications.notify(
            to=coordinators(),
            kind="partners.shortlist_answered",
            key=f"shortlist:{shortlist.pk}",
            context={
                "url": reverse("mentoring:suggestions", args=[shortlist.referral_id]),
                "answer": shortlist.get_answer_display(),
            },
        )
    return shortlist


@transaction.atomic
def set_next_choice(*, shortlist: Shortlist, by: User, mentor: User | None) -> Shortlist:
    """The mentee says who to ask next if the mentor they chose does not answer in time, or
    (``mentor=None``) that a coordinator should choose then."""
    shortlist = Shortlist.objects.select_for_update().get(pk=shortlist.pk)
    if shortlist.referral.person_id != by.pk:
        raise PermissionDenied
    if shortlist.answer != ShortlistAnswer.PICKED or shortlist.picks_closed:
        raise ValidationError(_("You have already told us."))
    if mentor is None:
        shortlist.picks_closed = True
    elif mentor.pk in shortlist.picks or not shortlist.mentors.filter(pk=mentor.pk).exists():
        raise ValidationError(_("Choose one of the mentors on your list."))
    else:
        shortlist.picks = [*shortlist.picks, mentor.pk]
    shortlist.save(update_fields=["picks", "picks_closed"])
    audit.record(actor=by, action="shortlist.next_choice", target=shortlist, subject=by)
    return shortlist


def _time_out(match: Match, now: datetime) -> None:
    """Mark a proposal nobody answered as timed out; its place is free again."""
    match.status = MatchStatus.TIMED_OUT
    match.ended_at = now
    match.save(update_fields=["status", "ended_at"])
    MatchEvent.objects.create(
        match=match, status=MatchStatus.TIMED_OUT, by=None, at=now, note="No answer in time"
    )
    Referral.objects.filter(pk=match.referral_id).update(status=ReferralStatus.WAITING)
    audit.record(actor=None, action="match.timed_out", target=match, subject=match.mentee)
    notifications.resolve(to=match.mentor, kind="mentoring.match_proposed", key=f"match:{match.pk}")
    notifications.notify(
        to=match.mentor,
        kind="partners.proposal_lapsed",
        key=f"match:{match.pk}",
        context={"url": reverse("mentoring:home"), "mentee_name": match.mentee.display_name},
    )


def _ask_next(shortlist: Shortlist, now: datetime) -> Match | None:
    """Propose the mentee's next choice that can still take them (a free place, nothing keeping
    them apart), on the authority of the coordinator who offered the list."""
    if shortlist.offered_by is None or not is_coordinator(shortlist.offered_by):
        return None
    asked = (
        shortlist.picks.index(shortlist.chosen_id) if shortlist.chosen_id in shortlist.picks else 0
    )
    waiting = shortlist.picks[asked + 1 :]
    people = User.objects.in_bulk(waiting)
    for pk in waiting:
        mentor = people.get(pk)
        if mentor is None or not mentor.is_active:
            continue
        try:
            match = mentoring_services.propose_match(
                referral=shortlist.referral,
                mentor=mentor,
                by=shortlist.offered_by,
                override_reason=_("The mentee's next choice from a shortlist"),
            )
        except ValidationError:
            continue  # no free place now, or kept apart since: try the one after
        # Their time to answer runs from the sweep's clock, like the time-out that asked them.
        match.proposed_at = now
        match.save(update_fields=["proposed_at"])
        shortlist.chosen, shortlist.match = mentor, match
        return match
    return None


def after_a_no(match: Match) -> Match | None:
    """The mentor the mentee chose said no (``answer_proposal``, inside its transaction): ask her
    next choice, as a time-out does, and tell her plainly either way. Returns the new proposal,
    or None when the match did not come from her choice or no choice is left (the coordinator
    who offered the list is told of the no, as for any proposal)."""
    shortlist = (
        Shortlist.objects.select_for_update(of=("self",))
        .select_related("referral__person", "offered_by", "chosen")
        .filter(match_id=match.pk, answer=ShortlistAnswer.PICKED)
        .first()
    )
    if shortlist is None:
        return None
    now = timezone.now()
    asked = _ask_next(shortlist, now)
    shortlist.save(update_fields=["chosen", "match"])
    notifications.notify(
        to=shortlist.referral.person,
        kind="partners.choice_declined",
        key=f"shortlist:{shortlist.pk}:{match.pk}",
        context={
            "url": reverse("mentoring:partners:shortlist", args=[shortlist.pk]),
            "declined_name": match.mentor.display_name,
            "next_name": asked.mentor.display_name if asked else "",
        },
    )
    if asked is not None:
        _schedule_time_out(shortlist, asked)
    return asked


def time_out_if_due(*, shortlist_id: int, now: datetime | None = None) -> bool:
    """If the mentor the mentee chose has not answered in time: mark the proposal timed out and
    ask the mentee's next choice, telling the mentee plainly; or tell the coordinators when no
    choice is left. Returns whether it timed out. Safe to run twice."""
    now = now or timezone.now()
    with transaction.atomic():
        shortlist = (
            Shortlist.objects.select_for_update(of=("self",))
            .select_related("referral__person", "offered_by", "chosen")
            .filter(pk=shortlist_id, answer=ShortlistAnswer.PICKED, match__isnull=False)
            .first()
        )
        if shortlist is None:
            return False
        late = (
            Match.objects.select_for_update(of=("self",))
            .select_related("mentor", "mentee")
            .filter(pk=shortlist.match_id, status=MatchStatus.PROPOSED)
            .first()
        )
        if late is None or now - late.proposed_at < answer_time():
            return False
        _time_out(late, now)
        asked = _ask_next(shortlist, now)
        shortlist.overdue_told_at = now
        shortlist.save(update_fields=["chosen", "match", "overdue_told_at"])
        mentee = shortlist.referral.person
        notifications.notify(
            to=mentee,
            kind="partners.choice_timed_out",
            key=f"shortlist:{shortlist.pk}:{late.pk}",
            context={
                "url": reverse("mentoring:partners:shortlist", args=[shortlist.pk]),
                "late_name": late.mentor.display_name,
                "next_name": asked.mentor.display_name if asked else "",
            },
        )
        if asked is None:
            notifications.notify(
                to=coordinators(),
                kind="partners.mentor_late",
                key=f"late:{late.pk}",
                context={"url": reverse("mentoring:suggestions", args=[shortlist.referral_id])},
            )
        else:
            _schedule_time_out(shortlist, asked)
    return True


def time_out_late_answers(now: datetime) -> int:
    """The daily sweep: every chosen mentor who has not answered in time. Returns how many."""
    late = Shortlist.objects.filter(
        answer=ShortlistAnswer.PICKED,
        match__status=MatchStatus.PROPOSED,
        match__proposed_at__lte=now - answer_time(),
    ).values_list("pk", flat=True)
    return sum(time_out_if_due(shortlist_id=pk, now=now) for pk in list(late))


def shortlist_profiles(shortlist: Shortlist) -> list[dict]:
    """What the mentee reads about each mentor: chosen name and their own words. Nothing else
    (no photo, no area, no story the matching used)."""
    intros = dict(
        MentorIntro.objects.filter(mentor__in=shortlist.mentors.all()).values_list(
            "mentor_id", "words"
        )
    )
    return [
        {"pk": mentor.pk, "name": mentor.display_name, "words": intros.get(mentor.pk, "")}
        for mentor in shortlist.mentors.order_by("display_name", "id")
    ]
