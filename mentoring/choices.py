"""The words mentoring uses, in one place (no models here, so matching.py can use them freely)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Need(models.TextChoices):
    """What a person wants help with. Goals use the same areas."""

    HOUSING = "housing", _("Housing")
    WORK = "work", _("Work and training")
    RECOVERY = "recovery", _("Recovery")
    FAMILY = "family", _("Family")
    HEALTH = "health", _("Health")
    MONEY = "money", _("Money")
    LEARNING = "learning", _("Learning")


class Gender(models.TextChoices):
    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    NON_BINARY = "non_binary", _("Non-binary")


class ContactPreference(models.TextChoices):
    PHONE = "phone", _("Phone call")
    TEXT = "text", _("Text message")
    EMAIL = "email", _("E-mail")
    IN_PERSON = "in_person", _("In person, through a worker")


class ReferralStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting for a match")
    MATCHING = "matching", _("Match proposed")
    MATCHED = "matched", _("Matched")
    CLOSED = "closed", _("Closed")


class MatchStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed, waiting for the mentor")
    ACCEPTED = "accepted", _("Mentor said yes, waiting for the mentee")
    DECLINED = "declined", _("Mentor said no")
    # A mentor the mentee chose did not answer within MENTOR_ANSWER_HOURS (partners/choice.py).
    TIMED_OUT = "timed_out", _("Mentor did not answer in time")
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    ENDED = "ended", _("Ended")


# A match in one of these states holds one of the mentor's places.
OPEN_MATCH_STATES = (
    MatchStatus.PROPOSED,
    MatchStatus.ACCEPTED,
    MatchStatus.ACTIVE,
    MatchStatus.PAUSED,
)


class PauseReason(models.TextChoices):
    RECALL = "recall", _("Recalled to prison")
    RELAPSE = "relapse", _("Relapse")
    HEALTH = "health", _("Health")
    BREAK = "break", _("Needs a break")
    OTHER = "other", _("Something else")


class EndReason(models.TextChoices):
    GOALS_MET = "goals_met", _("Goals met")
    MOVED_ON = "moved_on", _("Moved on")
    DISENGAGED = "disengaged", _("Stopped taking part")
    CUSTODY = "custody", _("Back in custody")
    MENTOR_LEFT = "mentor_left", _("Mentor stepped down")
    NOT_RIGHT = "not_right", _("The match was not right")
    OTHER = "other", _("Something else")


class MeetingPlace(models.TextChoices):
    PLACE = "place", _("In person")
    PHONE = "phone", _("Phone call")
    VIDEO = "video", _("Video call")
    PRISON_GATE = "prison_gate", _("At the prison gate (release day)")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    MISSED = "missed", _("Missed")
    CANCELLED = "cancelled", _("Cancelled")


class ReminderKind(models.TextChoices):
    DAY_BEFORE = "day_before", _("The day before")
    TWO_HOURS = "two_hours", _("Two hours before")


class SharedItem(models.TextChoices):
    """Parts of a mentee's referral and profile they may choose to show their mentor."""

    NEEDS = "needs", _("What I want help with")
    AVAILABILITY = "availability", _("When I am usually free")
    AREA = "area", _("My area")
    PRISON = "prison", _("The prison I was in")
    RELEASE_DATE = "release_date", _("My release date")
    LIVED_EXPERIENCE = "lived_experience", _("The parts of my story I told you")
    GOALS = "goals", _("My goals")
    # Not a thing the mentor sees but a thing she lets them do: look up services for her area
    # and needs, and add them to her "My people". Taking it back removes what they added.
    LOCAL_SERVICES = (
        "local_services",
        _("Let my mentor suggest local services for my area and needs"),
    )


class GoalStatus(models.TextChoices):
    WORKING = "working", _("Working on it")
    REACHED = "reached", _("Reached")
    DROPPED = "dropped", _("Put aside")
