"""Forms for crisis routing: plain-language labels and errors."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts import inputs
from accounts.inputs import ChoiceOfRecord
from accounts.models import User
from accounts.roles import Role
from chat.models import CheckInReply, Room, RoomKind, Weekday
from chat.services.crisis import MAX_WORDS, ROTA_ROLES


class HandledForm(forms.Form):
    note = forms.CharField(
        label=_("What happened (optional, for the log)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CrisisConcernForm(forms.Form):
    summary = forms.CharField(
        label=_("What worries you"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Please say what happened or what worries you.")},
    )


class CheckInForm(forms.Form):
    body = forms.CharField(
        label=_("Your private message"),
        max_length=MAX_WORDS,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Only they will see it. Change the words so they sound like you."),
        error_messages={"required": _("Please write something first.")},
    )


class ReplyForm(forms.Form):
    reply = forms.ChoiceField(choices=CheckInReply.choices)
    words = forms.CharField(
        label=_("Or write to them in your own words"),
        max_length=MAX_WORDS,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class WordingForm(forms.Form):
    label = forms.CharField(label=_("Short name"), max_length=80)
    body = forms.CharField(
        label=_("The words"), max_length=MAX_WORDS, widget=forms.Textarea(attrs={"rows": 6})
    )


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class ShiftForm(forms.Form):
    person = ChoiceOfRecord(
        label=_("Who"),
        queryset=User.objects.none(),
        empty_label=_("Choose someone"),
        error_messages={"required": _("Please choose who is on call.")},
    )
    room = ChoiceOfRecord(
        label=_("For"),
        queryset=Room.objects.none(),
        required=False,
        empty_label=_("Every room (the whole organisation)"),
    )
    starts_at = inputs.DateTimeField(
        label=_("From"),
        widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        error_messages={
            "required": _("Please say when it starts."),
            "invalid": _("Please give a date and time."),
        },
    )
    ends_at = inputs.DateTimeField(
        label=_("Until"),
        widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        error_messages={
            "required": _("Please say when it ends."),
            "invalid": _("Please give a date and time."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _who_and_where(self)


def _who_and_where(form: forms.Form) -> None:
    """The people who can be on call, and the rooms (not pair rooms) a rota entry can be for."""
    form.fields["person"].queryset = (
        User.objects.filter(is_active=True, groups__name__in=[*ROTA_ROLES, Role.SAFEGUARDING_LEAD])
        .distinct()
        .order_by("display_name", "pk")
    )
    form.fields["person"].label_from_instance = lambda user: user.display_name
    form.fields["room"].queryset = Room.objects.filter(closed_at=None).exclude(kind=RoomKind.PAIR)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class WeeklySlotForm(forms.Form):
    """Someone on call every week at the same times ("Mondays 18:00 until 23:00")."""

    person = ShiftForm.base_fields["person"]
    room = ShiftForm.base_fields["room"]
    weekday = forms.TypedChoiceField(
        label=_("Every"),
        coerce=int,
        choices=Weekday.choices,
        error_messages={"required": _("Please choose a day of the week.")},
    )
    starts = forms.TimeField(
        label=_("From"),
        widget=TimeInput(),
        input_formats=["%H:%M"],
        error_messages={
            "required": _("Please say when it starts."),
            "invalid": _("Please give a time, like 18:00."),
        },
    )
    ends = forms.TimeField(
        label=_("Until"),
        widget=TimeInput(),
        input_formats=["%H:%M"],
        help_text=_("A time before the start runs past midnight into the next day."),
        error_messages={
            "required": _("Please say when it ends."),
            "invalid": _("Please give a time, like 23:00."),
        },
    )

    def __init__(self, *args, **kwargs):
        # Its own ids: it shares the rota page with the one-off shift form.
        kwargs.setdefault("auto_id", "weekly-%s")
        super().__init__(*args, **kwargs)
        _who_and_where(self)
