"""What people type into addresses and forms, parsed once and safely, for every app.

- Ids: only ASCII digits, and no more than a database can hold. ``"²".isdigit()`` is True and
  ``int("²")`` fails; a 30-digit id overflows SQLite and PostgreSQL. Both were server errors.
- Dates: between 1900 and 2100. A shift on 9999-12-31 ending after midnight cannot be stored,
  and a week starting on 9999-12-31 has no "next week"; calendar feeds broke on both.
"""

from __future__ import annotations

import unicodedata
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2100, 12, 31)
# The largest id a database row can have here (a signed 64-bit integer).
MAX_ID = 2**63 - 1

DATE_OUT_OF_RANGE = _("Please give a date between 1900 and 2100.")


def parse_id(raw: object) -> int | None:
    """A row id from text, or None when it is not one (empty, not plain digits, too big)."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw if 0 < raw <= MAX_ID else None
    if not isinstance(raw, str):
        return None
    raw = raw.strip()
    if not raw or len(raw) > 19 or not (raw.isascii() and raw.isdigit()):
        return None
    value = int(raw)
    return value if 0 < value <= MAX_ID else None


def validate_date_in_range(value: date) -> None:
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValidationError(DATE_OUT_OF_RANGE, code="date_range")


def parse_date(raw: str | None) -> date | None:
    """A date from an address (``?week=2026-12-07``), or None when it is not a sane one."""
    if not raw or len(raw) > 10:
        return None
    try:
        value = date.fromisoformat(raw)
    except ValueError:
        return None
    return value if EARLIEST_DATE <= value <= LATEST_DATE else None


class DateField(forms.DateField):
    """A date people type, refused with a plain message outside 1900-2100."""

    default_validators = [validate_date_in_range]


def validate_moment_in_range(value) -> None:
    validate_date_in_range(value.date())


class DateTimeField(forms.DateTimeField):
    """A date and time people type, refused with a plain message outside 1900-2100."""

    default_validators = [validate_moment_in_range]


class IdConverter:
    """``<id:pk>`` in an address: 1 to 18 digits, so an id that cannot exist is a plain 404."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


# Characters a name must not hold: control characters and line breaks (a line break in a name
# broke the e-mail headers of meeting reminders, and they silently stopped), and the invisible
# formatting characters, bidirectional overrides among them (U+202E turns "Sam" into text that
# reads differently from how it is stored). The zero-width joiner stays: emoji sequences need it.
_REFUSED_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
_ALLOWED_FORMAT = {"\u200d"}

NAME_REFUSED = _(
    "Please use only letters, numbers, spaces and ordinary punctuation: no line breaks or "
    "invisible characters."
)


def has_unsafe_characters(value: str) -> bool:
    return any(
        unicodedata.category(char) in _REFUSED_CATEGORIES and char not in _ALLOWED_FORMAT
        for char in value
    )


def validate_plain_text(value: str) -> None:
    """For names and other short text shown to other people."""
    if has_unsafe_characters(value):
        raise ValidationError(NAME_REFUSED, code="unsafe_characters")


# --- Choosing records by id ----------------------------------------------------------------------


def _looks_like_an_id(value) -> bool:
    return parse_id(str(value)) is not None


class ChoiceOfRecord(forms.ModelChoiceField):
    """A ModelChoiceField that never sends an impossible id to the database."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if not _looks_like_an_id(value):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class ChoicesOfRecords(forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField that never sends an impossible id to the database (SQLite
    raises OverflowError past 64 bits: a 500, not a plain message)."""

    def _check_values(self, value):
        for pk in value:
            if not _looks_like_an_id(pk):
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super()._check_values(value)
