"""The Wagtail editor's form for stories (imported by models, so it imports no model)."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm

from stories.choices import Placement

CHECKLIST = ("no_other_person_named", "no_identifying_places", "faces_blurred")


class StoryPageForm(WagtailAdminPageForm):
    """Say plainly, in the editor, what is missing before a story can be live.

    The storyteller's account is typed as an e-mail address: a select would list every person
    on the platform to involvement leads, who must see no user data.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "storyteller" in self.fields:
            field = self.fields["storyteller"]
            self.fields["storyteller"] = forms.ModelChoiceField(
                queryset=get_user_model().objects.filter(is_active=True),
                to_field_name="email",
                required=False,
                label=field.label,
                help_text=_(
                    "Optional: the e-mail address of the storyteller's Alongside account. They "
                    "then approve the text before the involvement lead publishes, and can "
                    "withdraw it."
                ),
                widget=forms.EmailInput,
                error_messages={"invalid_choice": _("No account has this e-mail address.")},
            )
            # The model form's initial value is the account's id; show its e-mail address.
            if getattr(self.instance, "storyteller_id", None):
                self.initial["storyteller"] = self.instance.storyteller.email

    def clean(self):
        cleaned = super().clean()
        if self.instance.live or "action-publish" in self.data:
            for name in CHECKLIST:
                if name in self.fields and not cleaned.get(name):
                    self.add_error(name, _("Tick this before the story can be published."))
        return cleaned


class StoryConsentForm(WagtailAdminModelForm):
    placements = forms.MultipleChoiceField(
        label=_("Where it may appear"),
        choices=Placement.choices,
        widget=forms.CheckboxSelectMultiple,
    )
