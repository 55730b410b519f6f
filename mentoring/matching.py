"""Who could mentor this person? Ranking cleared mentors, with reasons in plain words.

``rank`` is a pure function over plain frozen dataclasses: no queries, no model instances, the same
answer for the same input every time. ``mentoring.selectors`` loads the facts from the database in a
fixed number of queries; this module only decides.

Two kinds of rule:

- **Hard rules** are never broken: the mentor is cleared and has a free place; the gender the mentee
  asked for; pairs a coordinator recorded as "do not match" (members never see these); mentors the
  mentee asked never to be matched with again; the programme's eligibility rule (a mentor released
  from prison, or in recovery, for at least ``Rules.min_months`` months).
- **Weighted factors** add points: shared lived experience, needs the mentor can help with, area,
  language, free at the same times, interests. Every point comes with a reason a person can read.

The weights live in ``DEFAULT_WEIGHTS`` below, and the coordinator's suggestions page shows them.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from typing import NamedTuple

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import AVAILABILITY_SLOTS, LivedExperience
from mentoring.choices import Need


@dataclass(frozen=True)
class Weights:
    """Points for each thing two people share. Per item, up to the cap (so one factor cannot drown
    out the rest)."""

    lived_experience: int = 30
    needs: int = 15
    area: int = 20
    language: int = 15
    availability: int = 4
    interests: int = 3
    # Most items that count for one factor.
    cap: int = 4


# The one place the weights are set. Change them here; the suggestions page shows what is in force.
DEFAULT_WEIGHTS = Weights()

WEIGHT_LABELS = {
    "lived_experience": gettext_lazy("Each shared part of lived experience"),
    "needs": gettext_lazy("Each need the mentor can help with"),
    "area": gettext_lazy("Living in the same area"),
    "language": gettext_lazy("Each shared language (other than English)"),
    "availability": gettext_lazy("Each time both are usually free"),
    "interests": gettext_lazy("Each shared interest"),
    "cap": gettext_lazy("Most items counted for any one of the above"),
}


def weights_table(weights: Weights = DEFAULT_WEIGHTS) -> list[tuple[str, int]]:
    """(plain label, points) for showing a coordinator how suggestions are scored."""
    return [(str(WEIGHT_LABELS[f.name]), getattr(weights, f.name)) for f in fields(weights)]


@dataclass(frozen=True)
class Rules:
    """Hard rules set by the programme and by coordinators.

    ``do_not_match`` holds (mentor id, mentee id) pairs a coordinator recorded: co-defendants,
    known conflicts. ``min_months`` is the eligibility rule: a mentor who was released from prison,
    or who is in recovery, must be that for at least this many months.
    """

    do_not_match: frozenset[tuple[int, int]] = frozenset()
    min_months: int = 12


DEFAULT_RULES = Rules()


@dataclass(frozen=True)
class MenteeFacts:
    id: int
    area: str = ""
    languages: frozenset[str] = frozenset()
    interests: frozenset[str] = frozenset()
    lived_experience: frozenset[str] = frozenset()
    availability: frozenset[str] = frozenset()
    needs: frozenset[str] = frozenset()
    # What they asked for in a mentor: "" means any gender; themes such as "prison".
    wants_gender: str = ""
    wants_experience: frozenset[str] = frozenset()
    # Mentors they asked never to be matched with again.
    never_again: frozenset[int] = frozenset()


@dataclass(frozen=True)
class MentorFacts:
    """A candidate mentor. ``area``, ``languages`` and ``interests`` are normalised (lower case,
    single spaces: see ``normalise``) when loaded, so ranking 10,000 of them stays fast."""

    id: int
    cleared: bool = False
    free_places: int = 0
    gender: str = ""
    area: str = ""
    languages: frozenset[str] = frozenset()
    interests: frozenset[str] = frozenset()
    lived_experience: frozenset[str] = frozenset()
    availability: frozenset[str] = frozenset()
    helps_with: frozenset[str] = frozenset()
    # Whole months since release from prison / since recovery began; None when it does not apply.
    months_since_release: int | None = None
    months_in_recovery: int | None = None


class Reason(NamedTuple):
    """One thing two people share, and the points it earned. ``text`` is what people read."""

    factor: str
    value: str
    points: int

    @property
    def text(self) -> str:
        return explain(self)

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Suggestion:
    mentor_id: int
    score: int
    reasons: tuple[Reason, ...] = field(default_factory=tuple)

    @property
    def reason_texts(self) -> list[str]:
        return [reason.text for reason in self.reasons]


# --- Hard rules ---------------------------------------------------------------------------------


def excluded_by(mentee: MenteeFacts, mentor: MentorFacts, rules: Rules) -> str | None:
    """The hard rule that keeps this pair apart (a short code), or None if they may be matched.

    The code is for coordinators only: a "do not match" pair is never shown to members.
    """
    if not mentor.cleared:
        return "not_cleared"
    if mentor.free_places <= 0:
        return "no_free_place"
    if mentor.id == mentee.id:
        return "same_person"
    if mentee.wants_gender and mentor.gender != mentee.wants_gender:
        return "gender"
    if (mentor.id, mentee.id) in rules.do_not_match:
        return "do_not_match"
    if mentor.id in mentee.never_again:
        return "never_again"
    if not _eligible(mentor, rules):
        return "too_soon"
    return None


def _eligible(mentor: MentorFacts, rules: Rules) -> bool:
    for months in (mentor.months_since_release, mentor.months_in_recovery):
        if months is not None and months < rules.min_months:
            return False
    return True


# --- Factors ------------------------------------------------------------------------------------

# Sentences for shared lived experience; every LivedExperience value has one (a test checks).
SHARED_EXPERIENCE = {
    LivedExperience.PRISON: gettext_lazy("Both have been in prison"),
    LivedExperience.YOUTH_CUSTODY: gettext_lazy("Both have been in youth custody"),
    LivedExperience.PROBATION: gettext_lazy("Both have been on probation"),
    LivedExperience.RESIDENTIAL_REHAB: gettext_lazy("Both have been through residential rehab"),
    LivedExperience.COMMUNITY_TREATMENT: gettext_lazy(
        "Both have had community drug or alcohol treatment"
    ),
    LivedExperience.ALCOHOL: gettext_lazy("Both know recovery from alcohol"),
    LivedExperience.DRUGS: gettext_lazy("Both know recovery from drugs"),
    LivedExperience.HOMELESSNESS: gettext_lazy("Both have been homeless"),
    LivedExperience.MENTAL_HEALTH: gettext_lazy("Both have lived with mental health problems"),
    LivedExperience.DOMESTIC_ABUSE: gettext_lazy("Both have lived through domestic abuse"),
    LivedExperience.FAMILY_SEPARATION: gettext_lazy(
        "Both have spent time apart from children or family"
    ),
    LivedExperience.CARE_LEAVER: gettext_lazy("Both grew up in care"),
    LivedExperience.GAMBLING: gettext_lazy("Both know gambling harm"),
}
SLOT_LABELS = dict(AVAILABILITY_SLOTS)
NEED_LABELS = dict(Need.choices)
EXPERIENCE_LABELS = dict(LivedExperience.choices)
# Everyone on the site reads English, so sharing it says nothing about a match.
COMMON_LANGUAGE = "english"


def explain(reason: Reason) -> str:
    """The plain-words sentence for one reason."""
    factor, value = reason.factor, reason.value
    if factor == "lived_experience":
        return str(SHARED_EXPERIENCE.get(value) or EXPERIENCE_LABELS.get(value, value))
    if factor == "wanted_experience":
        label = str(EXPERIENCE_LABELS.get(value, value)).lower()
        return _("Has the experience asked for: %(theme)s") % {"theme": label}
    if factor == "needs":
        label = str(NEED_LABELS.get(value, value)).lower()
        return _("Can help with %(need)s") % {"need": label}
    if factor == "area":
        return _("Both live in %(area)s") % {"area": value}
    if factor == "language":
        return _("Both speak %(language)s") % {"language": value}
    if factor == "availability":
        return _("Both free %(slot)s") % {"slot": SLOT_LABELS.get(value, value)}
    if factor == "interests":
        return _("Both enjoy %(interest)s") % {"interest": value}
    return value


def normalise(values: Iterable[str]) -> frozenset[str]:
    """Free-text items as matching compares them: lower case, single spaces."""
    return frozenset(key for key in (normalise_one(v) for v in values) if key)


def normalise_one(value: str) -> str:
    return " ".join((value or "").split()).casefold()


@dataclass(frozen=True)
class _Prepared:
    """The mentee's facts, normalised once rather than once per candidate."""

    area: str
    area_written: str
    languages: dict[str, str]
    interests: dict[str, str]
    lived_experience: frozenset[str]
    wants_experience: frozenset[str]
    needs: frozenset[str]
    availability: frozenset[str]


def _as_written(values: Iterable[str]) -> dict[str, str]:
    return {normalise_one(v): " ".join(v.split()) for v in sorted(values) if normalise_one(v)}


def _prepare(mentee: MenteeFacts) -> _Prepared:
    languages = _as_written(mentee.languages)
    languages.pop(COMMON_LANGUAGE, None)
    return _Prepared(
        area=normalise_one(mentee.area),
        area_written=" ".join(mentee.area.split()),
        languages=languages,
        interests=_as_written(mentee.interests),
        lived_experience=frozenset(mentee.lived_experience),
        wants_experience=frozenset(mentee.wants_experience),
        needs=frozenset(mentee.needs),
        availability=frozenset(mentee.availability),
    )


def _score(mentee: _Prepared, mentor: MentorFacts, w: Weights) -> int:
    """The total of ``_reasons``' points, without building them: this runs once per candidate."""
    cap = w.cap
    shared = mentee.lived_experience & mentor.lived_experience
    experience = min(len(shared), cap)
    wanted = min(
        len((mentee.wants_experience & mentor.lived_experience) - shared), cap - experience
    )
    score = (experience + wanted) * w.lived_experience
    score += min(len(mentee.needs & mentor.helps_with), cap) * w.needs
    if mentee.area and mentee.area == mentor.area:
        score += w.area
    score += min(len(mentee.languages.keys() & mentor.languages), cap) * w.language
    score += min(len(mentee.availability & mentor.availability), cap) * w.availability
    score += min(len(mentee.interests.keys() & mentor.interests), cap) * w.interests
    return score


def _reasons(mentee: _Prepared, mentor: MentorFacts, w: Weights) -> list[Reason]:
    cap = w.cap
    found: list[Reason] = []
    shared = mentee.lived_experience & mentor.lived_experience
    found += [Reason("lived_experience", v, w.lived_experience) for v in sorted(shared)[:cap]]
    # Asked for in a mentor ("someone who has been in prison") without sharing it: still counts.
    wanted = sorted((mentee.wants_experience & mentor.lived_experience) - shared)
    found += [
        Reason("wanted_experience", v, w.lived_experience)
        for v in wanted[: cap - min(len(shared), cap)]
    ]
    found += [Reason("needs", v, w.needs) for v in sorted(mentee.needs & mentor.helps_with)[:cap]]
    if mentee.area and mentee.area == mentor.area:
        found.append(Reason("area", mentee.area_written, w.area))
    for key in sorted(mentee.languages.keys() & mentor.languages)[:cap]:
        found.append(Reason("language", mentee.languages[key], w.language))
    found += [
        Reason("availability", v, w.availability)
        for v in sorted(mentee.availability & mentor.availability)[:cap]
    ]
    for key in sorted(mentee.interests.keys() & mentor.interests)[:cap]:
        found.append(Reason("interests", mentee.interests[key], w.interests))
    return found


def rank(
    mentee: MenteeFacts,
    candidates: Sequence[MentorFacts],
    rules: Rules = DEFAULT_RULES,
    weights: Weights = DEFAULT_WEIGHTS,
    *,
    limit: int | None = None,
) -> list[Suggestion]:
    """Mentors who may be matched with ``mentee``, best first, each with its reasons.

    Candidates a hard rule keeps apart are left out, whatever their score. Equal scores are ordered
    by mentor id, so the same input always gives the same list. ``limit`` keeps the first few (and
    builds reasons only for those).
    """
    prepared = _prepare(mentee)
    scored = [
        (-_score(prepared, mentor, weights), mentor.id, mentor)
        for mentor in candidates
        if excluded_by(mentee, mentor, rules) is None
    ]
    if limit is None:
        scored.sort(key=_order)
    else:
        scored = heapq.nsmallest(limit, scored, key=_order)
    return [
        Suggestion(
            mentor_id=mentor_id,
            score=-negative,
            reasons=tuple(_reasons(prepared, mentor, weights)),
        )
        for negative, mentor_id, mentor in scored
    ]


def _order(row: tuple[int, int, MentorFacts]) -> tuple[int, int]:
    return row[0], row[1]


def eligible(
    mentee: MenteeFacts, candidates: Sequence[MentorFacts], rules: Rules = DEFAULT_RULES
) -> list[MentorFacts]:
    """Every candidate no hard rule keeps apart, by id: the choices for a coordinator's override."""
    return sorted(
        (mentor for mentor in candidates if excluded_by(mentee, mentor, rules) is None),
        key=lambda mentor: mentor.id,
    )
