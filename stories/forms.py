from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.inputs import ChoicesOfRecords
from stories.models import StoryTheme


class ShareStoryForm(forms.Form):
    told_by = forms.CharField(
        label=_("The name to show with your story"),
        max_length=60,
        help_text=_("A made-up name or your first name only."),
    )
    title = forms.CharField(label=_("A title for your story"), max_length=120)
    story = forms.CharField(
        label=_("Your story"),
        widget=forms.Textarea(attrs={"rows": 12}),
        max_length=20_000,
        help_text=_(
            "Please don't name other people or places that could identify you. An involvement "
            "lead will talk it through with you before anything is published."
        ),
    )
    themes = ChoicesOfRecords(
        label=_("What is it about?"),
        queryset=StoryTheme.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def clean_story(self):
        text = self.cleaned_data["story"].replace("\x00", "").strip()
        if len(text) < 20:
            raise forms.ValidationError(_("Please write a little more (at least a few lines)."))
        return text
