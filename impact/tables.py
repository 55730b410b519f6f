"""The impact report as tables people can read, chart and download, with small numbers hidden.

Any count of people from 1 to 4 is shown as "fewer than 5", and so is anything worked out from
fewer than 5 people (a share, a median), so nobody can be recognised from the report. In a
breakdown whose total appears elsewhere, hiding one row alone would let anyone subtract it back
out, so the next smallest row is hidden too; that one reads "hidden" (the page says why), never
"fewer than 5", which would be untrue of it.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from impact.selectors import ImpactReport
from mentoring.choices import EndReason, Need

SMALL = 5
FEWER_THAN_5 = _("fewer than 5")
NOT_SHOWN = _("not shown: fewer than 5 people")
# A number of 5 or more hidden only so that a small one cannot be worked out from the total.
HIDDEN_TO_PROTECT = _("hidden")


def is_small(count: int) -> bool:
    return 0 < count < SMALL


def show_count(count: int) -> str:
    return str(FEWER_THAN_5) if is_small(count) else number_format(count, force_grouping=True)


def show_share(part: int, whole: int) -> str:
    """A percentage, hidden when either side of it is a handful of people."""
    if whole == 0:
        return "–"
    if whole < SMALL or is_small(part) or is_small(whole - part):
        return str(NOT_SHOWN)
    return f"{round(100 * part / whole)}%"


def show_median(values: list[int]) -> str:
    """The middle value of ``values`` (days), hidden when worked out from fewer than 5 people."""
    return _show_days(values, statistics.median)


def show_upper_quartile(values: list[int]) -> str:
    """The value 3 in 4 of ``values`` are at or below (the 75th percentile, in days), hidden as
    the median is. Taken between the two nearest values, as a spreadsheet's QUARTILE does."""
    return _show_days(values, lambda v: statistics.quantiles(v, n=4, method="inclusive")[2])


def _show_days(values: list[int], middle) -> str:
    if not values:
        return "–"
    if len(values) < SMALL:
        return str(NOT_SHOWN)
    return str(_("%(days)s days")) % {"days": number_format(middle(values), decimal_pos=0)}


@dataclass
class Row:
    label: str
    shown: str
    value: int | None = None  # a count behind a bar; None when the row has no bar
    hidden: bool = False
    width: int = 0  # bar length, 0 to 100


@dataclass
class Table:
    name: str  # used in the CSV address: ?format=csv&table=<name>
    caption: str
    heading: str
    value_heading: str
    rows: list[Row] = field(default_factory=list)
    chart: bool = False
    adds_up: bool = True  # the rows are parts of a total shown elsewhere

    def finish(self) -> Table:
        """Hide small counts (and one more when only one would be hidden); size the bars. A row
        already marked hidden stays hidden, whatever its count."""
        counted = [row for row in self.rows if row.value is not None]
        for row in counted:
            row.hidden = row.hidden or is_small(row.value)
        hidden = [row for row in counted if row.hidden]
        if self.adds_up and len(hidden) == 1:
            others = sorted((row for row in counted if not row.hidden and row.value), key=_size)
            if others:
                others[0].hidden = True
        largest = max((row.value for row in counted if not row.hidden), default=0)
        for row in counted:
            if row.hidden:
                small = is_small(row.value)
                row.shown = str(FEWER_THAN_5 if small else HIDDEN_TO_PROTECT)
                row.width = 0
            else:
                row.shown = number_format(row.value, force_grouping=True)
                row.width = round(100 * row.value / largest) if largest else 0
        return self

    def csv_rows(self) -> list[list[str]]:
        return [[self.heading, self.value_heading], *([row.label, row.shown] for row in self.rows)]


@dataclass
class Grid:
    """A table of several columns whose cells are already shown (suppressed) text."""

    name: str  # used in the CSV address, as a Table's
    caption: str
    headings: list[str]  # the first names the rows
    rows: list[list[str]] = field(default_factory=list)  # a label, then a cell per heading

    def csv_rows(self) -> list[list[str]]:
        return [self.headings, *self.rows]


def _size(row: Row) -> int:
    return row.value or 0


def _money(amount: Decimal) -> str:
    return "£" + number_format(amount, decimal_pos=0, force_grouping=True)


def key_figures(report: ImpactReport) -> Table:
    """The one-page summary: what a funder asks first."""
    rows = [
        (_("People referred"), show_count(report.referrals)),
        (
            _("Share of people referred who went to a first meeting"),
            show_share(report.attended_first_meeting, report.referrals),
        ),
        (_("Median time from referral to a match"), show_median(report.days_to_match)),
        (
            _("Median time from referral to a first meeting"),
            show_median(report.days_to_first_meeting),
        ),
        (_("Mentoring matches active"), show_count(report.active_matches)),
        (_("Mentoring meetings held"), show_count(report.meetings_held)),
        (_("Goals reached"), show_count(report.goals_reached)),
        (_("Matches that ended"), show_count(report.matches_ended)),
        (_("Volunteers who gave time"), show_count(report.volunteers)),
        (_("Hours volunteered (approved)"), number_format(report.volunteer_hours, decimal_pos=1)),
        (_("Value of those hours"), _money(report.volunteer_value_gbp)),
        (_("People once mentored who applied to volunteer"), show_count(report.pathway_applied)),
        (_("…of whom volunteer now"), show_count(report.pathway_volunteering)),
        (_("Events held"), number_format(report.events_held)),
        (_("Places taken at those events"), show_count(report.event_places)),
        (_("Stories published"), number_format(report.stories_published)),
    ]
    return Table(
        name="summary",
        caption=str(_("Key figures")),
        heading=str(_("Figure")),
        value_heading=str(_("Value")),
        rows=[Row(str(label), shown) for label, shown in rows],
    )


# The six areas commissioners ask about, then learning (mentoring's seventh).
GOAL_AREAS = [Need.HOUSING, Need.WORK, Need.RECOVERY, Need.FAMILY, Need.HEALTH, Need.MONEY]


def journey(report: ImpactReport) -> Table:
    """From referral to a first meeting: how many people reached each step."""
    return Table(
        name="journey",
        caption=str(_("From referral to a first meeting")),
        heading=str(_("Step")),
        value_heading=str(_("People")),
        rows=[
            Row(str(_("Referred")), "", report.referrals),
            Row(str(_("Matched with a mentor")), "", len(report.days_to_match)),
            Row(str(_("Went to a first meeting")), "", report.attended_first_meeting),
        ],
        chart=True,
        adds_up=False,
    ).finish()


def goals_by_area(report: ImpactReport) -> Table:
    areas = [*GOAL_AREAS, Need.LEARNING]
    return Table(
        name="goals",
        caption=str(_("Goals reached, by area of life")),
        heading=str(_("Area")),
        value_heading=str(_("Goals reached")),
        rows=[Row(str(area.label), "", report.goals_by_area.get(area, 0)) for area in areas],
        chart=True,
    ).finish()


def endings(report: ImpactReport) -> Table:
    return Table(
        name="endings",
        caption=str(_("How matches ended")),
        heading=str(_("Reason")),
        value_heading=str(_("Matches")),
        rows=[Row(str(reason.label), "", report.endings.get(reason, 0)) for reason in EndReason],
        chart=True,
    ).finish()


def all_tables(report: ImpactReport) -> list[Table]:
    return [
        key_figures(report),
        journey(report),
        goals_by_area(report),
        endings(report),
    ]
