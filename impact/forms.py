from __future__ import annotations

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import inputs
from impact.selectors import Period

EARLIEST = date(2000, 1, 1)
LONGEST_DAYS = 366 * 5


class DateInput(forms.DateInput):
    input_type = "date"


class PeriodForm(forms.Form):
    """The period of the impact report: both days included; the last 12 months if left empty."""

    # 1900-2100, as every date people type: an end in year 1 has no "twelve months before".
    start = inputs.DateField(label=_("From"), required=False, widget=DateInput)
    end = inputs.DateField(label=_("To"), required=False, widget=DateInput)

    error_messages = {
        "order": _("The end date must be on or after the start date."),
        "future": _("The start date cannot be in the future."),
        "early": _("Please choose dates from the year 2000 onwards."),
        "long": _("Please choose a period of five years or less."),
    }

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        end = cleaned.get("end") or timezone.localdate()
        start = cleaned.get("start") or Period.last_twelve_months(end).start
        if start < EARLIEST:
            raise forms.ValidationError(self.error_messages["early"], code="early")
        if start > timezone.localdate():
            raise forms.ValidationError(self.error_messages["future"], code="future")
        if end < start:
            raise forms.ValidationError(self.error_messages["order"], code="order")
        if (end - start).days > LONGEST_DAYS:
            raise forms.ValidationError(self.error_messages["long"], code="long")
        cleaned["period"] = Period(start, end)
        return cleaned
