"""The outcomes part of the impact report: what changed for people, how matches ended, how fast
help came and how meetings went. Four queries whatever the data size; every figure passes through
the same small-number suppression as the rest of the report (``impact.tables``).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.db.models import Count, F, Min, Q, Window
from django.db.models.functions import Coalesce, Greatest, RowNumber, TruncDate
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from impact.selectors import Period
from impact.tables import NOT_SHOWN, SMALL, Row, Table, show_count, show_median, show_share
from mentoring.choices import EndReason, MatchStatus, MeetingStatus
from mentoring.models import Match, MeetingFeedback, Referral, Response
from mentoring.outcomes import questionnaires

ENDED_WELL = (EndReason.GOALS_MET, EndReason.MOVED_ON)
WITHIN = timedelta(hours=72)


@dataclass
class DomainChange:
    changes: list[float] = field(default_factory=list)  # latest minus first, in scale steps

    @property
    def people(self) -> int:
        return len(self.changes)

    @property
    def better(self) -> int:
        return sum(1 for c in self.changes if c > 0)

    @property
    def harder(self) -> int:
        return sum(1 for c in self.changes if c < 0)


@dataclass
class OutcomesReport:
    people_with_two_checks: int = 0
    domains: dict[str, DomainChange] = field(default_factory=dict)
    ended_well: int = 0
    disengaged: int = 0
    ended_otherwise: int = 0
    days_to_first_meeting: list[int] = field(default_factory=list)
    released: int = 0
    met_within_72_hours: int = 0
    feedback: dict[int, int] = field(default_factory=dict)

    @property
    def ended(self) -> int:
        return self.ended_well + self.disengaged + self.ended_otherwise


def outcomes_report(period: Period) -> OutcomesReport:
    """Four queries: self-checks, endings, first meetings, meeting feedback."""
    report = OutcomesReport()
    _distance(report, period)  # 1 query
    _endings(report, period)  # 1 query
    _first_meetings(report, period)  # 1 query
    _feedback(report, period)  # 1 query
    return report


def _distance(report: OutcomesReport, period: Period) -> None:
    """First and latest self-check of everyone with at least two whose latest is in the period.

    Window functions keep it to two rows a person, however many checks they did."""
    definition = questionnaires.self_check()
    person = [F("person_id")]
    # Rank on the narrow columns only, then read the answers of the two rows a person kept, so
    # the sorts never carry the answers themselves.
    ends = (
        Response.objects.completed()
        .filter(questionnaire=definition.slug, completed_at__lt=period.ends_before)
        .annotate(
            # One sort serves both: the rank in time and the number of checks a person did.
            rank=Window(RowNumber(), partition_by=person, order_by=[F("completed_at"), F("id")]),
            checks=Window(Count("id"), partition_by=person),
        )
        .filter(checks__gte=2)
        .filter(Q(rank=1) | Q(rank=F("checks")))
        .values("id")
    )
    rows = (
        Response.objects.filter(id__in=ends)
        .order_by("person_id", "completed_at", "id")
        .values_list("person_id", "completed_at", "answers")
    )
    firsts, lasts = {}, {}
    for person_id, completed_at, answers in rows:
        if person_id not in firsts:
            firsts[person_id] = answers
        elif completed_at >= period.starts_at:
            lasts[person_id] = answers
    report.people_with_two_checks = len(lasts)
    report.domains = {domain.key: DomainChange() for domain in definition.domains}
    # A domain's score is 0-100; one step on the 5-step scale is 25.
    step = 100 / max(len(definition.items[0].scale.choices) - 1, 1)
    for person_id, latest in lasts.items():
        before = definition.domain_scores(firsts.get(person_id, {}))
        after = definition.domain_scores(latest)
        for key in before.keys() & after.keys():
            report.domains[key].changes.append((after[key] - before[key]) / step)


def _endings(report: OutcomesReport, period: Period) -> None:
    counts = Match.objects.filter(
        status=MatchStatus.ENDED, ended_at__gte=period.starts_at, ended_at__lt=period.ends_before
    ).aggregate(
        well=Count("id", filter=Q(end_reason__in=ENDED_WELL)),
        disengaged=Count("id", filter=Q(end_reason=EndReason.DISENGAGED)),
        all=Count("id"),
    )
    report.ended_well, report.disengaged = counts["well"], counts["disengaged"]
    report.ended_otherwise = counts["all"] - counts["well"] - counts["disengaged"]


def _first_meetings(report: OutcomesReport, period: Period) -> None:
    """People referred in the period: days from referral (or release, when later) to a first
    meeting held, and for people with a release date, whether they met within 72 hours of it."""
    made = TruncDate("created_at")
    rows = (
        Referral.objects.filter(created_at__gte=period.starts_at, created_at__lt=period.ends_before)
        .annotate(
            counted_from=Greatest(made, Coalesce(F("release_date"), made)),
            first_meeting=Min(
                "matches__meetings__starts_at",
                filter=Q(matches__meetings__status=MeetingStatus.HELD),
            ),
        )
        .order_by()
        .values_list("counted_from", "release_date", "first_meeting")
    )
    for counted_from, release_date, first_meeting in rows:
        if first_meeting is not None:
            report.days_to_first_meeting.append(
                max((timezone.localdate(first_meeting) - counted_from).days, 0)
            )
        if release_date is not None:
            report.released += 1
            released_at = timezone.make_aware(datetime.combine(release_date, time.min))
            if first_meeting is not None and first_meeting < released_at + WITHIN:
                report.met_within_72_hours += 1


def _feedback(report: OutcomesReport, period: Period) -> None:
    counts = MeetingFeedback.objects.filter(
        meeting__starts_at__gte=period.starts_at, meeting__starts_at__lt=period.ends_before
    ).aggregate(**{f"face_{n}": Count("id", filter=Q(face=n)) for n in (1, 2, 3)})
    report.feedback = {n: counts[f"face_{n}"] for n in (1, 2, 3)}


# --- Tables -------------------------------------------------------------------------------------


def _steps(value: float) -> str:
    return number_format(value, decimal_pos=1, use_l10n=True).replace("-", "−")


def distance_travelled(report: OutcomesReport) -> Table:
    """Per area: the average change from first to latest answer, and the share better. Hidden
    for an area answered by fewer than 5 people."""
    definition = questionnaires.self_check()
    rows = []
    for domain in definition.domains:
        change = report.domains.get(domain.key, DomainChange())
        if change.people == 0:
            shown = "–"
        elif change.people < SMALL:
            shown = str(NOT_SHOWN)
        else:
            mean = statistics.mean(change.changes)
            shown = str(
                _(
                    "%(sign)s%(steps)s steps on average; "
                    "better for %(better)s, harder for %(harder)s"
                )
            ) % {
                "sign": "+" if mean > 0 else "",
                "steps": _steps(mean),
                "better": show_share(change.better, change.people),
                "harder": show_share(change.harder, change.people),
            }
        rows.append(Row(domain.label, shown))
    return Table(
        name="distance",
        caption=str(
            _(
                "What changed for people: first and latest “How things are” (people with at "
                "least two; a step is one answer up or down on a five-answer scale)"
            )
        ),
        heading=str(_("Area")),
        value_heading=str(_("Change")),
        rows=rows,
        adds_up=False,
    )


def endings(report: OutcomesReport) -> Table:
    table = Table(
        name="ending_well",
        caption=str(_("How matches ended: well, or stopped taking part")),
        heading=str(_("Ending")),
        value_heading=str(_("Matches")),
        rows=[
            Row(str(_("Ended well (goals met or moved on)")), "", report.ended_well),
            Row(str(_("Stopped taking part")), "", report.disengaged),
            Row(str(_("Ended for another reason")), "", report.ended_otherwise),
        ],
        chart=True,
    ).finish()
    table.rows += [
        Row(str(_("Share that ended well")), show_share(report.ended_well, report.ended)),
        Row(str(_("Share that stopped taking part")), show_share(report.disengaged, report.ended)),
    ]
    return table


def time_to_help(report: OutcomesReport) -> Table:
    return Table(
        name="time_to_help",
        caption=str(_("Time to help")),
        heading=str(_("Figure")),
        value_heading=str(_("Value")),
        rows=[
            Row(
                str(_("Median days from referral (or release, when later) to a first meeting")),
                show_median(report.days_to_first_meeting),
            ),
            Row(str(_("People referred with a release date")), show_count(report.released)),
            Row(
                str(_("Share of them met within 72 hours (3 days) of release")),
                show_share(report.met_within_72_hours, report.released),
            ),
        ],
        adds_up=False,
    )


FACES = {3: _("Good"), 2: _("OK"), 1: _("Not good")}


def feedback(report: OutcomesReport) -> Table:
    return Table(
        name="feedback",
        caption=str(_("“How did it go?” after meetings")),
        heading=str(_("Answer")),
        value_heading=str(_("Answers")),
        rows=[Row(str(label), "", report.feedback.get(face, 0)) for face, label in FACES.items()],
        chart=True,
    ).finish()


def key_rows(report: OutcomesReport) -> list[Row]:
    """Outcome figures for the printed one-page summary."""
    return [
        Row(
            str(_("People with two or more “How things are” checks")),
            show_count(report.people_with_two_checks),
        ),
        Row(
            str(_("Share of ended matches that ended well")),
            show_share(report.ended_well, report.ended),
        ),
        Row(
            str(_("Share met within 72 hours of release")),
            show_share(report.met_within_72_hours, report.released),
        ),
    ]


def outcome_tables(report: OutcomesReport) -> list[Table]:
    return [distance_travelled(report), endings(report), time_to_help(report), feedback(report)]
