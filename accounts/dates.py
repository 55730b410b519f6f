"""Calendar arithmetic the apps share."""

from __future__ import annotations

from datetime import date


def add_months(start: date, months: int) -> date:
    """``start`` plus whole months (minus, when negative), keeping the day where the month
    allows (31 Jan + 1 → 28 Feb). Works for a datetime too."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    for day in (start.day, 30, 29, 28):
        try:
            return start.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    raise ValueError(start)  # pragma: no cover - day 28 always exists
