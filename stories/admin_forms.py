"""The Wagtail editor's form for stories (imported by models, so it imports no model)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm

from stories.choices import Placement

CHECKLIST = ("no_other_person_named", "no_identifying_places", "faces_blurred")


class StoryPageForm(WagtailAdminPageForm):
    """Say plainly, in the editor, what is missing before a story can be live."""

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
