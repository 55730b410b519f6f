"""The mentee's choice: a coordinator offers two or three suitable mentors; the mentee reads
each one's few lines in their own words (chosen name, no photo) and picks one, asks for someone
else, or asks the coordinator to choose. The chosen mentor is asked at once and has
``ANSWER_DAYS`` days to answer; after that the coordinator is told.
"""

from __future__ import annotations

from datetime import datetime, timedelta

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
from mentoring.models import Referral
from mentoring.partners.models import MentorIntro, Shortlist, ShortlistAnswer
from mentoring.partners.selectors import coordinators
from mentoring.permissions import is_coordinator

ANSWER_DAYS = 3
SIZES = (2, 3)


def answer_due(shortlist: Shortlist) -> datetime | None:
    if shortlist.answered_at is None or shortlist.answer != ShortlistAnswer.PICKED:
        return None
    return shortlist.answered_at + timedelta(days=ANSWER_DAYS)


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


def tell_coordinators_of_late_answers(now: datetime) -> int:
    """The daily sweep: a chosen mentor who has not answered in time. Safe to run twice."""
    late = Shortlist.objects.filter(
        answer=ShortlistAnswer.PICKED,
        overdue_told_at__isnull=True,
        answered_at__lt=now - timedelta(days=ANSWER_DAYS),
        match__status=MatchStatus.PROPOSED,
    )
    told = 0
    for shortlist in late:
        with transaction.atomic():
            notifications.notify(
                to=coordinators(),
                kind="partners.mentor_late",
                key=f"late:{shortlist.pk}",
                context={"url": reverse("mentoring:match", args=[shortlist.match_id])},
            )
            Shortlist.objects.filter(pk=shortlist.pk).update(overdue_told_at=now)
        told += 1
    return told


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
