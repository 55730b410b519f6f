"""Who referred people, and what came of it: referrals, matches and first meetings by source (the
person themself, a coordinator, or the kind of partner organisation: probation, prison, drug and
alcohol service, housing, other), and how many days it took from referral to a first meeting.

Two queries whatever the data size: one ``GROUP BY`` source counting referrals, matches and first
meetings, and one returning a (source, referred, first meeting) row per person who had a first
meeting, because SQLite has no median or percentile (as for the report's other medians). Only a
meeting marked as held is a first meeting. Every figure passes through the report's small-number
suppression (``impact.tables``): see ``source_tables``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Exists, Min, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from accounts.organisations import OrganisationKind
from impact.selectors import Period
from impact.tables import (
    NOT_SHOWN,
    Grid,
    Row,
    Table,
    show_count,
    show_median,
    show_upper_quartile,
)
from mentoring.choices import MeetingStatus
from mentoring.models import Match, Meeting, Referral
from mentoring.partners.selectors import (
    REFERRED_BY_COORDINATOR,
    REFERRED_THEMSELVES,
    REFERRER_NOT_RECORDED,
    with_referral_source,
)

# Row labels, in the order shown. A kind of organisation added later still gets a row (below).
LABELS = {
    REFERRED_THEMSELVES: _("Referred themselves"),
    REFERRED_BY_COORDINATOR: _("Referred by a coordinator"),
    OrganisationKind.PROBATION: _("Referred by probation"),
    OrganisationKind.PRISON: _("Referred by a prison resettlement team"),
    OrganisationKind.DRUG_ALCOHOL: _("Referred by a drug and alcohol service"),
    OrganisationKind.HOUSING: _("Referred by a housing service"),
    OrganisationKind.OTHER: _("Referred by another partner organisation"),
}


def sources() -> list[tuple[str, str]]:
    """(source, label) for every row of the table, "not recorded" last."""
    rows = [(str(key), str(label)) for key, label in LABELS.items()]
    rows += [
        (kind.value, str(_("Referred by: %(kind)s")) % {"kind": kind.label})
        for kind in OrganisationKind
        if kind not in LABELS
    ]
    return [*rows, (REFERRER_NOT_RECORDED, str(_("Not recorded")))]


@dataclass
class SourceFigures:
    referred: int = 0
    matched: int = 0  # matched with a mentor (the match started)
    met: int = 0  # went to a first meeting (a meeting marked as held)
    days_to_first_meeting: list[int] = field(default_factory=list)


@dataclass
class SourcesReport:
    by_source: dict[str, SourceFigures] = field(default_factory=dict)

    def figures(self, source: str) -> SourceFigures:
        return self.by_source.get(source, SourceFigures())

    @property
    def all(self) -> SourceFigures:
        figures = list(self.by_source.values())
        return SourceFigures(
            referred=sum(f.referred for f in figures),
            matched=sum(f.matched for f in figures),
            met=sum(f.met for f in figures),
            days_to_first_meeting=[d for f in figures for d in f.days_to_first_meeting],
        )


def sources_report(period: Period) -> SourcesReport:
    """People referred in ``period``, by source: two queries."""
    report = SourcesReport()
    _counts(report, period)  # 1 query
    _days_to_first_meeting(report, period)  # 1 query
    return report


def _received_in(period: Period):
    return with_referral_source(
        Referral.objects.filter(created_at__gte=period.starts_at, created_at__lt=period.ends_before)
    )


def _counts(report: SourcesReport, period: Period) -> None:
    # The same tests as the journey on the report (selectors._timings, selectors._referrals), so
    # each column adds up to a total shown there.
    matched = Exists(Match.objects.filter(referral=OuterRef("pk"), activated_at__isnull=False))
    met = Exists(Meeting.objects.filter(match__referral=OuterRef("pk"), status=MeetingStatus.HELD))
    rows = (
        _received_in(period)
        .order_by()
        .values("source")
        .annotate(
            referred=Count("id"),
            matched=Count("id", filter=Q(matched)),
            met=Count("id", filter=Q(met)),
        )
    )
    for row in rows:
        figures = report.by_source.setdefault(row["source"], SourceFigures())
        figures.referred, figures.matched, figures.met = row["referred"], row["matched"], row["met"]


def _days_to_first_meeting(report: SourcesReport, period: Period) -> None:
    rows = (
        _received_in(period)
        .annotate(
            first_meeting_at=Min(
                "matches__meetings__starts_at",
                filter=Q(matches__meetings__status=MeetingStatus.HELD),
            )
        )
        .filter(first_meeting_at__isnull=False)
        .order_by()
        .values_list("source", "created_at", "first_meeting_at")
    )
    for source, created_at, first_meeting_at in rows:
        figures = report.by_source.setdefault(source, SourceFigures())
        figures.days_to_first_meeting.append(max((first_meeting_at - created_at).days, 0))


# --- Tables -------------------------------------------------------------------------------------

HEADINGS = [
    _("Who referred them"),
    _("People referred"),
    _("Matched with a mentor"),
    _("Went to a first meeting"),
    _("Days from referral to first meeting (middle value)"),
    _("Days from referral to first meeting (3 in 4 met within)"),
]


def _column(
    report: SourcesReport, name: str, attribute: str, *, hidden: set[str], chart: bool = False
) -> Table:
    """One count column as a report table, through the report's suppression: counts from 1 to 4
    hidden and, as the column adds up to a total shown elsewhere, one more when only one would
    be. Rows in ``hidden`` are hidden whatever their count."""
    rows = []
    for source, label in sources():
        row = Row(label, "", getattr(report.figures(source), attribute))
        row.hidden = source in hidden
        rows.append(row)
    return Table(
        name=name,
        caption=str(_("Where referrals came from")),
        heading=str(HEADINGS[0]),
        value_heading=str(HEADINGS[1]),
        rows=rows,
        chart=chart,
    ).finish()


def source_tables(report: SourcesReport) -> tuple[Table, Grid]:
    """The chart of referrals by source, and the table of what came of them.

    Suppression, cell by cell:
    - people referred: a count from 1 to 4 shows as "fewer than 5", and when only one source
      would be hidden the next smallest is hidden too, or it could be worked out from the total
      of people referred in the key figures;
    - a source whose referrals are hidden is hidden across its whole row (its matches or first
      meetings would tell how many it referred at least);
    - matched and first meetings: the same rule again in each column, whose totals are on the
      journey chart;
    - days: shown only for a source with its referrals shown and 5 or more first meetings.
    """
    referred = _column(report, "referrals", "referred", hidden=set(), chart=True)
    keys = [source for source, _label in sources()]
    hidden = {key for key, row in zip(keys, referred.rows, strict=True) if row.hidden}
    matched = _column(report, "matched", "matched", hidden=hidden)
    met = _column(report, "met", "met", hidden=hidden)
    rows = []
    for number, (source, label) in enumerate(sources()):
        days = report.figures(source).days_to_first_meeting
        rows.append(
            [
                label,
                referred.rows[number].shown,
                matched.rows[number].shown,
                met.rows[number].shown,
                str(NOT_SHOWN) if source in hidden else show_median(days),
                str(NOT_SHOWN) if source in hidden else show_upper_quartile(days),
            ]
        )
    everyone = report.all
    rows.append(
        [
            str(_("All referrals")),
            show_count(everyone.referred),
            show_count(everyone.matched),
            show_count(everyone.met),
            show_median(everyone.days_to_first_meeting),
            show_upper_quartile(everyone.days_to_first_meeting),
        ]
    )
    grid = Grid(
        name="by_source",
        caption=str(_("Who referred people, and what came of it")),
        headings=[str(heading) for heading in HEADINGS],
        rows=rows,
    )
    return referred, grid
