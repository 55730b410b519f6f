from __future__ import annotations

from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import inputs
from accounts.models import AVAILABILITY_SLOTS, LivedExperience
from mentoring.choices import (
    ContactPreference,
    EndReason,
    Gender,
    GoalStatus,
    MeetingPlace,
    MeetingStatus,
    Need,
    PauseReason,
    SharedItem,
)

NO_PREFERENCE = [("", _("No preference"))]


class ReferralForm(forms.Form):
    """What a referral asks. A coordinator's form adds the person's e-mail address."""

    contact_preference = forms.ChoiceField(
        label=_("Best way to get in touch"), choices=ContactPreference.choices
    )
    area = forms.CharField(
        label=_("Area"), max_length=80, required=False, help_text=_("Town or part of town.")
    )
    needs = forms.MultipleChoiceField(
        label=_("Wants help with"),
        choices=Need.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    prison = forms.CharField(label=_("Prison (if any)"), max_length=120, required=False)
    release_date = inputs.DateField(
        label=_("Release date (if any)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    wants_experience = forms.MultipleChoiceField(
        label=_("Would like a mentor who knows about"),
        choices=LivedExperience.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    wants_gender = forms.ChoiceField(
        label=_("Would like a mentor who is"),
        choices=NO_PREFERENCE + Gender.choices,
        required=False,
    )
    wants_language = forms.CharField(
        label=_("Would like a mentor who speaks"), max_length=40, required=False
    )
    availability = forms.MultipleChoiceField(
        label=_("Usually free"),
        choices=AVAILABILITY_SLOTS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    consent_to_share = forms.BooleanField(
        # Names every item shared on agreeing (services.DEFAULT_SHARED); a test holds them
        # together.
        label=_(
            "I agree that my mentor may see what I want help with, when I am usually free, "
            "my area and my goals"
        ),
        required=False,
        help_text=_(
            "Your release date, the prison and your story stay private unless you choose later, "
            'on "What my mentor sees".'
        ),
    )


class CoordinatorReferralForm(ReferralForm):
    email = forms.EmailField(
        label=_("E-mail address of the person"),
        help_text=_(
            "If they have no account yet, we make one and e-mail them an invitation to choose a "
            "password."
        ),
    )
    display_name = forms.CharField(
        label=_("Name they go by (only if they have no account yet)"),
        max_length=60,
        required=False,
    )
    phone = forms.CharField(
        label=_("Mobile number (if they want text messages)"),
        max_length=20,
        required=False,
        help_text=_("We text them once to check it is theirs, without saying why."),
    )
    risk = forms.CharField(
        label=_("Risk information (coordinators only)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    field_order = ["email", "display_name", "contact_preference", "phone"]

    def clean_phone(self) -> str:
        from notifications.phones import uk_mobile

        typed = self.cleaned_data["phone"].strip()
        if not typed:
            return ""
        mobile = uk_mobile(typed)
        if mobile is None:
            raise forms.ValidationError(
                _("Please give a UK mobile number, such as 07123 456789, or leave it empty.")
            )
        return mobile

    def clean_email(self) -> str:
        # Who has this address (or that no one has yet) is the service's to decide, in the same
        # transaction that makes the account.
        return self.cleaned_data["email"].strip().lower()


class RiskNoteForm(forms.Form):
    body = forms.CharField(
        label=_("Risk information"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class DoNotMatchForm(forms.Form):
    mentor = forms.TypedChoiceField(label=_("Mentor"), coerce=int)
    reason = forms.CharField(label=_("Why (coordinators only)"), max_length=200)

    def __init__(self, *args, mentors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].choices = [(m.pk, m.display_name) for m in mentors]


class ProposeForm(forms.Form):
    """Propose one of the shortlist: a top-five button, or anyone further down with a reason."""

    mentor = forms.TypedChoiceField(label=_("Mentor"), coerce=int)
    override_reason = forms.CharField(
        label=_("Why this mentor"),
        max_length=300,
        required=False,
        help_text=_("Needed when you choose someone who is not in the top five."),
    )

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].choices = [
            (mentor.pk, _("%(name)s (%(score)s points)") % {"name": mentor, "score": s.score})
            for mentor, s in choices
        ]


class PauseForm(forms.Form):
    reason = forms.ChoiceField(label=_("Why pause"), choices=PauseReason.choices)
    note = forms.CharField(label=_("Note (optional)"), max_length=300, required=False)


class EndForm(forms.Form):
    reason = forms.ChoiceField(label=_("How it ended"), choices=EndReason.choices)
    note = forms.CharField(label=_("Note (optional)"), max_length=300, required=False)
    never_again = forms.BooleanField(
        label=_("The mentee asked never to be matched with this mentor again"), required=False
    )
    rematch = forms.BooleanField(label=_("Find them a new mentor"), required=False)


class MeetingForm(forms.Form):
    day = inputs.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(label=_("Time"), widget=forms.TimeInput(attrs={"type": "time"}))
    minutes = forms.IntegerField(label=_("How long (minutes)"), min_value=15, max_value=240)
    place_kind = forms.ChoiceField(label=_("How you will meet"), choices=MeetingPlace.choices)
    place = forms.CharField(
        label=_("Where"),
        max_length=200,
        required=False,
        help_text=_("A place, a phone number or a video link."),
    )

    def starts_at(self) -> datetime:
        naive = datetime.combine(self.cleaned_data["day"], self.cleaned_data["time"])
        return timezone.make_aware(naive)


class MeetingStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("What happened"), choices=MeetingStatus.choices)


class MeetingNoteForm(forms.Form):
    notes = forms.CharField(
        label=_("Notes (you and coordinators see these)"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    agreed_actions = forms.CharField(
        label=_("What you agreed to do (your mentee sees this)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ConcernForm(forms.Form):
    summary = forms.CharField(
        label=_("What happened or what worries you"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class GoalForm(forms.Form):
    area = forms.ChoiceField(label=_("Area"), choices=Need.choices)
    words = forms.CharField(label=_("My goal, in my own words"), max_length=300)


class GoalStepForm(forms.Form):
    words = forms.CharField(label=_("A step towards it"), max_length=200)
    service = forms.TypedChoiceField(
        label=_("A local service it is about (if any)"),
        coerce=int,
        empty_value=None,
        required=False,
    )

    def __init__(self, *args, services=(), **kwargs):
        super().__init__(*args, **kwargs)
        if services:
            choices = [(service.id, service.name) for service in services]
            self.fields["service"].choices = [("", _("None")), *choices]
        else:
            del self.fields["service"]


class GoalStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Where it is"), choices=GoalStatus.choices)


class CheckInForm(forms.Form):
    feeling = forms.TypedChoiceField(
        label=_("How are you doing? (1 is bad, 5 is great)"),
        choices=[(n, str(n)) for n in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    line = forms.CharField(label=_("Anything to add (optional)"), max_length=280, required=False)
    hours = forms.DecimalField(
        label=_("Hours of groups, training or work this week (optional)"),
        required=False,
        min_value=0,
        max_value=99,
        decimal_places=1,
    )


class WeeklyTargetForm(forms.Form):
    hours = forms.IntegerField(
        label=_("Weekly activity target (hours)"),
        required=False,
        min_value=1,
        max_value=60,
        help_text=_("Some programmes ask for 16 hours a week of groups, training or work."),
    )


class SharingForm(forms.Form):
    items = forms.MultipleChoiceField(
        label=_("My mentor may see"),
        choices=SharedItem.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
