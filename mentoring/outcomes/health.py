"""The health of each match: on track, or needs a check-in, with the reasons in plain words.

Computed on every read from what happened (meetings, "how did it go?" answers, self-checks),
never stored as a flag, so it clears by itself once things pick up. One query for every active
match (correlated subqueries pick each match's last two of everything).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import JSONField, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from mentoring.choices import MeetingStatus
from mentoring.models import Match, Meeting
from mentoring.outcomes import questionnaires
from mentoring.outcomes.models import Face, MeetingFeedback, Response

NO_MEETING_DAYS = 21
# A drop of this much (out of 100) between the last two self-checks counts as getting worse:
# about one step down on a third of the questions.
WORSE_BY = 10


@dataclass
class MatchHealth:
    match: Match
    reasons: list[str] = field(default_factory=list)

    @property
    def on_track(self) -> bool:
        return not self.reasons


def _annotated(now: datetime):
    past = Meeting.objects.filter(
        match=OuterRef("pk"),
        starts_at__lte=now,
        status__in=[MeetingStatus.HELD, MeetingStatus.MISSED],
    ).order_by("-starts_at", "-id")
    held = past.filter(status=MeetingStatus.HELD)
    feedback = MeetingFeedback.objects.filter(meeting__match=OuterRef("pk")).order_by(
        "-created_at", "-id"
    )
    checks = (
        Response.objects.completed()
        .filter(person=OuterRef("mentee"), questionnaire=questionnaires.SELF_CHECK)
        .order_by("-completed_at", "-id")
    )
    return (
        Match.objects.active()
        .select_related("mentor", "mentee")
        .annotate(
            last_held=Subquery(held.values("starts_at")[:1]),
            meeting_1=Subquery(past.values("status")[:1]),
            meeting_2=Subquery(past.values("status")[1:2]),
            face_1=Subquery(feedback.values("face")[:1]),
            face_2=Subquery(feedback.values("face")[1:2]),
            check_1=Subquery(checks.values("answers")[:1], output_field=JSONField()),
            check_2=Subquery(checks.values("answers")[1:2], output_field=JSONField()),
        )
        .order_by("activated_at", "id")
    )


def reasons_for(match: Match, now: datetime) -> list[str]:
    """The plain-words reasons a match needs a check-in (none: on track). No queries: reads the
    annotations of ``_annotated``."""
    reasons = []
    since = match.last_held or match.activated_at
    if since is not None and since < now - timedelta(days=NO_MEETING_DAYS):
        reasons.append(_("No meeting for three weeks"))
    if match.meeting_1 == MeetingStatus.MISSED and match.meeting_2 == MeetingStatus.MISSED:
        reasons.append(_("Missed the last two meetings"))
    if match.face_1 == Face.POOR and match.face_2 == Face.POOR:
        reasons.append(_("The last two meetings did not go well"))
    if match.check_1 and match.check_2:
        definition = questionnaires.self_check()
        latest, before = definition.total(match.check_1), definition.total(match.check_2)
        if latest is not None and before is not None and latest <= before - WORSE_BY:
            reasons.append(_("Their self-check says things are getting harder"))
    return reasons


def match_health(*, now: datetime | None = None) -> list[MatchHealth]:
    """Every active match with its health. One query."""
    now = now or timezone.now()
    return [MatchHealth(match, reasons_for(match, now)) for match in _annotated(now)]


def needing_check_in(*, now: datetime | None = None) -> list[MatchHealth]:
    """Active matches that need a coordinator's check-in, with reasons. One query."""
    return [health for health in match_health(now=now) if not health.on_track]


def health_of(match: Match, *, now: datetime | None = None) -> MatchHealth | None:
    """One match's health (None when it is not active). One query."""
    now = now or timezone.now()
    found = _annotated(now).filter(pk=match.pk).first()
    return MatchHealth(found, reasons_for(found, now)) if found else None
