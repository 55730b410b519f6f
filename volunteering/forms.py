"""What people type, checked, with plain-language messages. Services do the rest."""

from __future__ import annotations

from datetime import datetime, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import inputs
from accounts.inputs import ChoiceOfRecord, ChoicesOfRecords
from accounts.models import AVAILABILITY_SLOTS
from volunteering.models import (
    DBSLevel,
    RiskDecision,
    Shift,
    Stage,
    TrainingCourse,
    VolunteerRole,
)
from volunteering.services import STEPS


class DateInput(forms.DateInput):
    """The browser's date picker, which needs ISO dates whatever the language."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


class ApplyForm(forms.Form):
    why = forms.CharField(
        label=_("Why would you like to volunteer?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Tell us a little about why.")},
    )
    roles = ChoicesOfRecords(
        label=_("What would you like to do?"),
        queryset=VolunteerRole.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Tick any that interest you. You can change your mind later."),
    )
    availability = forms.MultipleChoiceField(
        label=_("When are you usually free?"),
        choices=AVAILABILITY_SLOTS,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    lived_experience_to_use = forms.CharField(
        label=_("Lived experience you are willing to draw on (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only what you are happy to use to help others. Only coordinators see it."),
    )


class TrainingForm(forms.Form):
    course = ChoiceOfRecord(
        label=_("Course"), queryset=TrainingCourse.objects.all(), empty_label=None
    )
    completed_on = inputs.DateField(label=_("Date you completed it"), widget=DateInput)
    certificate = forms.FileField(
        label=_("Certificate (optional)"),
        required=False,
        help_text=_("A PDF, or a photo or scan (JPEG, PNG or WebP), up to 5 MB."),
    )


class ShiftSignupForm(forms.Form):
    """Nothing to fill in; the button is the form."""


class LogHoursForm(forms.Form):
    worked_on = inputs.DateField(label=_("Date"), widget=DateInput)
    hours = forms.IntegerField(label=_("Hours"), min_value=0, max_value=24, initial=0)
    minutes = forms.IntegerField(
        label=_("Minutes"), min_value=0, max_value=59, initial=0, required=False
    )
    role = ChoiceOfRecord(label=_("Role"), queryset=VolunteerRole.objects.all())
    shift = ChoiceOfRecord(
        label=_("Shift (optional)"),
        queryset=Shift.objects.none(),
        required=False,
        widget=forms.HiddenInput,
        error_messages={
            "invalid_choice": _(
                "That shift cannot be logged: its hours are logged already, or you were not on it."
            )
        },
    )
    note = forms.CharField(label=_("Note (optional)"), max_length=300, required=False)

    def __init__(self, *args, shifts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shift"].queryset = shifts if shifts is not None else Shift.objects.none()

    def clean(self):
        data = super().clean()
        total = (data.get("hours") or 0) * 60 + (data.get("minutes") or 0)
        if "hours" in data and not total:
            raise forms.ValidationError(_("Enter how long you volunteered."))
        if total > 24 * 60:
            raise forms.ValidationError(_("A day has 24 hours. Enter 24 hours or less."))
        data["total_minutes"] = total
        return data


class DecideHoursForm(forms.Form):
    entries = forms.TypedMultipleChoiceField(coerce=int, choices=(), required=True)
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Reject"))])

    def __init__(self, *args, entry_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entries"].choices = [(pk, pk) for pk in entry_ids]
        self.fields["entries"].error_messages["required"] = _("Tick at least one entry.")
        self.fields["entries"].error_messages["invalid_choice"] = _(
            "One of those entries has already been decided. Please look again."
        )


class ShiftForm(forms.Form):
    role = ChoiceOfRecord(label=_("Role"), queryset=VolunteerRole.objects.all())
    day = inputs.DateField(label=_("Date"), widget=DateInput)
    starts = forms.TimeField(label=_("Starts"), widget=TimeInput)
    ends = forms.TimeField(label=_("Ends"), widget=TimeInput)
    place = forms.CharField(label=_("Place"), max_length=160)
    places = forms.IntegerField(label=_("Number of places"), min_value=1, max_value=500)
    notes = forms.CharField(
        label=_("Notes (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    repeat_weeks = forms.IntegerField(
        label=_("Repeat weekly for how many more weeks?"),
        min_value=0,
        max_value=26,
        initial=0,
        help_text=_("0 for a one-off shift."),
    )

    def clean(self):
        data = super().clean()
        if {"day", "starts", "ends"} <= data.keys():
            tz = timezone.get_current_timezone()
            data["starts_at"] = timezone.make_aware(
                datetime.combine(data["day"], data["starts"]), tz
            )
            ends_at = timezone.make_aware(datetime.combine(data["day"], data["ends"]), tz)
            if ends_at <= data["starts_at"]:  # an overnight shift ends the next day
                ends_at += timedelta(days=1)
            data["ends_at"] = ends_at
        return data


class ShiftChangeForm(ShiftForm):
    """A shift's time, place and places; its role stays (people were cleared for it)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["role"]
        del self.fields["repeat_weeks"]


class StageForm(forms.Form):
    stage = forms.ChoiceField(label=_("Move to"), choices=Stage.choices)


class StepForm(forms.Form):
    step = forms.ChoiceField(
        label=_("Step"),
        choices=[
            ("interview", _("Interview")),
            ("induction", _("Induction")),
            ("supervision", _("Supervision agreement signed")),
        ],
    )
    on = inputs.DateField(label=_("Date"), widget=DateInput)

    def clean_step(self):
        if self.cleaned_data["step"] not in STEPS:
            raise forms.ValidationError(_("Choose a step from the list."))
        return self.cleaned_data["step"]


class ReferenceForm(forms.Form):
    referee_name = forms.CharField(label=_("Referee's name"), max_length=120)
    relationship = forms.CharField(
        label=_("How they know the volunteer"), max_length=120, required=False
    )


class ReferenceReceivedForm(forms.Form):
    received_on = inputs.DateField(label=_("Received on"), widget=DateInput)
    satisfactory = forms.TypedChoiceField(
        label=_("Is it satisfactory?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )


class DBSCheckForm(forms.Form):
    level = forms.ChoiceField(label=_("Level"), choices=DBSLevel.choices[1:])
    issued_on = inputs.DateField(label=_("Issue date"), widget=DateInput)
    certificate_number = forms.CharField(
        label=_("Certificate number"), max_length=20, help_text=_("12 digits.")
    )
    update_service = forms.BooleanField(
        label=_("Subscribed to the DBS update service"), required=False
    )
    recheck_due = inputs.DateField(
        label=_("Re-check due (optional)"),
        widget=DateInput,
        required=False,
        help_text=_("Leave empty for three years after the issue date."),
    )
    has_disclosure = forms.BooleanField(
        label=_("The certificate discloses something"),
        required=False,
        help_text=_("Do not write what it says here. You will write a risk assessment per role."),
    )


class RiskAssessmentForm(forms.Form):
    role = ChoiceOfRecord(label=_("Role"), queryset=VolunteerRole.objects.all())
    decision = forms.ChoiceField(
        label=_("Decision"), choices=RiskDecision.choices, widget=forms.RadioSelect
    )
    notes = forms.CharField(
        label=_("Assessment"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "How what was disclosed relates to this role, and what support or limits are agreed. "
            "Only you will be able to read this."
        ),
    )
