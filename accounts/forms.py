from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.inputs import validate_plain_text
from accounts.models import AVAILABILITY_SLOTS, CONSENT_WORDING, ConsentPurpose, LivedExperience
from accounts.roles import Role


def split_list(text: str) -> list[str]:
    """'Polish, English ,' -> ['Polish', 'English'] (order kept, duplicates dropped)."""
    seen: dict[str, None] = {}
    for part in text.split(","):
        item = " ".join(part.split())[:40]
        if item and item.casefold() not in {s.casefold() for s in seen}:
            seen[item] = None
    return list(seen)[:20]


class SignupForm(forms.Form):
    """Extra sign-up fields (allauth calls ``signup``)."""

    display_name = forms.CharField(
        label=_("Name others see"),
        max_length=60,
        help_text=_("A first name or a nickname is fine. You can change it later."),
        validators=[validate_plain_text],
    )
    pronouns = forms.CharField(
        label=_("Pronouns (optional)"),
        max_length=30,
        required=False,
        validators=[validate_plain_text],
    )

    def signup(self, request, user):
        user.display_name = self.cleaned_data["display_name"].strip()
        user.pronouns = self.cleaned_data["pronouns"].strip()
        user.save(update_fields=["display_name", "pronouns"])


class ProfileForm(forms.Form):
    display_name = forms.CharField(
        label=_("Name others see"), max_length=60, validators=[validate_plain_text]
    )
    pronouns = forms.CharField(
        label=_("Pronouns (optional)"),
        max_length=30,
        required=False,
        validators=[validate_plain_text],
    )
    area = forms.CharField(
        label=_("Area"), max_length=80, required=False, help_text=_("Town or part of town.")
    )
    languages = forms.CharField(
        label=_("Languages you speak"),
        required=False,
        max_length=300,
        help_text=_("Separate them with commas, for example: English, Polish."),
    )
    interests = forms.CharField(
        label=_("Things you enjoy"),
        required=False,
        max_length=300,
        help_text=_("Separate them with commas, for example: football, cooking."),
    )
    availability = forms.MultipleChoiceField(
        label=_("When you are usually free"),
        choices=AVAILABILITY_SLOTS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    accessibility_needs = forms.CharField(
        label=_("Anything that helps you take part"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: large text, a quiet room, step-free access."),
    )
    lived_experience_consent = forms.BooleanField(
        label=CONSENT_WORDING[ConsentPurpose.LIVED_EXPERIENCE][1], required=False
    )
    lived_experience = forms.MultipleChoiceField(
        label=_("What you have been through (optional)"),
        choices=LivedExperience.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only ever kept if you tick the box above."),
    )

    def clean(self):
        data = super().clean()
        if data.get("lived_experience") and not data.get("lived_experience_consent"):
            self.add_error(
                "lived_experience",
                _("To keep this we need your agreement: tick the box above, or untick these."),
            )
        return data

    def profile_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "area": data["area"].strip(),
            "languages": split_list(data["languages"]),
            "interests": split_list(data["interests"]),
            "availability": data["availability"],
            "accessibility_needs": data["accessibility_needs"].strip(),
            "lived_experience": data["lived_experience"]
            if data["lived_experience_consent"]
            else [],
        }


class RolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("Roles"), choices=Role.choices, required=False, widget=forms.CheckboxSelectMultiple
    )


class DeleteAccountForm(forms.Form):
    confirm = forms.CharField(
        label=_("Type DELETE to confirm"),
        max_length=10,
        help_text=_("This cannot be undone."),
    )

    def clean_confirm(self):
        value = self.cleaned_data["confirm"].strip()
        if value.upper() != "DELETE":
            raise forms.ValidationError(_("Type the word DELETE to confirm, or go back."))
        return value


def show_service_errors(form: forms.Form, error: forms.ValidationError) -> None:
    """Put a service's ValidationError on the form: by field where it names one of the form's
    fields, otherwise at the top. Views of every app use it after calling a service."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)
