from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import inputs
from accounts.inputs import ChoiceOfRecord
from accounts.models import User
from accounts.organisations import OrganisationKind
from mentoring.choices import ContactPreference, Need
from mentoring.partners.choices import (
    COORDINATOR_CONSENT_HOW,
    Direction,
    DisclosureChannel,
    LawfulBasis,
    PassedOn,
    ShareBack,
)

DATE = forms.DateInput(attrs={"type": "date"})


class PartnerReferralForm(forms.Form):
    """The partner worker's referral, in plain words. Risk is a separate section."""

    name = forms.CharField(label=_("Their name"), max_length=80, help_text=_("The name they use."))
    contact_preference = forms.ChoiceField(
        label=_("Best way to reach them"), choices=ContactPreference.choices
    )
    phone = forms.CharField(label=_("Phone number (if any)"), max_length=30, required=False)
    email = forms.EmailField(label=_("E-mail address (if any)"), required=False)
    safe_contact = forms.CharField(
        label=_("How to reach them safely"),
        max_length=300,
        required=False,
        help_text=_(
            "For example: do not leave voicemail; ask for them by first name; through their "
            "keyworker on the wing."
        ),
    )
    prison = forms.CharField(
        label=_("Prison (if they are in prison)"), max_length=120, required=False
    )
    release_date = inputs.DateField(label=_("Release date (if known)"), required=False, widget=DATE)
    needs = forms.MultipleChoiceField(
        label=_("What they want help with"),
        choices=Need.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    in_their_words = forms.CharField(
        label=_("In their own words (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    passed_on = forms.MultipleChoiceField(
        label=_("What the person agreed you may share with us"),
        choices=PassedOn.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    person_agreed = forms.BooleanField(
        label=_("I asked the person and they agreed that I refer them to Alongside"),
        required=False,
        help_text=_(
            "We will ask them again ourselves. You will see only how the referral is going: "
            "received, waiting for the person, matched, first meeting held, closed."
        ),
    )
    risk_information = forms.CharField(
        label=_("Risk information (only coordinators read this)"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Anything a coordinator must know to keep the person and a mentor safe. The person "
            "and their mentor never see this section."
        ),
    )

    def clean(self):
        data = super().clean()
        if data.get("release_date") and data["release_date"] < timezone.localdate():
            self.add_error("release_date", _("The release date is in the past."))
        return data


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=OrganisationKind.choices)
    contact_name = forms.CharField(label=_("Contact's name"), max_length=80, required=False)
    contact_email = forms.EmailField(label=_("Contact's e-mail address"), required=False)
    contact_phone = forms.CharField(
        label=_("Contact's phone number"), max_length=30, required=False
    )


class AgreementForm(forms.Form):
    title = forms.CharField(label=_("Title of the information-sharing agreement"), max_length=120)
    reference = forms.CharField(label=_("Reference (optional)"), max_length=60, required=False)
    starts_on = inputs.DateField(label=_("In force from"), widget=DATE)
    ends_on = inputs.DateField(label=_("In force until (optional)"), required=False, widget=DATE)


class InviteForm(forms.Form):
    display_name = forms.CharField(label=_("Their name"), max_length=60)
    email = forms.EmailField(label=_("Their work e-mail address"))


class ConsentForm(forms.Form):
    agreed = forms.TypedChoiceField(
        label=_("What did the person say?"),
        choices=[("yes", _("Yes, they want to be referred")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    how = forms.ChoiceField(
        label=_("How you spoke with them"),
        choices=COORDINATOR_CONSENT_HOW,
        widget=forms.RadioSelect,
    )
    email = forms.EmailField(
        label=_("Their e-mail address (to make their account, if they have none)"),
        required=False,
    )


class CorrectionForm(forms.Form):
    name = forms.CharField(label=_("My name"), max_length=80)
    phone = forms.CharField(label=_("My phone number"), max_length=30, required=False)
    safe_contact = forms.CharField(
        label=_("How to reach me safely"), max_length=300, required=False
    )
    prison = forms.CharField(label=_("Prison"), max_length=120, required=False)
    release_date = inputs.DateField(label=_("Release date"), required=False, widget=DATE)
    needs = forms.MultipleChoiceField(
        label=_("What I want help with"),
        choices=Need.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    in_their_words = forms.CharField(
        label=_("In my own words"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ShareBackForm(forms.Form):
    items = forms.MultipleChoiceField(
        label=_("Besides how it is going, my referrer may also see"),
        choices=ShareBack.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class DisclosureForm(forms.Form):
    """A disclosure made outside Alongside, entered by a coordinator after a call."""

    person = forms.EmailField(label=_("E-mail address of the person it was about"))
    organisation = ChoiceOfRecord(label=_("Organisation"), queryset=None)
    direction = forms.ChoiceField(label=_("Who shared with whom"), choices=Direction.choices)
    what = forms.CharField(label=_("What was shared"), max_length=300)
    channel = forms.ChoiceField(
        label=_("How"), choices=[c for c in DisclosureChannel.choices if c[0] != "product"]
    )
    at = inputs.DateTimeField(
        label=_("When"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    lawful_basis = forms.ChoiceField(
        label=_("Lawful basis (UK GDPR, the UK General Data Protection Regulation)"),
        choices=[("", _("Choose one"))] + LawfulBasis.choices,
        required=False,
    )
    agreement = ChoiceOfRecord(
        label=_("Under which information-sharing agreement (if any)"),
        queryset=None,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        from accounts.organisations import Organisation
        from mentoring.partners.models import SharingAgreement

        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.all()
        self.fields["agreement"].queryset = SharingAgreement.objects.select_related("organisation")

    def clean_person(self) -> User:
        email = self.cleaned_data["person"].strip().lower()
        person = User.objects.filter(email__iexact=email).first()
        if person is None:
            raise forms.ValidationError(_("No one on Alongside has that e-mail address."))
        return person


class GateChecklistForm(forms.Form):
    contact_confirmed = forms.BooleanField(
        label=_("Phone or contact route confirmed"), required=False
    )
    appointments_known = forms.BooleanField(
        label=_("First week's appointments known"), required=False
    )


class IntroForm(forms.Form):
    words = forms.CharField(
        label=_("About me, in my own words"),
        max_length=400,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "A mentee choosing a mentor reads this with your chosen name, and nothing else. "
            "Say what you would like them to know: what helped you, what you enjoy."
        ),
    )


class ShortlistOfferForm(forms.Form):
    mentors = forms.TypedMultipleChoiceField(
        label=_("Mentors to offer (choose two or three)"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentors"].choices = choices


class LetterForm(forms.Form):
    body = forms.CharField(
        label=_("Your letter"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_(
            "Plain words work best. Letters to a prison are read by staff before they are "
            "handed over. Your first name goes on it, never your phone number or e-mail."
        ),
    )


class NamedWorkerForm(forms.Form):
    """A named worker at one of the services on the mentee's My people."""

    service = forms.TypedChoiceField(label=_("At which service"), coerce=int)
    name = forms.CharField(label=_("Their name"), max_length=80)
    role = forms.CharField(
        label=_("What they do there"),
        max_length=80,
        help_text=_("For example: housing officer, key worker."),
    )
    how_to_reach = forms.CharField(
        label=_("How to reach them"),
        max_length=200,
        help_text=_("A work phone number, or when and where to find them. Not a personal number."),
    )

    def __init__(self, *args, rows=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = [(row.suggestion.pk, row.service.name) for row in rows]
