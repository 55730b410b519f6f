"""Milestones that never shame: days counted from a person's date, with "starting again" after a
lapse. A lapse never resets to zero: the total of good days and the longest run are kept.
No queries: works on a clock with its fresh starts already loaded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

MILESTONES = (30, 90, 180, 365)


@dataclass(frozen=True)
class Days:
    current_run: int  # days since the date, or since starting again
    total_good_days: int  # every good day, counting the runs before a lapse
    longest_run: int
    reached: tuple[int, ...]  # milestones reached in the current run
    next_milestone: int | None
    starts_again: int  # how many times the person started again

    @property
    def days_to_next(self) -> int | None:
        return self.next_milestone - self.current_run if self.next_milestone else None


def count_days(started_on: date, fresh_starts: list[date], today: date) -> Days:
    """Each run counts the days from its start to the next fresh start (the day of a lapse is
    the first day of the new run, not a good day of the old one), the last one up to today."""
    starts = [started_on, *sorted(d for d in fresh_starts if started_on < d <= today)]
    ends = [*starts[1:], today]
    runs = [max((end - begin).days, 0) for begin, end in zip(starts, ends, strict=True)]
    current = runs[-1]
    reached = tuple(m for m in MILESTONES if current >= m)
    upcoming = next((m for m in MILESTONES if current < m), None)
    return Days(
        current_run=current,
        total_good_days=sum(runs),
        longest_run=max(runs),
        reached=reached,
        next_milestone=upcoming,
        starts_again=len(starts) - 1,
    )
